from django.conf import settings
from django.db import models


class SecurityProfile(models.Model):
    """Per-user session facts the session itself cannot hold: a sign-out-everywhere cut-off, last activity."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    sessions_revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Sessions started before this moment are refused (sign out everywhere)."
    )
    last_seen_at = models.DateTimeField("last activity", null=True, blank=True)

    def __str__(self):
        return f"Security of {self.user}"
