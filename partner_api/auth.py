"""Authenticating a signed request: the app, the clock, the signature, the rate limit, the token, the shop.

Checks run in that order, so each failure gets its own code. The rate limit counts only requests
that carry a valid signature: nobody can use up an app's quota with its public app_key alone.
"""

import time
from dataclasses import dataclass

from accounts.models import Shop

from . import errors, ratelimit, signing
from .models import ApiApp, Grant
from .selectors.grants import granted_shops
from .services.tokens import grant_for_token

MAX_CLOCK_SKEW = 300  # seconds
TOKEN_HEADER = "HTTP_X_TTS_ACCESS_TOKEN"


@dataclass(frozen=True)
class Caller:
    app: ApiApp
    grant: Grant | None = None


def signed_app(request) -> ApiApp:
    params = request.GET
    app_key, timestamp, sign = params.get("app_key"), params.get("timestamp"), params.get("sign")
    missing = [name for name, value in (("app_key", app_key), ("timestamp", timestamp), ("sign", sign)) if not value]
    if missing:
        raise errors.ApiError(errors.MISSING_COMMON_PARAM, f"Missing query parameter(s): {', '.join(missing)}.")
    app = ApiApp.objects.filter(app_key=app_key, revoked_at__isnull=True).first()
    if app is None:
        raise errors.ApiError(errors.UNKNOWN_APP, f"app_key {app_key!r} is unknown or revoked.")
    try:
        skew = abs(time.time() - int(timestamp))
    except ValueError:
        raise errors.ApiError(errors.STALE_TIMESTAMP, "timestamp must be unix seconds.") from None
    if skew > MAX_CLOCK_SKEW:
        raise errors.ApiError(
            errors.STALE_TIMESTAMP,
            f"timestamp is {int(skew)} s away from the server clock; at most {MAX_CLOCK_SKEW} s.",
        )
    if not signing.matches(signing.request_signature(request, app.app_secret), sign):
        raise errors.ApiError(errors.BAD_SIGN, "Invalid credentials. The 'sign' query parameter is invalid.")
    ratelimit.check(app)
    return app


def authenticate(request) -> Caller:
    app = signed_app(request)
    grant = grant_for_token(app, request.META.get(TOKEN_HEADER, ""))
    return Caller(app, grant)


def shop_for(request, caller: Caller) -> Shop:
    cipher = request.GET.get("shop_cipher")
    if not cipher:
        raise errors.ApiError(errors.INVALID_PARAM, "shop_cipher is required: see GET /authorization/202309/shops.")
    shop = granted_shops(caller.grant).filter(code=cipher).first()
    if shop is None:
        raise errors.ApiError(errors.SHOP_NOT_GRANTED, f"shop_cipher {cipher!r} is not authorised for this token.")
    return shop
