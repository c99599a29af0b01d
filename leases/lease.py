"""Taking, renewing and finishing a lease. Each is one conditional UPDATE of the job's row, so of two
workers only one takes a job, and a worker whose lease was taken back (expired and reaped, or the job
cancelled) learns it at its next heartbeat and can never overwrite what happened since."""

import logging
import secrets
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger(__name__)


class LeaseLost(Exception):
    """The job is no longer this worker's: stop, remove what was half written, store nothing more."""


def lease_duration() -> timedelta:
    """JOB_LEASE_SECONDS: how long a job stays its worker's without a heartbeat (beats come 3x as often)."""
    return timedelta(seconds=float(settings.JOB_LEASE_SECONDS))


def take(queryset, pk, *, valid=None, clock=timezone.now, **fields):
    """Take job `pk` if `queryset` (the kind's "may start" condition, e.g. status=QUEUED) still holds it
    and nobody holds its lease; store `fields` with it. A `Lease`, or None when someone else has it.
    `valid`: what must stay true for the holder to go on (e.g. status=RUNNING: a cancel ends it)."""
    token = secrets.token_hex(16)
    taken = queryset.filter(pk=pk, lease_token="").update(
        lease_token=token, lease_expires_at=clock() + lease_duration(), attempts=F("attempts") + 1, **fields
    )
    return Lease(queryset.model, pk, token, valid=valid or Q(), clock=clock) if taken else None


class Lease:
    """One worker's hold on one job row, for one attempt."""

    def __init__(self, model, pk, token, *, valid=None, clock=timezone.now):
        self.model, self.pk, self.token, self.valid, self.clock = model, pk, token, valid or Q(), clock

    def _mine(self, still_valid=True):
        rows = self.model._base_manager.filter(pk=self.pk, lease_token=self.token)
        return rows.filter(self.valid) if still_valid else rows

    def renew(self, **fields) -> bool:
        """The heartbeat: push the expiry on and store `fields` (progress), while the job is still ours and
        still wanted. False: it is not; the caller stops."""
        return self._mine().update(lease_expires_at=self.clock() + lease_duration(), **fields) == 1

    def finish(self, **fields) -> bool:
        """Store the outcome and let go, in one step; False (nothing stored) when the job is no longer ours."""
        return self._mine().update(lease_token="", lease_expires_at=None, **fields) == 1

    def release(self) -> None:
        """Let go without storing anything (after LeaseLost): the job is left as whoever took it made it."""
        self._mine(still_valid=False).update(lease_token="", lease_expires_at=None)

    @contextmanager
    def kept_alive(self, every: float | None = None):
        """Renew from a thread every `every` seconds (a third of the lease) while the body runs, so that
        stretches without progress (a long COUNT, copying the file to storage) keep the lease too. The
        thread dies with its process, which is the point: a killed worker stops beating."""
        every = every or lease_duration().total_seconds() / 3
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop, every), daemon=True, name=f"heartbeat-{self.pk}")
        beat.start()
        try:
            yield self
        finally:
            stop.set()
            beat.join()

    def _beat(self, stop, every):
        try:
            while not stop.wait(every):
                try:
                    if not self.renew():
                        return  # taken back: the body learns it at its own next renew
                except DatabaseError as error:  # e.g. a database restart: the lease outlives a short outage
                    log.warning("heartbeat of %s %s failed: %s", self.model.__name__, self.pk, error)
                    connection.close()
        finally:
            connection.close()  # the thread's own connection
