"""The platform's request signature, computed exactly as its documentation describes.

Every query parameter except `sign` and `access_token`, sorted by key with a stable sort (repeated
keys keep their order), each written as key + value; the path in front; the raw body bytes after
(unless the body is multipart); app_secret on both sides; HMAC-SHA256 keyed with app_secret; hex.
"""

import hashlib
import hmac
from urllib.parse import parse_qsl

EXCLUDED = frozenset({"sign", "access_token"})


def sign(secret: str, path: str, params: list[tuple[str, str]], body: bytes = b"", *, multipart=False) -> str:
    kept = sorted(((k, v) for k, v in params if k not in EXCLUDED), key=lambda kv: kv[0])  # sorted() is stable
    message = path + "".join(k + v for k, v in kept)
    payload = secret.encode() + message.encode() + (b"" if multipart else body) + secret.encode()
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def query_pairs(request) -> list[tuple[str, str]]:
    """The query string as sent: every pair in order, repeated keys included, blanks kept."""
    return parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)


def is_multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def request_signature(request, secret: str) -> str:
    """The signature a request should carry, computed over its raw body (never re-serialised JSON)."""
    return sign(secret, request.path, query_pairs(request), request.body, multipart=is_multipart(request))


def matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), (given or "").lower().encode())


def webhook_signature(app_key: str, secret: str, body: bytes) -> str:
    """The Authorization header of a webhook: HMAC-SHA256 of app_key + body, keyed with app_secret, hex."""
    return hmac.new(secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()
