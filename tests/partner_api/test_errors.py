"""Every failure answers the JSON envelope with its own code and HTTP status: never HTML, never 500."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ApiAppFactory, GrantFactory, ShopFactory

from .client import PartnerClient

pytestmark = pytest.mark.django_db
SEARCH = "/order/202309/orders/search"
DETAIL = "/order/202309/orders"


def other_apps_token(api, grant):
    GrantFactory(shops=list(grant.shops.all()), access_token="SCAT_other_app")
    api.access_token = "SCAT_other_app"
    return api.search()


def expired(api, grant):
    grant.access_expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    return api.search()


def revoked_grant(api, grant):
    grant.revoked_at = timezone.now()
    grant.save()
    return api.search()


def revoked_app(api, grant):
    grant.app.revoked_at = timezone.now()
    grant.app.save()
    return api.search()


def foreign_shop(api, grant):
    api.shop_cipher = ShopFactory().code
    return api.search()


def with_token(token):
    def call(api, grant):
        api.access_token = token
        return api.search()

    return call


def tampered_body(api, grant):
    url = api.url(SEARCH, [("page_size", 10)], b'{"order_status":"UNPAID"}')
    return api.http.generic(
        "POST", url, b'{"order_status":"CANCELLED"}', content_type="application/json", headers=api.headers()
    )


def unsigned(api, grant):
    return api.http.get(f"{DETAIL}?app_key={api.app_key}&timestamp={int(time.time())}&ids=1")


def rate_limited(api, grant, settings):
    settings.PARTNER_API_RATE_LIMIT_PER_MINUTE = 2
    api.shops(), api.shops()
    return api.shops()


def bad_token_in_query_only(api, grant):
    api.access_token = None
    return api.get(DETAIL, [("ids", 1), ("access_token", "SCAT_fixture_token")])


CASES = {
    # signing and app credentials
    "bad signature": (lambda api, g: api.search(sign="0" * 64), 106001, 401),
    "body changed after signing": (tampered_body, 106001, 401),
    "signed with another secret": (
        lambda api, g: PartnerClient(
            api.http, api.app_key, "not-the-secret", api.access_token, api.shop_cipher
        ).search(),
        106001,
        401,
    ),
    "no sign": (unsigned, 106002, 401),
    "unknown app_key": (
        lambda api, g: PartnerClient(api.http, "nosuchkey", "x", api.access_token).shops(),
        106003,
        401,
    ),
    "revoked app": (revoked_app, 106003, 401),
    "stale timestamp": (lambda api, g: api.search(timestamp=time.time() - 301), 106004, 401),
    "future timestamp": (lambda api, g: api.search(timestamp=time.time() + 400), 106004, 401),
    # tokens and shops
    "missing token": (with_token(None), 105001, 401),
    "token only as a query parameter": (bad_token_in_query_only, 105001, 401),
    "invalid token": (with_token("SCAT_made_up"), 105002, 401),
    "another app's token": (other_apps_token, 105002, 401),
    "expired token": (expired, 105003, 401),
    "revoked token": (revoked_grant, 105004, 401),
    "another shop's cipher": (foreign_shop, 105005, 403),
    "no shop_cipher": (
        lambda api, g: PartnerClient(api.http, api.app_key, api.app_secret, api.access_token).search(),
        36009001,
        400,
    ),
    # parameters and body
    "page_size 0": (lambda api, g: api.search(page_size=0), 36009001, 400),
    "page_size 101": (lambda api, g: api.search(page_size=101), 36009001, 400),
    "page_size abc": (lambda api, g: api.search(page_size="abc"), 36009001, 400),
    "page_size -1": (lambda api, g: api.search(page_size=-1), 36009001, 400),
    "no page_size": (lambda api, g: api.post(SEARCH, [], {}), 36009001, 400),
    "bad sort_field": (lambda api, g: api.search(sort_field="total"), 36009001, 400),
    "bad sort_order": (lambda api, g: api.search(sort_order="UP"), 36009001, 400),
    "time filter not a number": (lambda api, g: api.search({"create_time_ge": "yesterday"}), 36009001, 400),
    "bad shipping_type": (lambda api, g: api.search({"shipping_type": "DRONE"}), 36009001, 400),
    "malformed JSON": (lambda api, g: api.post(SEARCH, [("page_size", 10)], raw=b'{"order_status": '), 36009002, 400),
    "JSON that is not an object": (lambda api, g: api.post(SEARCH, [("page_size", 10)], raw=b"[1, 2]"), 36009002, 400),
    "unknown status": (lambda api, g: api.search({"order_status": "SHIPPED"}), 36009003, 400),
    "forged page_token": (lambda api, g: api.search(page_token="eyJmb28iOjF9:forged"), 36009005, 400),
    "51 ids": (lambda api, g: api.details(range(1, 52)), 36009001, 400),
    "no ids": (lambda api, g: api.get(DETAIL), 36009001, 400),
    "non-numeric id": (lambda api, g: api.details(["12", "abc"]), 36009001, 400),
    # paths, methods, limits
    "unknown order path": (lambda api, g: api.get("/order/202309/nothing"), 36009004, 404),
    "unknown version": (lambda api, g: api.post("/order/209901/orders/search"), 36009004, 404),
    "unknown authorization path": (lambda api, g: api.http.get("/authorization/202309/nope"), 36009004, 404),
    "unknown api path": (lambda api, g: api.http.get("/api/v1/anything"), 36009004, 404),
    "return_refund (not implemented)": (
        lambda api, g: api.http.post("/return_refund/202309/returns/search"),
        36009004,
        404,
    ),
    "GET on the search endpoint": (lambda api, g: api.get(SEARCH), 36009006, 405),
    "rate limit": (rate_limited, 36009007, 429),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_error_envelope(api, grant, orders, settings, case):
    call, code, status = CASES[case]
    response = call(api, grant, settings) if call is rate_limited else call(api, grant)
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert (payload["code"], response.status_code) == (code, status), payload
    assert payload["message"] and payload["request_id"] and payload["data"] is None


def test_page_token_of_other_filters_is_refused(api, orders):
    token = api.search(page_size=1).json()["data"]["next_page_token"]
    assert token
    response = api.search({"order_status": "AWAITING_SHIPMENT"}, page_size=1, page_token=token)
    assert response.status_code == 400 and response.json()["code"] == 36009005


def test_rate_limit_is_per_app(api, grant, client, settings, shop):
    settings.PARTNER_API_RATE_LIMIT_PER_MINUTE = 2
    other_app = ApiAppFactory()
    GrantFactory(app=other_app, shops=[shop], access_token="SCAT_other")
    other = PartnerClient(client, other_app.app_key, other_app.app_secret, "SCAT_other")
    assert [api.shops().status_code for _ in range(3)] == [200, 200, 429]
    assert other.shops().status_code == 200


def test_unexpected_failure_is_still_the_envelope(api, monkeypatch):
    monkeypatch.setattr("partner_api.views.orders.granted_shops", lambda grant: 1 / 0)
    response = api.shops()
    assert response.status_code == 500 and response.json()["code"] == 36009099
