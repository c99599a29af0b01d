"""Every failure of the API as (code, HTTP status): one table, served in the OpenAPI document too.

106001 is the platform's own code for a bad signature; the others follow its numbering style
(1050xx tokens, 1060xx app credentials and signing, 360090xx request content).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorKind:
    code: int
    http_status: int
    meaning: str


BAD_SIGN = ErrorKind(106001, 401, "The sign query parameter is invalid.")
MISSING_COMMON_PARAM = ErrorKind(106002, 401, "app_key, timestamp or sign is missing.")
UNKNOWN_APP = ErrorKind(106003, 401, "Unknown or revoked app_key, or the wrong app_secret.")
STALE_TIMESTAMP = ErrorKind(106004, 401, "timestamp is not unix seconds within 5 minutes of the server clock.")
TOKEN_MISSING = ErrorKind(105001, 401, "The x-tts-access-token header is missing.")
TOKEN_INVALID = ErrorKind(105002, 401, "The access token is unknown or belongs to another app.")
TOKEN_EXPIRED = ErrorKind(105003, 401, "The access token has expired: refresh it.")
TOKEN_REVOKED = ErrorKind(105004, 401, "The access token was revoked (the authorisation or the app).")
SHOP_NOT_GRANTED = ErrorKind(105005, 403, "The shop_cipher is not one this token may use.")
AUTH_CODE_INVALID = ErrorKind(105010, 400, "The auth_code is unknown, used, expired or for another app.")
REFRESH_TOKEN_INVALID = ErrorKind(105011, 400, "The refresh_token is unknown, expired or revoked.")
GRANT_TYPE_INVALID = ErrorKind(105012, 400, "grant_type is missing or not the one this endpoint takes.")
INVALID_PARAM = ErrorKind(36009001, 400, "A query parameter or body field is missing or invalid.")
MALFORMED_JSON = ErrorKind(36009002, 400, "The request body is not a JSON object.")
UNKNOWN_STATUS = ErrorKind(36009003, 400, "order_status is not a known order status.")
UNKNOWN_PATH = ErrorKind(36009004, 404, "No API endpoint at this path.")
BAD_PAGE_TOKEN = ErrorKind(36009005, 400, "page_token is not one this endpoint issued for these filters.")
METHOD_NOT_ALLOWED = ErrorKind(36009006, 405, "The endpoint does not take this HTTP method.")
RATE_LIMITED = ErrorKind(36009007, 429, "Too many requests for this app: retry after the current minute.")
INTERNAL = ErrorKind(36009099, 500, "Internal error; the request id identifies it in the server log.")

ALL = [
    BAD_SIGN,
    MISSING_COMMON_PARAM,
    UNKNOWN_APP,
    STALE_TIMESTAMP,
    TOKEN_MISSING,
    TOKEN_INVALID,
    TOKEN_EXPIRED,
    TOKEN_REVOKED,
    SHOP_NOT_GRANTED,
    AUTH_CODE_INVALID,
    REFRESH_TOKEN_INVALID,
    GRANT_TYPE_INVALID,
    INVALID_PARAM,
    MALFORMED_JSON,
    UNKNOWN_STATUS,
    UNKNOWN_PATH,
    BAD_PAGE_TOKEN,
    METHOD_NOT_ALLOWED,
    RATE_LIMITED,
    INTERNAL,
]


class ApiError(Exception):
    """Raised anywhere below a view; the view answers the envelope with the kind's code and status."""

    def __init__(self, kind: ErrorKind, message: str = ""):
        super().__init__(message or kind.meaning)
        self.kind = kind
        self.message = message or kind.meaning
