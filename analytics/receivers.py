"""Marks the local day of an order dirty whenever the order or one of its lines is written through
the ORM (status transitions and refunds save the order; see orders.services.transitions.record).
The mark is written in the writer's transaction; the dashboard re-aggregates the day before reading."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from orders.models import LineItem, Order

from .services.rollup import mark_dirty


def _mark(order: Order) -> None:
    if order.created_at is not None:
        mark_dirty(order.shop_id, [order.created_at.astimezone(order.shop.tzinfo).date()])


@receiver(post_save, sender=Order, dispatch_uid="analytics_order_saved")
@receiver(post_delete, sender=Order, dispatch_uid="analytics_order_deleted")
def order_written(sender, instance, raw=False, **kwargs):
    if not raw:
        _mark(instance)


@receiver(post_save, sender=LineItem, dispatch_uid="analytics_line_saved")
@receiver(post_delete, sender=LineItem, dispatch_uid="analytics_line_deleted")
def line_written(sender, instance, raw=False, **kwargs):
    if raw:
        return
    order = Order.objects.select_related("shop").filter(pk=instance.order_id).first()
    if order is not None:
        _mark(order)
