"""One ready-to-run scenario per seller action, shared by the service tests.

`SCENARIOS[name](shop, status)` builds an order of `shop` in `status` (default: the usual
starting point of the action) plus whatever the action needs, and returns `(order, call)`;
`call(user, **overrides)` runs the service with sensible arguments. `snapshot(order)` captures
everything an action may write, so a refused action can be shown to have changed nothing.
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from orders.models import Order, StatusHistory
from orders.services import after_sales, cancellation, conversation, shipping
from orders.statuses import OrderStatus, PackageStatus, ReturnType
from tests.factories import CancellationRequestFactory, OrderFactory, PackageFactory, ReturnRequestFactory

S = OrderStatus
_numbers = itertools.count(1)


def tracking_number():
    return f"1Z999AA1{next(_numbers):010d}"


def _call(service, order, **defaults):
    return lambda user, **overrides: service(order, user, **{**defaults, **overrides})


def arrange_shipment(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    return order, _call(
        shipping.arrange_shipment, order, expected_status=status, carrier="USPS", tracking_number=tracking_number()
    )


def mark_collected(shop, status=S.AWAITING_COLLECTION):
    order = OrderFactory(shop=shop, status=status)
    PackageFactory(order=order, status=PackageStatus.PROCESSING, shipped_at=None)
    return order, _call(shipping.mark_collected, order, expected_status=status)


def mark_delivered(shop, status=S.IN_TRANSIT):
    order = OrderFactory(shop=shop, status=status)
    PackageFactory(order=order, status=PackageStatus.IN_TRANSIT)
    return order, _call(shipping.mark_delivered, order, expected_status=status)


def mark_completed(shop, status=S.DELIVERED):
    order = OrderFactory(shop=shop, status=status, delivered_at=timezone.now() - timedelta(days=8))
    PackageFactory(order=order, status=PackageStatus.DELIVERED, delivered_at=order.delivered_at)
    return order, _call(shipping.mark_completed, order, expected_status=status)


def cancel(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    return order, _call(cancellation.cancel_order, order, expected_status=status, reason="Out of stock")


def approve_cancellation(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    request = CancellationRequestFactory(order=order)
    return order, _call(cancellation.approve_cancellation, order, request_id=request.pk, expected_status=status)


def reject_cancellation(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    request = CancellationRequestFactory(order=order)
    return order, _call(cancellation.reject_cancellation, order, request_id=request.pk)


def refund(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    return order, _call(after_sales.refund, order, amount="5.00", reason="Shipped late")


def approve_return(shop, status=S.DELIVERED):
    order = OrderFactory(shop=shop, status=status)
    request = ReturnRequestFactory(order=order, return_type=ReturnType.REFUND)
    return order, _call(after_sales.approve_return, order, return_id=request.pk)


def reject_return(shop, status=S.DELIVERED):
    order = OrderFactory(shop=shop, status=status)
    request = ReturnRequestFactory(order=order)
    return order, _call(after_sales.reject_return, order, return_id=request.pk, reason="The photos show no damage")


def add_note(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    return order, _call(conversation.add_note, order, text="Gift wrap, please")


def message_buyer(shop, status=S.AWAITING_SHIPMENT):
    order = OrderFactory(shop=shop, status=status)
    return order, _call(conversation.message_buyer, order, body="Your parcel leaves tomorrow.")


SCENARIOS = {
    f.__name__: f
    for f in (
        arrange_shipment,
        mark_collected,
        mark_delivered,
        mark_completed,
        cancel,
        approve_cancellation,
        reject_cancellation,
        refund,
        approve_return,
        reject_return,
        add_note,
        message_buyer,
    )
}


def snapshot(order):
    """Everything a seller action may write about `order`, read fresh from the database."""
    order = Order.objects.get(pk=order.pk)
    return {
        "order": (
            order.status,
            order.updated_at,
            order.refunded_amount,
            order.seller_note,
            order.cancel_reason,
            order.cancellation_initiator,
            order.cancelled_at,
            order.shipped_at,
            order.delivered_at,
            order.completed_at,
        ),
        "history": list(StatusHistory.objects.filter(order=order).values_list("pk", flat=True)),
        "lines": list(order.lines.values_list("pk", "status", "package_id")),
        "packages": list(order.packages.values_list("pk", "status", "shipped_at", "delivered_at")),
        "events": list(order.packages.values_list("events__pk", flat=True)),
        "cancellations": list(order.cancellations.values_list("pk", "status", "resolved_by")),
        "returns": list(order.returns.values_list("pk", "status", "resolved_by")),
        "notes": list(order.notes.values_list("pk", flat=True)),
        "messages": list(order.messages.values_list("pk", flat=True)),
    }


def history_of(order):
    return list(StatusHistory.objects.filter(order_id=order.pk).order_by("id"))
