"""The Pending actions board: what needs the seller's attention now. Each entry is also a list filter."""

from datetime import timedelta

from django.db.models import Q

from .models import CancellationRequest, ReturnRequest
from .statuses import OPEN_RETURN_STATUSES, UNPAID_AUTO_CANCEL, CancellationStatus, OrderStatus

S = OrderStatus
TO_SHIP = [S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING]

PENDING = {
    "ship_within_24h": "Ship within 24 hours",
    "ship_overdue": "Shipping overdue",
    "auto_cancel_24h": "Unpaid, auto-cancelling within 24 hours",
    "cancellation_requested": "Cancellation requested",
    "return_requested": "Return/refund requested",
}


def _open_cancellations():
    return CancellationRequest.objects.filter(status=CancellationStatus.PENDING)


def _open_returns():
    return ReturnRequest.objects.filter(status__in=OPEN_RETURN_STATUSES)


def open_cancellation_requests() -> Q:
    """Orders with a cancellation request awaiting the seller; few, found by the requests' index."""
    return Q(pk__in=_open_cancellations().values("order_id"))


def open_return_requests() -> Q:
    return Q(pk__in=_open_returns().values("order_id"))


def orders_with_open_requests(limit: int) -> set | None:
    """Ids of the orders with an open return or cancellation request, read from the requests' indexes
    alone (of every shop: intersect them with orders already scoped); None when more than `limit`."""
    ids = set()
    for requests in (_open_returns(), _open_cancellations()):
        ids.update(requests.order_by().values_list("order_id", flat=True)[: limit + 1])
    return ids if len(ids) <= limit else None


def pending_condition(key: str, now) -> Q:
    if key == "ship_within_24h":
        return Q(status__in=TO_SHIP, rts_sla_at__gte=now, rts_sla_at__lt=now + timedelta(hours=24))
    if key == "ship_overdue":
        return Q(status__in=TO_SHIP, rts_sla_at__lt=now)
    if key == "auto_cancel_24h":
        # Unpaid orders are cancelled 48 hours after placement: those placed 24-48 hours ago go next.
        return Q(
            status=S.UNPAID,
            created_at__gt=now - UNPAID_AUTO_CANCEL,
            created_at__lte=now - UNPAID_AUTO_CANCEL + timedelta(hours=24),
        )
    if key == "cancellation_requested":
        return open_cancellation_requests()
    if key == "return_requested":
        return open_return_requests()
    raise KeyError(key)
