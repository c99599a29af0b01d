"""The append-only audit trail of security-relevant events.

Rows are only ever inserted: the model refuses updates and deletes, the admin is read-only, and a
database trigger (migration 0003) refuses UPDATE from any client. Who and which shop are kept as ids
and as text, so an event stays readable after the user or shop is gone.
"""

from django.conf import settings
from django.db import models


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    SIGN_IN_IP_PAUSED = "sign_in_ip_paused", "Sign-ins from an address paused after failures across users"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    OTP_VERIFIED = "otp_verified", "Two-factor code accepted"
    OTP_FAILED = "otp_failed", "Two-factor code refused"
    OTP_ENROLLED = "otp_enrolled", "Two-factor authentication turned on"
    OTP_REMOVED = "otp_removed", "Two-factor authentication turned off"
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", "Recovery codes issued"
    SESSION_EXPIRED = "session_expired", "Session expired"
    SESSION_REFUSED = "session_refused", "Revoked session refused"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
    MEMBERSHIP_ADDED = "membership_added", "Member added"
    ROLE_CHANGED = "role_changed", "Role changed"
    MEMBERSHIP_REMOVED = "membership_removed", "Member removed"
    USER_DEACTIVATED = "user_deactivated", "User deactivated"
    USER_REACTIVATED = "user_reactivated", "User reactivated"
    PERMISSION_DENIED = "permission_denied", "Access refused"
    CSRF_REFUSED = "csrf_refused", "Request without a valid CSRF token refused"
    PII_REVEALED = "pii_revealed", "Buyer details revealed"
    STATUS_CHANGED = "status_changed", "Order status changed"
    EXPORT_CREATED = "export_created", "Export created"
    EXPORT_DOWNLOADED = "export_downloaded", "Export downloaded"
    API_CREDENTIALS_CREATED = "api_credentials_created", "API credentials created"
    API_CREDENTIALS_REVOKED = "api_credentials_revoked", "API credentials revoked"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only: events cannot be changed.")

    def delete(self):
        raise TypeError("The audit log is append-only: events cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=40, choices=AuditKind.choices)
    # Plain ids, no foreign-key constraint: deleting a user or a shop must neither fail nor touch the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("who", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    shop = models.ForeignKey(
        "accounts.Shop", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    shop_name = models.CharField(max_length=120, blank=True)
    target = models.CharField("about", max_length=200, blank=True, help_text="The order, user or object concerned.")
    summary = models.CharField("what", max_length=500)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-at"], name="audit_shop_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'}: {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit log is append-only: events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only: events cannot be deleted.")
