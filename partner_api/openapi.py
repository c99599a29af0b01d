"""The OpenAPI 3 description of the API, built from the same tables the code uses."""

from orders.statuses import OrderStatus

from . import errors
from .search import MAX_PAGE_SIZE, SHIPPING_TYPES, SORT_FIELDS, TIME_FILTERS


def _param(name, description, *, schema=None, required=False, where="query", **extra):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
        **extra,
    }


SIGNED = [
    _param("app_key", "The app's key.", required=True),
    _param(
        "timestamp", "Unix seconds; refused when more than 5 minutes off.", schema={"type": "integer"}, required=True
    ),
    _param("sign", "Lowercase hex HMAC-SHA256 (see the description of the API).", required=True),
    _param("x-tts-access-token", "The access token of a grant.", where="header", required=True),
]
SHOP = _param("shop_cipher", "A cipher from GET /authorization/202309/shops.", required=True)
STR = {"type": "string"}
INT = {"type": "integer"}


def _obj(properties: dict, **extra) -> dict:
    return {"type": "object", "properties": properties, **extra}


def _strings(*names) -> dict:
    return dict.fromkeys(names, STR)


ADDRESS = _obj(
    {
        **_strings(
            "name",
            "phone_number",
            "full_address",
            "address_detail",
            "address_line1",
            "address_line2",
            "address_line3",
            "address_line4",
            "postal_code",
            "region_code",
        ),
        "district_info": {
            "type": "array",
            "items": _obj(_strings("address_level", "address_level_name", "address_name")),
        },
    }
)
LINE_ITEM = _obj(
    _strings(
        "id",
        "sku_id",
        "product_id",
        "product_name",
        "sku_name",
        "seller_sku",
        "sale_price",
        "original_price",
        "seller_discount",
        "platform_discount",
        "currency",
        "display_status",
        "package_id",
        "tracking_number",
        "shipping_provider_name",
    ),
    description="One element per unit: an order line of quantity 3 appears three times.",
)
ORDER = _obj(
    {
        "id": STR,
        "status": {"type": "string", "enum": OrderStatus.values},
        **{
            name: {"type": "integer", "description": "Unix seconds; absent when the event has not happened."}
            for name in ("create_time", "update_time", "paid_time", "rts_sla_time")
        },
        **_strings(
            "cancel_reason",
            "cancellation_initiator",
            "user_id",
            "buyer_email",
            "buyer_message",
            "payment_method_name",
            "shipping_provider",
            "tracking_number",
            "fulfillment_type",
            "delivery_option_name",
            "seller_note",
        ),
        "payment": _obj(
            _strings(
                "currency",
                "sub_total",
                "shipping_fee",
                "seller_discount",
                "platform_discount",
                "tax",
                "total_amount",
                "original_total_product_price",
                "original_shipping_fee",
            ),
            description="Amounts are decimal strings in the currency.",
        ),
        "recipient_address": ADDRESS,
        "line_items": {"type": "array", "items": LINE_ITEM},
        "packages": {"type": "array", "items": _obj({"id": STR})},
    },
    description="Buyer name, e-mail, phone and address are masked as the Seller Center masks them for the "
    "Administrator who authorised the app; the address is hidden while UNPAID or ON_HOLD.",
)
TOKENS = _obj(
    {
        **_strings("access_token", "refresh_token", "open_id", "seller_name", "seller_base_region"),
        "access_token_expire_in": {"type": "integer", "description": "Unix seconds"},
        "refresh_token_expire_in": {"type": "integer", "description": "Unix seconds"},
        "user_type": INT,
        "granted_scopes": {"type": "array", "items": STR},
    }
)
SHOPS = _obj(
    {"shops": {"type": "array", "items": _obj(_strings("id", "name", "region", "seller_type", "cipher", "code"))}}
)
SEARCH_BODY = _obj(
    {
        "order_status": {"type": "string", "enum": OrderStatus.values},
        **{
            key: {
                "type": "integer",
                "description": ("Inclusive" if key.endswith("_ge") else "Exclusive") + ", unix seconds.",
            }
            for key in TIME_FILTERS
        },
        "shipping_type": {"type": "string", "enum": list(SHIPPING_TYPES)},
        "buyer_user_id": STR,
        "is_buyer_request_cancel": {"type": "boolean"},
    },
    description="Every key optional; unknown keys are ignored.",
)


def _envelope(data_schema) -> dict:
    return {"application/json": {"schema": _obj({"code": INT, "message": STR, "request_id": STR, "data": data_schema})}}


def _responses(data_schema, *kinds) -> dict:
    answers = {"200": {"description": "Success (code 0)", "content": _envelope(data_schema)}}
    by_status = {}
    for kind in (*kinds, errors.RATE_LIMITED, errors.METHOD_NOT_ALLOWED, errors.INTERNAL):
        by_status.setdefault(str(kind.http_status), []).append(kind)
    for status, group in sorted(by_status.items()):
        answers[status] = {
            "description": "; ".join(f"{k.code}: {k.meaning}" for k in group),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return answers


AUTH_ERRORS = (
    errors.MISSING_COMMON_PARAM,
    errors.UNKNOWN_APP,
    errors.STALE_TIMESTAMP,
    errors.BAD_SIGN,
    errors.TOKEN_MISSING,
    errors.TOKEN_INVALID,
    errors.TOKEN_EXPIRED,
    errors.TOKEN_REVOKED,
)
SHOP_ERRORS = (*AUTH_ERRORS, errors.INVALID_PARAM, errors.SHOP_NOT_GRANTED)
DETAIL = {
    "summary": "Orders by id",
    "parameters": [
        *SIGNED,
        SHOP,
        _param(
            "ids",
            "Up to 50 order ids, comma-separated and/or repeated; ids that "
            "are unknown or of another shop are absent from the answer.",
            required=True,
            schema={"type": "array", "items": STR},
            explode=True,
        ),
    ],
    "responses": _responses(_obj({"orders": {"type": "array", "items": ORDER}}), *SHOP_ERRORS),
}


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Seller Center Partner API",
            "version": "202309",
            "description": (
                "TikTok Shop Partner API-compatible order endpoints. Signing: every query parameter except "
                "sign and access_token, stably sorted by key, written key+value; the path in front; the raw "
                "body after (unless multipart); app_secret on both sides; HMAC-SHA256 keyed with app_secret; "
                "lowercase hex in `sign`. Rate limit: per app, per minute (600 by default). Error codes:\n"
                + "\n".join(f"- {k.code} (HTTP {k.http_status}): {k.meaning}" for k in errors.ALL)
            ),
        },
        "paths": {
            "/api/v2/token/get": {
                "get": {
                    "summary": "Trade a single-use auth code for tokens",
                    "parameters": [
                        _param("app_key", "", required=True),
                        _param("app_secret", "", required=True),
                        _param("auth_code", "From the Seller Center's API apps page.", required=True),
                        _param("grant_type", "", required=True, schema={"type": "string", "enum": ["authorized_code"]}),
                    ],
                    "responses": _responses(
                        TOKENS,
                        errors.MISSING_COMMON_PARAM,
                        errors.UNKNOWN_APP,
                        errors.GRANT_TYPE_INVALID,
                        errors.AUTH_CODE_INVALID,
                    ),
                }
            },
            "/api/v2/token/refresh": {
                "get": {
                    "summary": "A new access token (the previous one stops working)",
                    "parameters": [
                        _param("app_key", "", required=True),
                        _param("app_secret", "", required=True),
                        _param("refresh_token", "", required=True),
                        _param("grant_type", "", required=True, schema={"type": "string", "enum": ["refresh_token"]}),
                    ],
                    "responses": _responses(
                        TOKENS,
                        errors.MISSING_COMMON_PARAM,
                        errors.UNKNOWN_APP,
                        errors.GRANT_TYPE_INVALID,
                        errors.REFRESH_TOKEN_INVALID,
                    ),
                }
            },
            "/authorization/202309/shops": {
                "get": {
                    "summary": "The shops this token may read, with their cipher",
                    "parameters": SIGNED,
                    "responses": _responses(SHOPS, *AUTH_ERRORS),
                }
            },
            "/order/202309/orders/search": {
                "post": {
                    "summary": "Search a shop's orders, a keyset page at a time",
                    "parameters": [
                        *SIGNED,
                        SHOP,
                        _param(
                            "page_size",
                            "1 to 100",
                            required=True,
                            schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        ),
                        _param("page_token", "next_page_token of the previous page"),
                        _param(
                            "sort_field",
                            "",
                            schema={"type": "string", "enum": list(SORT_FIELDS), "default": "create_time"},
                        ),
                        _param("sort_order", "", schema={"type": "string", "enum": ["ASC", "DESC"], "default": "DESC"}),
                    ],
                    "requestBody": {"required": False, "content": {"application/json": {"schema": SEARCH_BODY}}},
                    "responses": _responses(
                        _obj(
                            {
                                "orders": {"type": "array", "items": ORDER},
                                "next_page_token": {"type": "string", "description": "Empty on the last page."},
                                "total_count": {"type": "integer", "description": "Counted on the first page."},
                            }
                        ),
                        *SHOP_ERRORS,
                        errors.MALFORMED_JSON,
                        errors.UNKNOWN_STATUS,
                        errors.BAD_PAGE_TOKEN,
                    ),
                }
            },
            "/order/202309/orders": {"get": DETAIL},
            "/order/202507/orders": {"get": {**DETAIL, "summary": "Orders by id (version 202507, same object)"}},
            "/api/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 JSON"}}}
            },
        },
        "components": {
            "schemas": {
                "Error": _obj(
                    {
                        "code": {"type": "integer", "enum": [k.code for k in errors.ALL]},
                        "message": STR,
                        "request_id": STR,
                        "data": {"nullable": True},
                    }
                )
            }
        },
        "x-webhooks": {
            "ORDER_STATUS_CHANGE": {
                "description": "POSTed to the app's webhook URL; header Authorization = hex HMAC-SHA256 of "
                "app_key + body keyed with app_secret. Retried with backoff until a 2xx answer.",
                "schema": _obj(
                    {
                        "type": INT,
                        "tts_notification_id": STR,
                        "shop_id": STR,
                        "timestamp": INT,
                        "data": _obj(
                            {
                                "order_id": STR,
                                "order_status": STR,
                                "update_time": INT,
                                "is_on_hold_order": {"type": "boolean"},
                            }
                        ),
                    }
                ),
            }
        },
    }
