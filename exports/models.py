import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from leases.models import Leased

from .columns import Format, Layout


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


FINISHED = frozenset({ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.CANCELLED, ExportStatus.EXPIRED})


class ExportJob(Leased):
    """A background export. It keeps the filter parameters and the user, never a list of order ids:
    the rows are read when the job runs, within the user's permissions at that moment. While it runs,
    its worker holds its lease (leases.models.Leased)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    params = models.JSONField(help_text="The order filters (query parameters) and the chosen shop codes.")
    shop_ids = models.JSONField(default=list, help_text="Shops in scope when it was asked for (who may download).")
    description = models.CharField(max_length=300)
    format = models.CharField(max_length=16, choices=[(f.value, f.label) for f in Format])
    layout = models.CharField(max_length=16, choices=[(lay.value, lay.label) for lay in Layout])
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    rows_written = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_created"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry"),
            models.Index(fields=["lease_expires_at"], name="export_lease_expiry"),
        ]

    def __str__(self):
        return f"{self.description} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in FINISHED

    @property
    def percent(self):
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_written * 100 / self.rows_total))

    @property
    def filename(self):
        return f"orders-{self.created_at:%Y%m%d-%H%M%S}-{str(self.pk)[:8]}.{Format(self.format).extension}"

    @staticmethod
    def lifetime():
        return timedelta(days=getattr(settings, "EXPORT_FILE_DAYS", 7))
