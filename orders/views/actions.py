"""Seller actions: POST only, CSRF-protected; the service checks role, transition table and staleness."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import requires
from accounts.roles import Perm
from orders import forms
from orders.selectors.order_detail import order_for
from orders.services import ActionRefused, after_sales, cancellation, conversation, shipping
from orders.services.transitions import authorize

# action -> (form class, call(order, user, cleaned data), success message)
HANDLERS = {
    "arrange_shipment": (
        forms.ArrangeShipmentForm,
        lambda o, u, d: shipping.arrange_shipment(
            o,
            u,
            expected_status=d["expected_status"],
            carrier=d["carrier"],
            tracking_number=d["tracking_number"],
            line_ids=d["line_ids"] or None,
        ),
        "Shipment arranged.",
    ),
    "mark_collected": (
        forms.ActionForm,
        lambda o, u, d: shipping.mark_collected(o, u, expected_status=d["expected_status"]),
        "Marked as collected by the carrier.",
    ),
    "mark_delivered": (
        forms.ActionForm,
        lambda o, u, d: shipping.mark_delivered(o, u, expected_status=d["expected_status"]),
        "Marked as delivered.",
    ),
    "mark_completed": (
        forms.ActionForm,
        lambda o, u, d: shipping.mark_completed(o, u, expected_status=d["expected_status"]),
        "Order completed.",
    ),
    "cancel": (
        forms.CancelForm,
        lambda o, u, d: cancellation.cancel_order(o, u, expected_status=d["expected_status"], reason=d["reason"]),
        "Order cancelled.",
    ),
    "approve_cancellation": (
        forms.RequestAnswerForm,
        lambda o, u, d: cancellation.approve_cancellation(
            o, u, request_id=d["request_id"], expected_status=d["expected_status"]
        ),
        "Cancellation approved.",
    ),
    "reject_cancellation": (
        forms.RequestAnswerForm,
        lambda o, u, d: cancellation.reject_cancellation(o, u, request_id=d["request_id"]),
        "Cancellation request rejected.",
    ),
    "refund": (
        forms.RefundForm,
        lambda o, u, d: after_sales.refund(o, u, amount=d["amount"], reason=d["reason"]),
        "Refund issued.",
    ),
    "approve_return": (
        forms.RequestAnswerForm,
        lambda o, u, d: after_sales.approve_return(o, u, return_id=d["request_id"]),
        "Return/refund request approved.",
    ),
    "reject_return": (
        forms.RequestAnswerForm,
        lambda o, u, d: after_sales.reject_return(o, u, return_id=d["request_id"], reason=d["reason"]),
        "Return/refund request rejected.",
    ),
    "add_note": (
        forms.NoteForm,
        lambda o, u, d: conversation.add_note(o, u, text=d["text"], color=d["color"]),
        "Note added.",
    ),
    "message_buyer": (
        forms.MessageForm,
        lambda o, u, d: conversation.message_buyer(o, u, body=d["body"]),
        "Message sent to the buyer.",
    ),
}


@require_POST
@requires(Perm.VIEW_ORDERS)
def order_action(request, order_id: int, action: str):
    if action not in HANDLERS:
        raise Http404(f"There is no action “{action}”.")
    order = order_for(request.user, order_id)  # 404 for another shop's order, before anything else
    authorize(request.user, order, action)  # 403 for a role without the action's permission, before the form
    form_class, call, done = HANDLERS[action]
    form = (
        form_class(request.POST, order=order) if form_class is forms.ArrangeShipmentForm else form_class(request.POST)
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label or field.replace("_", " ").capitalize() if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    else:
        data = dict(form.cleaned_data)
        data["expected_status"] = data.get("expected_status") or None
        try:
            call(order, request.user, data)  # PermissionDenied -> 403 with its reason
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done)
    return redirect("order_detail", order_id=order.pk)
