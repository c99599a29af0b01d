from django.conf import settings
from django.db import models

from orders.statuses import ActorKind, CancellationStatus, ReturnStatus, ReturnType

from .money import MoneyField


class CancellationRequest(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="cancellations")
    initiator = models.CharField(max_length=16, choices=ActorKind.choices, default=ActorKind.BUYER)
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=40, choices=CancellationStatus.choices, default=CancellationStatus.PENDING)
    requested_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["order", "requested_at"]
        indexes = [models.Index(fields=["status", "order"], name="cancellation_status_order")]

    def __str__(self):
        return f"{self.get_status_display()} ({self.reason})"


class ReturnRequest(models.Model):
    """A return or refund: asked by the buyer, or a refund the seller gave on their own."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="returns")
    initiator = models.CharField(max_length=16, choices=ActorKind.choices, default=ActorKind.BUYER)
    return_type = models.CharField(max_length=24, choices=ReturnType.choices)
    status = models.CharField(max_length=40, choices=ReturnStatus.choices, default=ReturnStatus.PENDING)
    reason = models.CharField(max_length=200)
    refund_amount = MoneyField()
    requested_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["order", "requested_at"]
        indexes = [models.Index(fields=["status", "order"], name="return_status_order")]
        constraints = [
            models.CheckConstraint(condition=models.Q(refund_amount__gte=0), name="return_refund_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_return_type_display()}: {self.get_status_display()}"
