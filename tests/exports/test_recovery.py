"""What becomes of an export whose worker stopped beating (in this process; test_worker_faults kills
real workers): retried from the start, then failed with the reason; a worker whose lease was taken
back stops and stores nothing; partial files are swept; a lost database leaves the job to be retried."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.models import ExportJob, ExportStatus
from exports.services import jobs, workspace
from exports.tasks import run_export
from leases.reaping import reap_expired

from .conftest import EXPORTS_URL, run_worker
from .test_jobs import ask, fresh, orders, owner, private_tempdir, small_limit, tempfile_leftovers  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def later(seconds=None):
    """A moment past the lease of a job taken now (JOB_LEASE_SECONDS)."""
    from django.conf import settings

    return timezone.now() + timedelta(seconds=seconds or settings.JOB_LEASE_SECONDS + 1)


def die_mid_job(job, monkeypatch):
    """Run the job in this process as a worker that dies after its first batch: nothing of it returns,
    its lease is left to expire and its task result stays RUNNING, as after kill -9."""

    class Died(BaseException):  # not an Exception: no handler of the job sees it, as with SIGKILL
        pass

    class Dies(jobs.Progress):
        def __call__(self, done):
            super().__call__(done)
            raise Died

    monkeypatch.setattr(jobs, "Progress", Dies)
    monkeypatch.setattr(jobs.workspace, "remove", lambda path: None)  # a killed worker removes nothing
    with pytest.raises(Died):
        jobs.run_job(str(job.pk))
    DBTaskResult.objects.filter(pk=fresh(job).task_id).update(status="RUNNING")
    return fresh(job)


def test_an_expired_job_is_queued_again_from_the_start_and_the_next_worker_finishes_it(
    client, owner, orders, monkeypatch
):
    job = die_mid_job(ask(client, owner), monkeypatch)
    monkeypatch.undo()
    first_task = job.task_id
    assert (job.status, job.attempts, job.rows_written) == (ExportStatus.RUNNING, 1, 5)
    assert reap_expired() == 0  # the lease has not expired yet: its worker may only be slow
    assert reap_expired(now=later()) == 1
    job = fresh(job)
    assert (job.status, job.rows_written, job.rows_total, job.started_at, job.lease_token) == (
        ExportStatus.QUEUED,
        0,
        None,
        None,
        "",
    )
    assert job.error == "The worker stopped; the export starts again from the beginning (retry 1 of 2)."
    assert job.task_id != first_task and DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    assert "retry 1 of 2" in client.get(EXPORTS_URL).text  # its owner sees why it starts over

    run_worker()
    job = fresh(job)
    assert (job.status, job.attempts, job.rows_written, job.error) == (ExportStatus.DONE, 2, 5, "")


def test_beyond_the_retries_the_job_fails_with_the_reason(client, owner, orders, monkeypatch, settings):
    job = ask(client, owner)
    ExportJob.objects.filter(pk=job.pk).update(attempts=2)
    job = die_mid_job(job, monkeypatch)
    assert job.attempts == 3
    assert reap_expired(now=later()) == 1
    job = fresh(job)
    assert (job.status, job.lease_token) == (ExportStatus.FAILED, "") and job.finished_at
    assert job.error.startswith(
        "The worker stopped 3 times while writing this export (a restart, or not enough "
        "memory), so it was not tried again."
    )


def test_a_worker_whose_lease_was_taken_back_stops_and_stores_nothing(client, owner, orders, monkeypatch):
    """A worker away longer than its lease (stopped, swapped out) finds at its next heartbeat that the job
    was taken back: it must not write over the retry."""

    class AwayTooLong(jobs.Progress):
        def __call__(self, done):
            assert reap_expired(now=later()) == 1  # meanwhile another worker's reaper took the job back
            super().__call__(done)

    monkeypatch.setattr(jobs, "Progress", AwayTooLong)
    job = ask(client, owner)
    assert jobs.run_job(str(job.pk)) == ExportStatus.QUEUED
    job = fresh(job)
    assert (job.status, job.rows_written, job.file.name, job.lease_token) == (ExportStatus.QUEUED, 0, "", "")
    assert list(tempfile_leftovers()) == []


def test_a_lost_database_leaves_the_job_to_be_retried_not_failed(client, owner, orders, monkeypatch):
    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(jobs, "write_export", connection_lost)
    job = ask(client, owner)
    with pytest.raises(OperationalError):
        jobs.run_job(str(job.pk))
    job = fresh(job)
    assert (job.status, job.error) == (ExportStatus.RUNNING, "") and job.lease_token  # the lease will expire
    assert list(tempfile_leftovers()) == []


def test_the_sweep_removes_only_the_directories_of_attempts_that_are_over(client, owner, orders, private_tempdir):
    held = ask(client, owner)
    ExportJob.objects.filter(pk=held.pk).update(status=ExportStatus.RUNNING, lease_token="a" * 32)
    over = ask(client, owner)
    ExportJob.objects.filter(pk=over.pk).update(status=ExportStatus.RUNNING, lease_token="c" * 32)
    kept = workspace.work_dir(held.pk, "a" * 32)
    stale = workspace.work_dir(held.pk, "b" * 32)  # an earlier attempt of the same job
    dead = workspace.work_dir(over.pk, "d" * 32)
    (dead / "orders.xlsx").write_bytes(b"partial")
    elsewhere = workspace.work_dir("00000000-0000-0000-0000-000000000000", "e" * 32)  # not this database's job
    assert workspace.sweep() == 2
    assert sorted(p.name for p in private_tempdir.iterdir()) == sorted([kept.name, elsewhere.name])
    assert not stale.exists() and not dead.exists()


def test_each_export_task_first_takes_back_expired_leases(client, owner, orders, monkeypatch):
    dead = die_mid_job(ask(client, owner), monkeypatch)
    monkeypatch.undo()
    ExportJob.objects.filter(pk=dead.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    job = ask(client, owner)
    run_export.call(str(job.pk))  # the task alone, without a worker (whose reaper would come first)
    assert fresh(dead).status == ExportStatus.QUEUED and fresh(job).status == ExportStatus.DONE
