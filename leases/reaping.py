"""Taking back expired leases. Whoever notices first does it: every worker (before it takes a task and
then periodically, see the db_worker command), each export task, the My exports page, and
`manage.py reap_leases`. Each expired row is handled in a transaction that locks it and checks again
that its lease is still the expired one, so two reapers never handle one expiry twice."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)
BATCH = 100  # expired rows handled per kind and pass


@dataclass(frozen=True)
class Kind:
    """A kind of leased job. `on_expired(row)` decides what becomes of a job whose holder stopped beating
    (retry it, fail it, ...); it runs with the row locked, and the lease is cleared after it. `tidy()`
    runs after each pass to remove this machine's leftovers (partial files)."""

    model: type
    on_expired: Callable
    tidy: Callable | None = None


_kinds: dict[str, Kind] = {}


def register(model, on_expired, tidy=None) -> None:
    """Called from an AppConfig.ready(); registering again replaces."""
    _kinds[model._meta.label] = Kind(model, on_expired, tidy)


def reap_expired(now=None) -> int:
    """Handle every registered kind's expired leases; how many."""
    return sum(reap(kind, now) for kind in list(_kinds.values()))


def reap(kind: Kind, now=None) -> int:
    now = now or timezone.now()
    expired = kind.model._base_manager.filter(lease_expires_at__lt=now).exclude(lease_token="")
    handled = 0
    for pk, token in list(expired.values_list("pk", "lease_token")[:BATCH]):
        with transaction.atomic():  # SQLite: IMMEDIATE, so reapers take turns; PostgreSQL: the row lock below
            row = expired.filter(pk=pk, lease_token=token).select_for_update(skip_locked=True).first()
            if row is None:
                continue  # renewed meanwhile, or another reaper has it
            log.warning("%s %s: its worker stopped beating (attempt %s)", kind.model.__name__, pk, row.attempts)
            kind.on_expired(row)
            kind.model._base_manager.filter(pk=pk, lease_token=token).update(lease_token="", lease_expires_at=None)
            handled += 1
    if kind.tidy:
        kind.tidy()
    return handled
