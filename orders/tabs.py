"""The status tabs of Manage Orders, as the platform groups them."""

from django.db.models import Q

from .pending import open_cancellation_requests, open_return_requests
from .statuses import OrderStatus

S = OrderStatus


# key -> (label, condition on Order)
TABS = {
    "all": ("All", None),
    "unpaid": ("Unpaid", Q(status=S.UNPAID)),
    "to_ship": ("To ship", Q(status__in=[S.ON_HOLD, S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING, S.AWAITING_COLLECTION])),
    "shipped": ("Shipped", Q(status__in=[S.IN_TRANSIT, S.DELIVERED])),
    "completed": ("Completed", Q(status=S.COMPLETED)),
    "cancelled": ("Cancelled", Q(status=S.CANCELLED)),
    "after_sales": ("Returns/Refunds", None),  # built per query: see condition()
}


def condition(tab: str):
    if tab == "after_sales":
        return open_return_requests() | open_cancellation_requests()
    return TABS[tab][1]


def tab_statuses(tab: str):
    """The statuses a tab shows, or None when it is not a set of statuses ("All", "Returns/Refunds")."""
    cond = TABS[tab][1]
    if cond is None:
        return None
    ((lookup, value),) = cond.children
    return frozenset([value] if lookup == "status" else value)
