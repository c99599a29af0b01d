from django.db import models

from orders.ids import platform_id
from orders.statuses import PackageStatus


class Package(models.Model):
    id = models.BigIntegerField(primary_key=True, default=platform_id, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="packages")
    carrier = models.CharField(max_length=64)
    tracking_number = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=PackageStatus.choices, default=PackageStatus.PROCESSING)
    created_at = models.DateTimeField(help_text="When the seller arranged shipment.")
    shipped_at = models.DateTimeField(null=True, blank=True, help_text="When the carrier collected it.")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "created_at"]
        indexes = [models.Index(fields=["tracking_number"], name="package_tracking_number")]

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}"


class TrackingEvent(models.Model):
    """A carrier scan: where the parcel was and what happened."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    location = models.CharField(max_length=120, blank=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["package", "at", "id"]
        indexes = [models.Index(fields=["package", "at"], name="tracking_package_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.description}"
