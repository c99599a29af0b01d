"""The status tabs of Manage Orders, as the platform groups them."""

from django.db.models import Q

from .models import CancellationRequest, ReturnRequest
from .statuses import OPEN_RETURN_STATUSES, CancellationStatus, OrderStatus

S = OrderStatus


def _open_after_sale():
    # Few orders have an open request: look them up by the requests' (status, order) index.
    returns = ReturnRequest.objects.filter(status__in=OPEN_RETURN_STATUSES).values("order_id")
    cancellations = CancellationRequest.objects.filter(status=CancellationStatus.PENDING).values("order_id")
    return Q(pk__in=returns) | Q(pk__in=cancellations)


# key -> (label, condition on Order)
TABS = {
    "all": ("All", None),
    "unpaid": ("Unpaid", Q(status=S.UNPAID)),
    "to_ship": ("To ship", Q(status__in=[S.ON_HOLD, S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING,
                                         S.AWAITING_COLLECTION])),
    "shipped": ("Shipped", Q(status__in=[S.IN_TRANSIT, S.DELIVERED])),
    "completed": ("Completed", Q(status=S.COMPLETED)),
    "cancelled": ("Cancelled", Q(status=S.CANCELLED)),
    "after_sales": ("Returns/Refunds", None),  # built per query: see condition()
}


def condition(tab: str):
    if tab == "after_sales":
        return _open_after_sale()
    return TABS[tab][1]
