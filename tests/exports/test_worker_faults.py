"""A worker killed in the middle of an export (kill -9: a deploy, the out-of-memory killer, a lost
machine), with real `manage.py db_worker` processes against the test database. A short lease
(JOB_LEASE_SECONDS=1) and a pause after each batch (EXPORT_BATCH_PAUSE) keep a small export running
long enough to be killed, and the whole test to a few seconds."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from exports.models import ExportJob, ExportStatus
from tests.factories import OrderFactory

from .conftest import EXPORTS_URL, xlsx_rows
from .test_jobs import MARCH, fresh, march

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.faults,
    pytest.mark.skipif(os.name != "posix", reason="kills worker processes with SIGKILL"),
]

ROOT = Path(__file__).resolve().parents[2]
SLOW = "2"  # seconds a worker about to be killed pauses after each batch: the window to kill it in
WAIT = 30  # seconds at most for any one step (a busy machine); the steps themselves take about a second


@pytest.fixture(autouse=True)
def background_only(settings):
    settings.EXPORT_IMMEDIATE_ROWS = 3


@pytest.fixture
def work_root(tmp_path, monkeypatch):
    """The temporary directory of the workers (TMPDIR) and of this process: partial files land here."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def workers(tmp_path, work_root, settings):
    """start(pause=..., retries=...) -> a db_worker process on the test database; all stopped afterwards."""
    started = []
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def start(pause="0", retries="2"):
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "TMPDIR": str(work_root),
            "JOB_LEASE_SECONDS": "1",
            "JOB_LEASE_RETRIES": retries,
            "EXPORT_BATCH_PAUSE": pause,
            "DEBUG": "0",
            "SELLERCENTER_VAR_DIR": str(settings.MEDIA_ROOT.parent),  # its MEDIA_ROOT is this test's
            "DJANGO_SETTINGS_MODULE": "sellercenter.settings",
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def until(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting for: {what}")


def kill_mid_job(worker, job, attempt):
    """Wait until `worker` has written rows of the job's `attempt`, then kill -9 it."""
    until(
        lambda: (j := fresh(job)).status == ExportStatus.RUNNING and j.attempts == attempt and j.rows_written > 0,
        f"attempt {attempt} writing rows",
    )
    worker.kill()
    worker.wait()
    job = fresh(job)
    assert (job.status, job.attempts) == (ExportStatus.RUNNING, attempt) and job.lease_token  # nothing ended it
    return job


def work_dirs(root):
    return sorted(p.name for p in root.iterdir() if p.name.startswith("export-"))


def leftovers(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture
def owner(shop, member_of):
    for day in range(1, 6):
        OrderFactory(shop=shop, created_at=march(day))
    return member_of(shop, Role.ACCOUNTANT, username="owner")


def ask(client, owner, fmt="xlsx"):
    client.force_login(owner)
    assert client.post(EXPORTS_URL, {**MARCH, "format": fmt}).status_code == 302
    return ExportJob.objects.get(owner=owner)


def test_a_killed_workers_export_is_retried_from_the_start_by_another_worker(client, owner, workers, work_root):
    job = ask(client, owner)
    first = workers(pause=SLOW)
    job = kill_mid_job(first, job, attempt=1)
    first_task = job.task_id
    [partial] = work_dirs(work_root)
    assert partial == f"export-{job.pk}-{job.lease_token}"
    assert any((work_root / partial).iterdir())  # the killed worker's partial workbook data
    assert DBTaskResult.objects.get(pk=first_task).status == "RUNNING"

    workers()  # a new worker takes the expired lease back, then the job
    job = until(lambda: (j := fresh(job)).status == ExportStatus.DONE and j, "the retried export to finish")
    assert (job.attempts, job.rows_written, job.rows_total, job.error) == (2, 5, 5, "")
    assert len(xlsx_rows(job.file.open("rb").read())) == 1 + 5  # written from the start: every row, once
    assert job.task_id != first_task and DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    until(lambda: leftovers(work_root) == [], "the killed attempt's partial files to be removed")


def test_after_as_many_kills_as_retries_allow_the_job_fails_with_the_reason_shown(
    client, owner, workers, work_root, settings
):
    settings.JOB_LEASE_RETRIES = 1  # the page's reaper follows the same rule as the workers'
    job = ask(client, owner)
    job = kill_mid_job(workers(pause=SLOW, retries="1"), job, attempt=1)
    job = kill_mid_job(workers(pause=SLOW, retries="1"), job, attempt=2)

    page = until(
        lambda: "stopped twice" in (text := client.get(EXPORTS_URL).text) and text, "My exports to show the job failed"
    )  # the page itself takes back the expired lease
    job = fresh(job)
    assert (job.status, job.attempts, job.lease_token, job.file.name) == (ExportStatus.FAILED, 2, "", "")
    assert job.error.startswith("The worker stopped twice while writing this export")
    assert "Failed" in page and job.error in page
    assert leftovers(work_root) == []
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


def test_cancel_ends_a_running_job_whose_worker_is_dead_at_once(client, owner, workers, work_root):
    job = ask(client, owner, fmt="csv")
    job = kill_mid_job(workers(pause=SLOW), job, attempt=1)
    assert client.post(f"/exports/{job.pk}/cancel/").status_code == 302
    job = fresh(job)
    assert (job.status, job.cancel_requested) == (ExportStatus.CANCELLED, True) and job.finished_at

    workers()  # the next worker takes the dead one's lease back, removes its partial file, and never runs the job
    until(lambda: fresh(job).lease_token == "" and leftovers(work_root) == [], "the dead attempt to be tidied")
    job = fresh(job)
    assert (job.status, job.attempts, job.file.name) == (ExportStatus.CANCELLED, 1, "")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "FAILED"
