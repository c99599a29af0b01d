"""API apps, their grants (shop authorisations with hashed tokens), auth codes and the webhook log.

Secrets that only need checking (tokens, auth codes) are kept as SHA-256 hashes and shown once.
The app secret is kept as is: every request is verified with an HMAC keyed with it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_app_key() -> str:
    return secrets.token_hex(7)  # 14 lowercase characters, shaped like the platform's app keys


def new_app_secret() -> str:
    return secrets.token_hex(20)


def new_open_id() -> str:
    return secrets.token_urlsafe(30)


class ApiApp(models.Model):
    name = models.CharField(max_length=120)
    app_key = models.CharField(max_length=32, unique=True, default=new_app_key, editable=False)
    app_secret = models.CharField(
        max_length=64,
        default=new_app_secret,
        editable=False,
        help_text="Verifies request signatures; shown to its owner once.",
    )
    webhook_url = models.URLField("webhook URL", blank=True, help_text="ORDER_STATUS_CHANGE events are POSTed here.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_apps")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API app"

    def __str__(self):
        return f"{self.name} ({self.app_key})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Grant(models.Model):
    """An app's access to some shops, given by one Administrator: what its tokens may read."""

    app = models.ForeignKey(ApiApp, on_delete=models.CASCADE, related_name="grants")
    shops = models.ManyToManyField("accounts.Shop", related_name="api_grants")
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_grants")
    open_id = models.CharField(max_length=64, default=new_open_id, editable=False)
    access_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    refresh_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    access_expires_at = models.DateTimeField()
    refresh_expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.app.name} by {self.authorised_by} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.app.revoked_at is None


class AuthCode(models.Model):
    """The single-use code an Administrator's authorisation yields; the app trades it for tokens."""

    app = models.ForeignKey(ApiApp, on_delete=models.CASCADE, related_name="auth_codes")
    shops = models.ManyToManyField("accounts.Shop", related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"code for {self.app.name} ({'used' if self.used_at else 'unused'})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one app, with the outcome of its latest attempt."""

    app = models.ForeignKey(ApiApp, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_try_at"], name="webhook_status_next")]

    def __str__(self):
        return f"{self.event_type} to {self.app.name}: {self.status}"
