"""The core every action goes through: permission, lock, table check, stale check, history row."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditKind
from accounts.services import audit
from orders.models import Order, StatusHistory
from orders.signals import order_status_changed
from orders.statuses import ACTIONS, Action, ActorKind, OrderStatus, can_transition

from .errors import ActionRefused


def authorize(user, order: Order, action_name: str) -> Action:
    action = ACTIONS[action_name]
    if not user.has_perm(action.perm.full_name, order.shop):
        raise PermissionDenied(f"Your role in {order.shop.name} does not allow “{action.label}”.")
    return action


def lock(order: Order, expected_status: str | None) -> Order:
    """Re-read the order under a row lock (SQLite: the IMMEDIATE transaction) and refuse stale forms.

    Two people acting on the same order queue up here; the second finds the status moved on.
    """
    locked = Order.objects.select_for_update(of=("self",)).select_related("shop").get(pk=order.pk)
    if expected_status is not None and locked.status != expected_status:
        raise ActionRefused(
            f"Order {order.pk} is now “{OrderStatus(locked.status).label}”, not “{_label(expected_status)}”: "
            "someone changed it while you were looking. Nothing was done; please review the order again."
        )
    return locked


def _label(status):
    try:
        return OrderStatus(status).label
    except ValueError:
        return str(status)


def check_allowed(action: Action, order: Order, to: OrderStatus | None = None) -> None:
    to = to or action.target
    status = OrderStatus(order.status)
    if status not in action.sources or (to and to != status and not can_transition(status, to)):
        raise ActionRefused(f"“{action.label}” is not possible for an order that is “{status.label}”.")


def record(
    order: Order, user, *, to: str | None = None, reason: str, actor_kind=ActorKind.SELLER, at=None, **fields
) -> StatusHistory:
    """Write the new status and fields on the locked order and one history row."""
    at = at or timezone.now()
    before = order.status
    if to:
        order.status = to
    for name, value in fields.items():
        setattr(order, name, value)
    order.updated_at = at
    order.save(update_fields=["status", "updated_at", *fields])
    if before != order.status and user is not None and user.is_authenticated:
        audit.record(
            AuditKind.STATUS_CHANGED,
            actor=user,
            shop=order.shop,
            target=f"order {order.pk}",
            summary=f"Order {order.pk}: {_label(before)} → {_label(order.status)}",
            before=before,
            after=order.status,
            reason=reason,
        )
    history = StatusHistory.objects.create(
        order=order,
        from_status=before,
        to_status=order.status,
        at=at,
        actor=user if user is not None and user.is_authenticated else None,
        actor_kind=actor_kind,
        reason=reason,
    )
    if before != order.status:
        order_status_changed.send(sender=Order, order=order, from_status=before, to_status=order.status, at=at)
    return history
