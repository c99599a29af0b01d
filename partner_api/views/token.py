"""Token endpoints in the platform's shapes (its auth host serves them at these paths)."""

from partner_api import errors
from partner_api.envelope import api_view, respond
from partner_api.selectors.grants import granted_shops
from partner_api.serializers import GRANTED_SCOPES
from partner_api.services import tokens


def _app(request, grant_type: str):
    params = request.GET
    missing = [n for n in ("app_key", "app_secret") if not params.get(n)]
    if missing:
        raise errors.ApiError(errors.MISSING_COMMON_PARAM, f"Missing query parameter(s): {', '.join(missing)}.")
    app = tokens.check_app_secret(params["app_key"], params["app_secret"])
    if params.get("grant_type") != grant_type:
        raise errors.ApiError(errors.GRANT_TYPE_INVALID, f"grant_type must be {grant_type}.")
    return app


def _answer(issued: tokens.IssuedTokens):
    grant = issued.grant
    shops = list(granted_shops(grant))
    return respond(
        {
            "access_token": issued.access_token,
            "access_token_expire_in": int(grant.access_expires_at.timestamp()),
            "refresh_token": issued.refresh_token,
            "refresh_token_expire_in": int(grant.refresh_expires_at.timestamp()),
            "open_id": grant.open_id,
            "seller_name": ", ".join(shop.name for shop in shops),
            "seller_base_region": shops[0].country if shops else "",
            "user_type": 0,
            "granted_scopes": GRANTED_SCOPES,
        },
        message="success",
    )


@api_view("GET")
def token_get(request):
    app = _app(request, "authorized_code")
    return _answer(tokens.exchange_auth_code(app, request.GET.get("auth_code", "")))


@api_view("GET")
def token_refresh(request):
    app = _app(request, "refresh_token")
    return _answer(tokens.refresh(app, request.GET.get("refresh_token", "")))
