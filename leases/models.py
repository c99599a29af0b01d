"""The lease fields a leased job's model inherits (abstract: every kind keeps them on its own row, so
taking, renewing and finishing a job are conditional UPDATEs of that one row)."""

from django.db import models


class Leased(models.Model):
    lease_token = models.CharField(
        max_length=32, blank=True, default="", help_text="Who holds the job (one value per attempt); empty: nobody."
    )
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The holder's heartbeat must come before this moment."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker has taken the job.")

    class Meta:
        abstract = True

    @property
    def leased(self) -> bool:
        return bool(self.lease_token)
