"""Taking, renewing, finishing and giving back a lease, on the one model that holds leases today (an
export job); times come from a clock the test moves."""

import threading
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from exports.models import ExportJob, ExportStatus
from leases.lease import Lease, lease_duration, take
from tests.factories import ExportJobFactory

pytestmark = pytest.mark.django_db(transaction=True)
QUEUED = ExportJob.objects.filter(status=ExportStatus.QUEUED)
RUNNING = Q(status=ExportStatus.RUNNING)


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def queued():
    return ExportJobFactory(
        status=ExportStatus.QUEUED,
        file="",
        finished_at=None,
        expires_at=None,
        rows_total=None,
        rows_written=0,
        started_at=None,
    )


def stored(job):
    return ExportJob.objects.get(pk=job.pk)


def test_only_one_of_two_workers_takes_a_job(queued, clock, settings):
    settings.JOB_LEASE_SECONDS = 30
    first = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    second = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    assert isinstance(first, Lease) and second is None
    job = stored(queued)
    assert (job.status, job.lease_token, job.attempts) == (ExportStatus.RUNNING, first.token, 1)
    assert job.lease_expires_at == clock.now + timedelta(seconds=30) and len(first.token) == 32


def test_a_job_whose_lease_is_held_is_not_taken_even_if_it_matches(queued, clock):
    ExportJob.objects.filter(pk=queued.pk).update(lease_token="someone-else")
    assert take(QUEUED, queued.pk, clock=clock) is None
    assert stored(queued).attempts == 0


def test_renewing_pushes_the_expiry_on_and_stores_progress(queued, clock):
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    clock.now += timedelta(seconds=20)
    assert lease.renew(rows_written=7)
    job = stored(queued)
    assert (job.lease_expires_at, job.rows_written) == (clock.now + lease_duration(), 7)


def test_a_lease_no_longer_valid_or_no_longer_held_is_not_renewed_nor_finished(queued, clock):
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    ExportJob.objects.filter(pk=queued.pk).update(status=ExportStatus.CANCELLED)  # a cancel
    assert not lease.renew(rows_written=3) and not lease.finish(status=ExportStatus.DONE)
    assert (stored(queued).status, stored(queued).rows_written) == (ExportStatus.CANCELLED, 0)

    ExportJob.objects.filter(pk=queued.pk).update(status=ExportStatus.RUNNING, lease_token="the-next-attempt")
    assert not lease.renew() and not lease.finish(status=ExportStatus.DONE)  # taken back and given to another
    lease.release()
    assert stored(queued).lease_token == "the-next-attempt"  # letting go never touches another's lease


def test_finishing_stores_the_outcome_and_lets_go_in_one_step(queued, clock):
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    assert lease.finish(status=ExportStatus.DONE, rows_written=9)
    job = stored(queued)
    assert (job.status, job.rows_written, job.lease_token, job.lease_expires_at) == (ExportStatus.DONE, 9, "", None)


def test_release_lets_go_of_a_cancelled_jobs_lease(queued, clock):
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    ExportJob.objects.filter(pk=queued.pk).update(status=ExportStatus.CANCELLED)
    lease.release()
    job = stored(queued)
    assert (job.status, job.lease_token, job.lease_expires_at) == (ExportStatus.CANCELLED, "", None)


class SignallingClock(Clock):
    """Tells the test when the heartbeat thread asked for the time (that is, renewed)."""

    def __init__(self):
        super().__init__()
        self.beats = threading.Semaphore(0)

    def __call__(self):
        if threading.current_thread() is not threading.main_thread():
            self.beats.release()
        return self.now


def test_the_heartbeat_thread_renews_while_the_body_runs(queued):
    clock = SignallingClock()
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    with lease.kept_alive(every=0.01):
        clock.now += timedelta(minutes=5)  # no progress for five minutes, say a long COUNT
        assert clock.beats.acquire(timeout=10) and clock.beats.acquire(timeout=10)  # two beats: one after the move
    assert stored(queued).lease_expires_at == clock.now + lease_duration()


def test_the_heartbeat_stops_when_the_lease_is_taken_back(queued):
    clock = SignallingClock()
    lease = take(QUEUED, queued.pk, valid=RUNNING, clock=clock, status=ExportStatus.RUNNING)
    ExportJob.objects.filter(pk=queued.pk).update(lease_token="", lease_expires_at=None)  # reaped
    with lease.kept_alive(every=0.01):
        assert clock.beats.acquire(timeout=10)
        assert not clock.beats.acquire(timeout=0.2)  # no second beat: the thread ended
    assert stored(queued).lease_expires_at is None  # and it never brought the lease back
