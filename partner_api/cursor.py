"""The opaque page token: a keyset position signed with a key derived from SECRET_KEY.

It holds the (sort value, order id) of the last order sent, the total counted on the first page,
and a fingerprint of the shop, filters and sort it was issued for; any other use is refused.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing

from . import errors

SALT = "partner_api.page_token"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Position:
    value: datetime
    order_id: int
    total: int


def fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def encode(position: Position, fp: str) -> str:
    return signing.dumps([_micros(position.value), str(position.order_id), position.total, fp], salt=SALT)


def decode(token: str, fp: str) -> Position:
    try:
        micros, order_id, total, issued_for = signing.loads(token, salt=SALT)
        position = Position(EPOCH + timedelta(microseconds=int(micros)), int(order_id), int(total))
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        raise errors.ApiError(errors.BAD_PAGE_TOKEN, "page_token is not a token this API issued.") from None
    if issued_for != fp:
        raise errors.ApiError(
            errors.BAD_PAGE_TOKEN, "page_token was issued for another shop, filter or sort; start again without it."
        )
    return position
