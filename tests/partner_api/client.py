"""An integrator's client, written from the issue's description of the platform (not from partner_api):
its own signer, the token header, the envelope. Runs on Django's test client."""

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode


def platform_sign(secret: str, path: str, params: list[tuple[str, str]], body: bytes = b"") -> str:
    """Path + sorted(key+value, except sign and access_token; stable for repeated keys) + body, wrapped
    with the secret on both sides, HMAC-SHA256 keyed with the secret, lowercase hex."""
    pairs = [(k, v) for k, v in params if k not in ("sign", "access_token")]
    pairs.sort(key=lambda pair: pair[0])
    text = secret + path + "".join(f"{k}{v}" for k, v in pairs)
    return hmac.new(secret.encode(), text.encode() + body + secret.encode(), hashlib.sha256).hexdigest()


class PartnerClient:
    def __init__(
        self,
        django_client,
        app_key: str,
        app_secret: str,
        access_token: str | None = None,
        shop_cipher: str | None = None,
    ):
        self.http = django_client
        self.app_key, self.app_secret = app_key, app_secret
        self.access_token, self.shop_cipher = access_token, shop_cipher

    def url(self, path, params=(), body=b"", *, timestamp=None, sign=None, shop=True):
        pairs = [("app_key", self.app_key), ("timestamp", str(int(timestamp or time.time())))]
        if shop and self.shop_cipher:
            pairs.append(("shop_cipher", self.shop_cipher))
        pairs += [(k, str(v)) for k, v in params]
        pairs.append(("sign", sign or platform_sign(self.app_secret, path, pairs, body)))
        return f"{path}?{urlencode(pairs)}"

    def headers(self):
        return {"x-tts-access-token": self.access_token} if self.access_token else {}

    def get(self, path, params=(), **kwargs):
        return self.http.get(self.url(path, params, **kwargs), headers=self.headers())

    def post(self, path, params=(), body=None, *, raw=None, **kwargs):
        data = raw if raw is not None else json.dumps(body or {}).encode()
        return self.http.generic(
            "POST",
            self.url(path, params, data, **kwargs),
            data,
            content_type="application/json",
            headers=self.headers(),
        )

    # the endpoints
    def shops(self):
        return self.get("/authorization/202309/shops", shop=False)

    def search(self, body=None, page_size=100, page_token="", *, sign=None, timestamp=None, **params):
        query = [("page_size", page_size), *params.items()]
        if page_token:
            query.append(("page_token", page_token))
        return self.post("/order/202309/orders/search", query, body, sign=sign, timestamp=timestamp)

    def details(self, ids, *, repeated=False, version="202309"):
        params = [("ids", i) for i in ids] if repeated else [("ids", ",".join(map(str, ids)))]
        return self.get(f"/order/{version}/orders", params)


def ok(response) -> dict:
    payload = response.json()
    assert response.status_code == 200 and payload["code"] == 0, payload
    assert payload["message"] and payload["request_id"]
    return payload["data"]
