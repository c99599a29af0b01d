"""Refunds the seller gives, and answers to the buyer's return/refund requests."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from orders.models import ReturnRequest
from orders.statuses import OPEN_RETURN_STATUSES, ActorKind, ReturnStatus, ReturnType

from .errors import ActionRefused
from .transitions import authorize, check_allowed, lock, record


def refundable(order) -> Decimal:
    return order.total - order.refunded_amount


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ActionRefused("The refund amount must be a number such as 12.50.") from None
    if not amount.is_finite():
        raise ActionRefused("The refund amount must be a number such as 12.50.")
    if amount <= 0:
        raise ActionRefused("The refund amount must be more than zero.")
    return amount


def _pay_out(order, amount: Decimal):
    if amount > refundable(order):
        raise ActionRefused(
            f"At most {refundable(order)} {order.currency} can still be refunded "
            f"(paid {order.total}, already refunded {order.refunded_amount})."
        )
    order.refunded_amount += amount


@transaction.atomic
def refund(order, user, *, amount, reason, now=None) -> ReturnRequest:
    action = authorize(user, order, "refund")
    order = lock(order, None)
    check_allowed(action, order)
    if order.paid_at is None:
        raise ActionRefused("This order was never paid; there is nothing to refund.")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("Say why you refund.")
    amount = _amount(amount)
    _pay_out(order, amount)
    now = now or timezone.now()
    given = ReturnRequest.objects.create(
        order=order,
        initiator=ActorKind.SELLER,
        return_type=ReturnType.REFUND,
        status=ReturnStatus.SUCCESS,
        reason=reason[:200],
        refund_amount=amount,
        requested_at=now,
        resolved_at=now,
        resolved_by=user,
    )
    record(
        order,
        user,
        at=now,
        reason=f"Refunded {amount} {order.currency}: {reason}"[:200],
        refunded_amount=order.refunded_amount,
    )
    return given


def _open_request(order, return_id) -> ReturnRequest:
    request = order.returns.filter(pk=return_id).first()
    if request is None:
        raise ActionRefused("That return/refund request does not belong to this order.")
    if request.status not in OPEN_RETURN_STATUSES:
        raise ActionRefused(f"That request is already settled ({request.get_status_display()}).")
    return request


@transaction.atomic
def approve_return(order, user, *, return_id, now=None) -> ReturnRequest:
    """REFUND: pay at once. RETURN_AND_REFUND: first wait for the item, then pay when it is back."""
    authorize(user, order, "approve_return")
    order = lock(order, None)
    request = _open_request(order, return_id)
    now = now or timezone.now()
    if request.return_type == ReturnType.RETURN_AND_REFUND and request.status == ReturnStatus.PENDING:
        request.status = ReturnStatus.AWAITING_BUYER_SHIP
        note = "Return approved; waiting for the buyer to send the item back"
    elif request.status == ReturnStatus.AWAITING_BUYER_SHIP:
        raise ActionRefused("The buyer has not sent the item back yet.")
    else:
        _pay_out(order, request.refund_amount)
        request.status, request.resolved_at, request.resolved_by = ReturnStatus.SUCCESS, now, user
        note = f"{request.get_return_type_display()} approved: {request.refund_amount} {order.currency} refunded"
    request.save(update_fields=["status", "resolved_at", "resolved_by"])
    record(order, user, at=now, reason=note[:200], refunded_amount=order.refunded_amount)
    return request


@transaction.atomic
def reject_return(order, user, *, return_id, reason, now=None) -> ReturnRequest:
    authorize(user, order, "reject_return")
    order = lock(order, None)
    request = _open_request(order, return_id)
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("Say why you reject the request; the buyer sees it.")
    now = now or timezone.now()
    request.status, request.resolved_at, request.resolved_by = ReturnStatus.REJECT, now, user
    request.save(update_fields=["status", "resolved_at", "resolved_by"])
    record(order, user, at=now, reason=f"Return/refund request rejected: {reason}"[:200])
    return request
