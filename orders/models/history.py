from django.conf import settings
from django.db import models

from orders.statuses import ActorKind, OrderStatus


class StatusHistory(models.Model):
    """One status change of an order: from, to, when, who and why. Append-only."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=32, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=OrderStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "at", "id"]
        verbose_name_plural = "status history"
        indexes = [models.Index(fields=["order", "at"], name="history_order_at")]

    def __str__(self):
        return f"{self.from_status or '—'} -> {self.to_status}"
