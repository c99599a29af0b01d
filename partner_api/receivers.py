"""partner_api listens to orders; orders knows nothing of it."""

from django.dispatch import receiver

from orders.signals import order_status_changed

from .webhooks import queue_order_status_change


@receiver(order_status_changed, dispatch_uid="partner_api.webhooks")
def on_order_status_changed(sender, order, from_status, to_status, at, **kwargs):
    queue_order_status_change(order, to_status, at)
