"""Cancelling before shipment, and answering a buyer's cancellation request."""

from django.db import transaction
from django.utils import timezone

from orders.models import CancellationRequest
from orders.statuses import CANCEL_REASONS, ActorKind, CancellationStatus, OrderStatus, PackageStatus

from .errors import ActionRefused
from .transitions import authorize, check_allowed, lock, record


def _cancel(order, user, *, reason, initiator, at):
    order.packages.update(status=PackageStatus.CANCELLED)
    order.lines.update(status=OrderStatus.CANCELLED)
    record(
        order,
        user,
        to=OrderStatus.CANCELLED,
        at=at,
        reason=reason,
        cancelled_at=at,
        cancel_reason=reason,
        cancellation_initiator=initiator,
    )


@transaction.atomic
def cancel_order(order, user, *, expected_status, reason, now=None):
    action = authorize(user, order, "cancel")
    order = lock(order, expected_status)
    check_allowed(action, order)
    if reason not in CANCEL_REASONS:
        raise ActionRefused("Choose a cancellation reason from the list.")
    now = now or timezone.now()
    order.cancellations.filter(status=CancellationStatus.PENDING).update(
        status=CancellationStatus.SUCCESS, resolved_at=now, resolved_by=user
    )
    _cancel(order, user, reason=reason, initiator=ActorKind.SELLER, at=now)


def _pending_request(order, request_id) -> CancellationRequest:
    request = order.cancellations.filter(pk=request_id).first()
    if request is None:
        raise ActionRefused("That cancellation request does not belong to this order.")
    if request.status != CancellationStatus.PENDING:
        raise ActionRefused(f"That cancellation request is already answered ({request.get_status_display()}).")
    return request


@transaction.atomic
def approve_cancellation(order, user, *, request_id, expected_status, now=None):
    action = authorize(user, order, "approve_cancellation")
    order = lock(order, expected_status)
    request = _pending_request(order, request_id)
    check_allowed(action, order)
    now = now or timezone.now()
    request.status, request.resolved_at, request.resolved_by = CancellationStatus.SUCCESS, now, user
    request.save(update_fields=["status", "resolved_at", "resolved_by"])
    _cancel(order, user, reason=f"Buyer request approved: {request.reason}"[:200], initiator=ActorKind.BUYER, at=now)


@transaction.atomic
def reject_cancellation(order, user, *, request_id, now=None):
    authorize(user, order, "reject_cancellation")
    order = lock(order, None)
    request = _pending_request(order, request_id)
    now = now or timezone.now()
    request.status, request.resolved_at, request.resolved_by = CancellationStatus.CANCEL, now, user
    request.save(update_fields=["status", "resolved_at", "resolved_by"])
    record(order, user, at=now, reason=f"Cancellation request rejected: {request.reason}"[:200])
