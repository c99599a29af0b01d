"""The detailed order view: everything about one order, and the actions this user may take on it."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import requires
from accounts.roles import Perm
from orders.forms import ArrangeShipmentForm, CancelForm, MessageForm, NoteForm, RefundForm
from orders.masking import PiiAccess
from orders.selectors.order_detail import estimated_delivery, order_for, risk_flags, timeline
from orders.services.after_sales import refundable
from orders.statuses import ACTIONS, OPEN_RETURN_STATUSES, CancellationStatus


def available_actions(user, order) -> set[str]:
    """Actions the table allows from this status that the user's role in this shop may take."""
    granted = {perm for perm in {a.perm for a in ACTIONS.values()} if user.has_perm(perm.full_name, order.shop)}
    return {name for name, a in ACTIONS.items() if a.perm in granted and order.status in a.sources}


@require_GET
@requires(Perm.VIEW_ORDERS)
def order_detail(request, order_id: int):
    order = order_for(request.user, order_id)
    now = timezone.now()
    actions = available_actions(request.user, order)
    initial = {"expected_status": order.status}
    lines = list(order.lines.all())
    context = {
        "order": order,
        "shop": order.shop,
        "lines": lines,
        "packages": list(order.packages.all()),
        "buyer": PiiAccess.for_request(request).buyer(order),
        "timeline": timeline(order),
        "eta": estimated_delivery(order),
        "risks": risk_flags(order, now),
        "notes": list(order.notes.all()),
        "messages_thread": list(order.messages.all()),
        "cancellations": list(order.cancellations.all()),
        "returns": list(order.returns.all()),
        "pending_cancellations": [c for c in order.cancellations.all() if c.status == CancellationStatus.PENDING],
        "open_returns": [r for r in order.returns.all() if r.status in OPEN_RETURN_STATUSES],
        "refundable": refundable(order),
        "actions": actions,
        "now": now,
        "ship_form": ArrangeShipmentForm(initial=initial, order=order) if "arrange_shipment" in actions else None,
        "cancel_form": CancelForm(initial=initial) if "cancel" in actions else None,
        "refund_form": RefundForm(initial=initial) if "refund" in actions and order.paid_at else None,
        "note_form": NoteForm(initial=initial) if "add_note" in actions else None,
        "message_form": MessageForm(initial=initial) if "message_buyer" in actions else None,
    }
    return render(request, "orders/order_detail.html", context)
