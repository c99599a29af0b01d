"""Taking back expired leases (each once, whoever reaps), closing a dead attempt's task result, and the
worker command that reaps and outlives a database outage."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as library_worker
from django_tasks_db.models import DBTaskResult

from exports.models import ExportJob, ExportStatus
from exports.tasks import run_export
from leases import reaping
from leases.management.commands import db_worker
from leases.tasks import close_task_result
from tests.factories import ExportJobFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seen(monkeypatch):
    """A kind of job registered in place of exports' own: records what it is asked to handle."""
    handled, tidied = [], []
    monkeypatch.setattr(reaping, "_kinds", {})
    reaping.register(ExportJob, lambda row: handled.append((row.pk, row.lease_token)), tidy=lambda: tidied.append(1))
    return handled, tidied


def test_an_expired_lease_is_handed_to_its_kind_once_and_cleared(seen):
    handled, tidied = seen
    expired = ExportJobFactory(running=True, lease_seconds=-1)
    alive = ExportJobFactory(running=True, lease_seconds=60)
    assert reaping.reap_expired() == 1
    assert handled == [(expired.pk, expired.lease_token)] and tidied == [1]
    assert ExportJob.objects.filter(pk=expired.pk, lease_token="", lease_expires_at=None).exists()
    assert ExportJob.objects.get(pk=alive.pk).lease_token == alive.lease_token

    assert reaping.reap_expired() == 0  # a second reaper finds nothing left to do
    assert len(handled) == 1
    assert reaping.reap_expired(now=timezone.now() + timedelta(minutes=2)) == 1  # later the other one expires
    assert handled[-1] == (alive.pk, alive.lease_token)


def test_a_lease_renewed_before_the_reaper_locks_it_is_left_alone(seen, monkeypatch):
    handled, _ = seen
    job = ExportJobFactory(running=True, lease_seconds=-1)
    real_atomic = reaping.transaction.atomic

    def renewed_first(*args, **kwargs):  # the holder's heartbeat lands between the reaper's look and its lock
        ExportJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() + timedelta(minutes=1))
        return real_atomic(*args, **kwargs)

    monkeypatch.setattr(reaping.transaction, "atomic", renewed_first)
    assert reaping.reap_expired() == 0 and handled == []


def test_a_dead_attempts_task_result_is_closed_not_left_running(settings):
    running = run_export.enqueue("some-job")
    done = run_export.enqueue("other-job")
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING")
    DBTaskResult.objects.filter(pk=done.id).update(status="SUCCESSFUL")
    close_task_result(running.id, "The worker stopped beating.")
    close_task_result(done.id, "The worker stopped beating.")
    close_task_result("", "no task yet")
    closed = DBTaskResult.objects.get(pk=running.id)
    assert (closed.status, closed.traceback) == ("FAILED", "The worker stopped beating.") and closed.finished_at
    assert DBTaskResult.objects.get(pk=done.id).status == "SUCCESSFUL"


def test_the_reap_command(seen):
    ExportJobFactory(running=True, lease_seconds=-1)
    out = StringIO()
    call_command("reap_leases", stdout=out)
    assert out.getvalue().strip() == "1 expired lease(s) taken back."


def test_the_worker_reaps_before_it_takes_a_task(seen):
    handled, _ = seen
    job = ExportJobFactory(running=True, lease_seconds=-1)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert handled == [(job.pk, job.lease_token)]


def test_the_worker_outlives_a_database_outage(monkeypatch):
    calls = []

    def loop(self, *args, **options):  # the library's worker loop: the database is away on the first run
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection refused")

    monkeypatch.setattr(library_worker.Command, "handle", loop)
    monkeypatch.setattr(db_worker, "RECONNECT_PAUSE", 0)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(calls) == 2


def test_an_expired_cancelled_job_stays_cancelled(settings):
    """Exports' own rule, through the registry the app fills at start-up."""
    job = ExportJobFactory(running=True, lease_seconds=-1, status=ExportStatus.CANCELLED)
    assert reaping.reap_expired() == 1
    job = ExportJob.objects.get(pk=job.pk)
    assert (job.status, job.lease_token, job.attempts) == (ExportStatus.CANCELLED, "", 1)
