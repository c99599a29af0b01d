"""Reading a search request: query parameters and JSON body, validated into a SearchSpec."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Q

from orders.models import CancellationRequest
from orders.statuses import ActorKind, CancellationStatus, FulfillmentType, OrderStatus

from . import errors

MAX_PAGE_SIZE = 100
SORT_FIELDS = {"create_time": "created_at", "update_time": "updated_at"}
SORT_ORDERS = ("ASC", "DESC")
TIME_FILTERS = {
    "create_time_ge": ("created_at", "gte"),
    "create_time_lt": ("created_at", "lt"),
    "update_time_ge": ("updated_at", "gte"),
    "update_time_lt": ("updated_at", "lt"),
}
SHIPPING_TYPES = {"TIKTOK": FulfillmentType.BY_PLATFORM, "SELLER": FulfillmentType.BY_SELLER}


@dataclass(frozen=True)
class SearchSpec:
    page_size: int
    page_token: str
    sort_field: str  # the platform's name
    descending: bool
    body: dict = field(default_factory=dict)  # the filters as sent (known keys only)

    @property
    def column(self) -> str:
        return SORT_FIELDS[self.sort_field]


def page_size(value) -> int:
    if value is None or value == "":
        raise errors.ApiError(errors.INVALID_PARAM, "page_size is required (1 to 100).")
    if not str(value).isdigit() or not 1 <= int(value) <= MAX_PAGE_SIZE:
        raise errors.ApiError(errors.INVALID_PARAM, f"page_size must be a whole number from 1 to 100, not {value!r}.")
    return int(value)


def read_body(request) -> dict:
    raw = request.body
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.ApiError(errors.MALFORMED_JSON, f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise errors.ApiError(errors.MALFORMED_JSON, "The body must be a JSON object.")
    return body


def parse(request) -> SearchSpec:
    params = request.GET
    sort_field = params.get("sort_field") or "create_time"
    if sort_field not in SORT_FIELDS:
        raise errors.ApiError(errors.INVALID_PARAM, "sort_field must be create_time or update_time.")
    sort_order = (params.get("sort_order") or "DESC").upper()
    if sort_order not in SORT_ORDERS:
        raise errors.ApiError(errors.INVALID_PARAM, "sort_order must be ASC or DESC.")
    size = page_size(params.get("page_size"))
    body = read_body(request)
    filters = {
        key: body[key]
        for key in ("order_status", "shipping_type", "buyer_user_id", "is_buyer_request_cancel", *TIME_FILTERS)
        if body.get(key) is not None
    }
    filter_q(filters)  # validate now, before any query
    return SearchSpec(size, params.get("page_token") or "", sort_field, sort_order == "DESC", filters)


def _unix(key, value) -> datetime:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        raise errors.ApiError(errors.INVALID_PARAM, f"{key} must be unix seconds, not {value!r}.")
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise errors.ApiError(errors.INVALID_PARAM, f"{key} is out of range.") from None


def filter_q(filters: dict) -> Q:
    q = Q()
    status = filters.get("order_status")
    if status is not None:
        if status not in OrderStatus.values:
            raise errors.ApiError(
                errors.UNKNOWN_STATUS, f"order_status {status!r} is not one of {', '.join(OrderStatus.values)}."
            )
        q &= Q(status=status)
    for key, (column, lookup) in TIME_FILTERS.items():
        if key in filters:
            q &= Q(**{f"{column}__{lookup}": _unix(key, filters[key])})
    if "shipping_type" in filters:
        if filters["shipping_type"] not in SHIPPING_TYPES:
            raise errors.ApiError(errors.INVALID_PARAM, "shipping_type must be TIKTOK or SELLER.")
        q &= Q(fulfillment_type=SHIPPING_TYPES[filters["shipping_type"]])
    if "buyer_user_id" in filters:
        if not isinstance(filters["buyer_user_id"], str):
            raise errors.ApiError(errors.INVALID_PARAM, "buyer_user_id must be a string.")
        q &= Q(buyer_user_id=filters["buyer_user_id"])
    if "is_buyer_request_cancel" in filters:
        wanted = filters["is_buyer_request_cancel"]
        if not isinstance(wanted, bool):
            raise errors.ApiError(errors.INVALID_PARAM, "is_buyer_request_cancel must be true or false.")
        pending = Exists(
            CancellationRequest.objects.filter(
                order=OuterRef("pk"), initiator=ActorKind.BUYER, status=CancellationStatus.PENDING
            )
        )
        q &= Q(pending) if wanted else ~Q(pending)
    return q
