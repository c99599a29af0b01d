"""Background exports end to end: asked for on the Exports page, run by the django-tasks database worker
(which reads on a connection of its own, so every test commits its data), followed on the page,
downloaded, expired, cancelled, failed, and re-checked against the user's roles when it runs."""

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, AuditKind, Membership
from accounts.roles import Role
from exports.models import ExportJob, ExportStatus
from exports.services import jobs, reading
from tests.factories import ExportJobFactory, LineItemFactory, MembershipFactory, OrderFactory, ShopFactory

from .conftest import EXPORTS_URL, as_dicts, csv_rows, run_worker, xlsx_rows

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]
MARCH = {
    "preset": "custom",
    "date_from": "2026-03-01",
    "date_to": "2026-03-31",
    "date_field": "created",
    "format": "csv",
    "layout": "lines",
}


def march(day=5, hour=12):
    return datetime(2026, 3, day, hour, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.EXPORT_IMMEDIATE_ROWS = 3  # more rows than this: a background job


@pytest.fixture(autouse=True)
def private_tempdir(tmp_path, monkeypatch):
    """The job writes to a temporary file first: keep those where the test can see that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def orders(shop):
    return [OrderFactory(shop=shop, created_at=march(day)) for day in range(1, 6)]


@pytest.fixture
def owner(shop, member_of):
    return member_of(shop, Role.ACCOUNTANT, username="owner")


def ask(client, user, **changes):
    """Ask for an export on the Exports page as `user`; the job it queued."""
    before = list(ExportJob.objects.values_list("pk", flat=True))
    client.force_login(user)
    response = client.post(EXPORTS_URL, {**MARCH, **changes})
    assert response.status_code == 302 and response["Location"] == EXPORTS_URL
    return ExportJob.objects.exclude(pk__in=before).get(owner=user)


def fresh(job):
    return ExportJob.objects.get(pk=job.pk)


def files_in_storage():
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def download_ids(response, fmt="csv"):
    data = b"".join(response.streaming_content)
    rows = xlsx_rows(data) if fmt == "xlsx" else csv_rows(data)
    return sorted(row["Order ID"] for row in as_dicts(rows))


def ids(orders):
    return sorted(str(o.pk) for o in orders)


# Asking, following, running, downloading ---------------------------------------------------------------


def test_a_large_export_becomes_a_queued_job_holding_filters_not_ids(client, shop, owner, orders):
    job = ask(client, owner, status=["AWAITING_SHIPMENT"])
    assert job.status == ExportStatus.QUEUED and not job.cancel_requested
    assert job.params == {
        "filters": {
            "date_field": ["created"],
            "preset": ["custom"],
            "date_from": ["2026-03-01"],
            "date_to": ["2026-03-31"],
            "status": ["AWAITING_SHIPMENT"],
        },
        "shops": [],
    }
    stored = json.dumps(job.params)
    assert "order_ids" not in stored and not any(str(o.pk) in stored for o in orders)
    assert (job.shop_ids, job.format, job.layout) == ([shop.pk], "csv", "lines")
    assert job.task_id  # queued once the request's transaction committed
    [asked] = AuditEvent.objects.filter(kind=AuditKind.EXPORT_CREATED)
    assert (asked.detail["background"], asked.detail["rows"], asked.detail["format"]) == (True, None, "csv")
    assert files_in_storage() == []

    page = client.get(EXPORTS_URL)
    text = page.text
    assert "runs in the background" in text
    assert "Queued" in text and '<progress max="100" value="0"' in text
    assert '<meta http-equiv="refresh" content="3">' in text  # the page follows the job by itself
    assert reverse("export_cancel", args=[job.pk]) in text and reverse("export_download", args=[job.pk]) not in text


def test_the_worker_writes_the_file_and_the_owner_downloads_it(client, shop, owner, orders):
    LineItemFactory(order=orders[0])  # two lines: 6 rows in the one-line-per-SKU layout
    OrderFactory(shop=shop, created_at=march(day=1) - timedelta(days=2))  # out of range
    OrderFactory(shop=ShopFactory(), created_at=march())  # another shop
    job = ask(client, owner)
    started = timezone.now()
    run_worker()
    job = fresh(job)
    assert job.status == ExportStatus.DONE, job.error
    assert job.rows_written == job.rows_total == 6
    assert job.file and default_storage.exists(job.file.name)
    assert job.file_size == default_storage.size(job.file.name) > 0
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert abs(job.expires_at - (started + timedelta(days=7))) < timedelta(minutes=1)
    assert job.percent == 100
    done = AuditEvent.objects.filter(kind=AuditKind.EXPORT_CREATED).order_by("id").last()
    assert (done.detail["rows"], done.target, done.actor) == (6, f"export {job.pk}", owner)

    page = client.get(EXPORTS_URL).text
    assert "Ready" in page and "6 of 6" in page and 'http-equiv="refresh"' not in page
    assert reverse("export_download", args=[job.pk]) in page

    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert sorted(set(download_ids(response))) == ids(orders)
    [downloaded] = AuditEvent.objects.filter(kind=AuditKind.EXPORT_DOWNLOADED)
    assert (downloaded.actor, downloaded.target, downloaded.detail) == (owner, f"export {job.pk}", {"owner": "owner"})
    assert "by its owner" in downloaded.summary
    assert list(tempfile_leftovers()) == []


def tempfile_leftovers():
    return (p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("export-"))


@pytest.mark.parametrize(("fmt", "layout"), [("xlsx", "orders"), ("csv_excel", "lines")])
def test_other_formats_run_in_the_background_too(client, shop, owner, orders, fmt, layout):
    job = ask(client, owner, format=fmt, layout=layout)
    run_worker()
    job = fresh(job)
    assert (job.status, job.rows_written, job.rows_total) == (ExportStatus.DONE, 5, 5)
    assert job.file.name.endswith(f".{'xlsx' if fmt == 'xlsx' else 'csv'}")
    response = client.get(reverse("export_download", args=[job.pk]))
    if fmt == "csv_excel":
        data = b"".join(response.streaming_content)
        assert data.startswith(b"\xef\xbb\xbf")
        assert sorted(r["Order ID"] for r in as_dicts(csv_rows(data))) == sorted(f'="{o.pk}"' for o in orders)
    else:
        assert download_ids(response, fmt) == ids(orders)


def test_a_job_of_an_accountant_is_masked(client, shop, owner):
    for day in range(1, 5):
        OrderFactory(shop=shop, created_at=march(day), buyer_name="Jane Doe", ship_line1="200 N Spring St")
    job = ask(client, owner)
    run_worker()
    data = b"".join(client.get(reverse("export_download", args=[fresh(job).pk])).streaming_content)
    assert b"Jane" not in data and b"Spring" not in data
    assert {r["Buyer Name"] for r in as_dicts(csv_rows(data))} == {"J*** D***"}


@pytest.mark.parametrize(
    ("who", "status"), [("administrator", 200), ("other accountant", 404), ("administrator elsewhere", 404)]
)
def test_who_else_may_download(client, shop, member_of, owner, orders, who, status):
    job = ask(client, owner)
    run_worker()
    user = {
        "administrator": lambda: member_of(shop, Role.ADMINISTRATOR),
        "other accountant": lambda: member_of(shop, Role.ACCOUNTANT),
        "administrator elsewhere": lambda: member_of(ShopFactory(), Role.ADMINISTRATOR),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(kind=AuditKind.EXPORT_DOWNLOADED)
    if status == 200:
        assert download_ids(response) == ids(orders)
        [event] = downloads
        assert event.actor == user and "by an Administrator" in event.summary and event.detail == {"owner": "owner"}
    else:
        assert not downloads.exists()


def test_an_administrator_of_one_shop_may_not_download_a_job_covering_another(
    client, shop, other_shop, member_of, owner
):
    """The owner exports two shops; an Administrator of only one of them must not get the other shop's orders."""
    MembershipFactory(user=owner, shop=other_shop, role=Role.ACCOUNTANT)
    for day in (1, 2):
        OrderFactory(shop=shop, created_at=march(day))
        OrderFactory(shop=other_shop, created_at=march(day))
    job = ask(client, owner)
    run_worker()
    assert fresh(job).status == ExportStatus.DONE and sorted(job.shop_ids) == sorted([shop.pk, other_shop.pk])
    client.force_login(member_of(shop, Role.ADMINISTRATOR))  # no role at all in other_shop
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_progress_is_stored_as_the_rows_are_written(client, shop, owner, orders, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 2)
    seen = []

    class Watched(jobs.Progress):
        def __call__(self, done):
            super().__call__(done)
            stored = fresh(self.job)
            seen.append((stored.status, stored.rows_written, stored.rows_total, stored.percent))

    monkeypatch.setattr(jobs, "Progress", Watched)
    job = ask(client, owner)
    run_worker()
    assert seen == [("running", 2, 5, 40), ("running", 4, 5, 80), ("running", 5, 5, 99)]
    assert fresh(job).status == ExportStatus.DONE


def test_a_running_job_shows_its_progress(client, owner, shop):
    ExportJobFactory(
        owner=owner, shop_ids=[shop.pk], status=ExportStatus.RUNNING, rows_total=200, rows_written=50, expires_at=None
    )
    client.force_login(owner)
    page = client.get(EXPORTS_URL).text
    assert "Running" in page and '<progress max="100" value="25"' in page and "50 of 200" in page
    assert 'http-equiv="refresh"' in page


def test_the_rows_written_are_the_rows_in_the_file(client, shop, owner, orders, monkeypatch):
    real = jobs.count_rows

    def count_then_a_new_order(cursor, query, cap=None):
        total = real(cursor, query, cap)
        OrderFactory(shop=shop, created_at=march(day=20))  # committed while the job runs
        return total

    monkeypatch.setattr(jobs, "count_rows", count_then_a_new_order)
    job = ask(client, owner)
    run_worker()
    job = fresh(job)
    assert job.status == ExportStatus.DONE, job.error
    in_file = len(csv_rows(job.file.open("rb").read())) - 1
    assert job.rows_written == in_file


# Expiry ------------------------------------------------------------------------------------------------


def test_expired_files_are_deleted_and_the_download_answers_410(client, shop, owner, orders):
    job = ask(client, owner)
    run_worker()
    job = fresh(job)
    name = job.file.name
    assert jobs.expire_old_files(now=job.expires_at - timedelta(seconds=1)) == 0
    assert default_storage.exists(name)
    assert jobs.expire_old_files(now=job.expires_at + timedelta(seconds=1)) == 1
    job = fresh(job)
    assert (job.status, job.file.name) == (ExportStatus.EXPIRED, "")
    assert not default_storage.exists(name) and files_in_storage() == []
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 410 and "This export has expired" in response.text
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT_DOWNLOADED).exists()
    page = client.get(EXPORTS_URL).text
    assert "Expired" in page and reverse("export_download", args=[job.pk]) not in page


def test_past_its_expiry_a_file_is_gone_even_before_the_clean_up_ran(client, owner, shop):
    job = ExportJobFactory(owner=owner, shop_ids=[shop.pk], expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(owner)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 410


def test_each_export_task_first_expires_old_files(client, shop, owner, orders):
    old = ExportJobFactory(owner=owner, shop_ids=[shop.pk], expires_at=timezone.now() - timedelta(days=1))
    old_name = old.file.name
    assert default_storage.exists(old_name)
    job = ask(client, owner)
    run_worker()
    assert fresh(old).status == ExportStatus.EXPIRED and not default_storage.exists(old_name)
    assert fresh(job).status == ExportStatus.DONE


def test_the_expire_command(shop, owner):
    from io import StringIO

    from django.core.management import call_command

    old = [ExportJobFactory(owner=owner, expires_at=timezone.now() - timedelta(days=days)) for days in (1, 2)]
    kept = ExportJobFactory(owner=owner)
    out = StringIO()
    call_command("expire_exports", stdout=out)
    assert out.getvalue().strip() == "2 export file(s) deleted."
    assert sorted(ExportJob.objects.filter(status=ExportStatus.EXPIRED).values_list("pk", flat=True)) == sorted(
        job.pk for job in old
    )
    assert all(not default_storage.exists(job.file.name) for job in old)
    assert default_storage.exists(kept.file.name) and fresh(kept).status == ExportStatus.DONE


# Cancelling --------------------------------------------------------------------------------------------


def test_a_queued_job_is_cancelled_at_once_and_never_written(client, shop, owner, orders):
    job = ask(client, owner)
    response = client.post(reverse("export_cancel", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == EXPORTS_URL
    job = fresh(job)
    assert (job.status, job.cancel_requested) == (ExportStatus.CANCELLED, True) and job.finished_at
    assert "The export is being cancelled." in client.get(EXPORTS_URL).text
    run_worker()
    job = fresh(job)
    assert (job.status, job.rows_written, job.rows_total, job.file.name) == (ExportStatus.CANCELLED, 0, None, "")
    assert files_in_storage() == []


def test_a_job_flagged_for_cancelling_before_it_started_is_not_run(shop, owner, orders):
    """Between cancel_job's two updates the job is still QUEUED with the flag set: the task must not run it."""
    job = ExportJobFactory(
        owner=owner,
        shop_ids=[shop.pk],
        status=ExportStatus.QUEUED,
        cancel_requested=True,
        rows_total=None,
        rows_written=0,
        expires_at=None,
        started_at=None,
        finished_at=None,
    )
    assert jobs.run_job(str(job.pk)) == ExportStatus.CANCELLED
    job = fresh(job)
    assert (job.status, job.started_at, job.file.name) == (ExportStatus.CANCELLED, None, "") and job.finished_at
    assert files_in_storage() == []


def test_cancelling_a_finished_job_does_nothing(client, shop, owner, orders):
    job = ask(client, owner)
    run_worker()
    client.post(reverse("export_cancel", args=[job.pk]))
    assert "That export had already finished." in client.get(EXPORTS_URL).text
    assert fresh(job).status == ExportStatus.DONE and default_storage.exists(fresh(job).file.name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_running_job_is_cancelled_at_once_and_its_worker_stops_at_the_next_heartbeat(
    client, shop, owner, orders, monkeypatch, fmt
):
    monkeypatch.setattr(reading, "CHUNK", 1)
    states, reported = [], []

    class CancelMidway(jobs.Progress):
        def __call__(self, done):
            reported.append(done)
            if done == 2:  # the owner presses Cancel while the job runs
                states.append(fresh(self.job).status)
                assert client.post(reverse("export_cancel", args=[self.job.pk])).status_code == 302
                states.append(fresh(self.job).status)
            super().__call__(done)

    monkeypatch.setattr(jobs, "Progress", CancelMidway)
    job = ask(client, owner, format=fmt)
    run_worker()
    job = fresh(job)
    assert states == [ExportStatus.RUNNING, ExportStatus.CANCELLED]  # the owner sees it cancelled at once
    assert reported == [1, 2]  # the worker's next heartbeat found the job cancelled: it wrote no further batch
    assert (job.status, job.cancel_requested, job.file.name) == (ExportStatus.CANCELLED, True, "")
    assert job.rows_written == 1 and job.finished_at  # progress stored before the cancel stays
    assert (job.lease_token, job.lease_expires_at) == ("", None)  # the worker let go of the lease
    assert files_in_storage() == [] and list(tempfile_leftovers()) == []
    assert "Cancelled" in client.get(EXPORTS_URL).text


def test_an_administrator_may_cancel_a_members_job(client, shop, member_of, owner, orders):
    job = ask(client, owner)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert client.post(reverse("export_cancel", args=[job.pk])).status_code == 302
    assert fresh(job).status == ExportStatus.CANCELLED
    again = ask(client, owner)
    client.force_login(member_of(shop, Role.ACCOUNTANT))  # a fellow Accountant may not
    assert client.post(reverse("export_cancel", args=[again.pk])).status_code == 404
    assert fresh(again).status == ExportStatus.QUEUED and not fresh(again).cancel_requested


# Failing -----------------------------------------------------------------------------------------------


def test_a_failing_writer_fails_the_job_with_the_reason_shown(client, shop, owner, orders, monkeypatch):
    def broken(target, rows, query, fmt, progress=None):
        next(iter(rows))
        raise OSError("No space left on device")

    real_write_export = jobs.write_export
    monkeypatch.setattr(jobs, "write_export", broken)
    job = ask(client, owner)
    run_worker()
    job = fresh(job)
    assert job.status == ExportStatus.FAILED
    assert job.error == "The export stopped: OSError: No space left on device"
    assert job.finished_at and not job.file and files_in_storage() == [] and list(tempfile_leftovers()) == []
    page = client.get(EXPORTS_URL).text
    assert "Failed" in page and "The export stopped: OSError: No space left on device" in page
    assert 'http-equiv="refresh"' not in page
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 403  # nothing to download
    # the worker carries on with the next job
    monkeypatch.setattr(jobs, "write_export", real_write_export)
    next_job = ask(client, owner)
    run_worker()
    assert fresh(next_job).status == ExportStatus.DONE


# Roles are read when the job runs ------------------------------------------------------------------------


def test_a_shop_whose_role_was_removed_since_asking_is_not_exported(client, shop, other_shop, owner):
    MembershipFactory(user=owner, shop=other_shop, role=Role.ACCOUNTANT)
    mine = [OrderFactory(shop=shop, created_at=march(day)) for day in (1, 2)]
    [OrderFactory(shop=other_shop, created_at=march(day)) for day in (3, 4)]
    job = ask(client, owner)
    assert sorted(job.shop_ids) == sorted([shop.pk, other_shop.pk])
    Membership.objects.get(user=owner, shop=other_shop).delete()
    run_worker()
    job = fresh(job)
    assert (job.status, job.rows_written, job.rows_total) == (ExportStatus.DONE, 2, 2)
    response = client.get(reverse("export_download", args=[job.pk]))
    assert download_ids(response) == ids(mine)


def test_a_role_downgraded_since_asking_is_masked_when_it_runs(client, shop, member_of):
    admin = member_of(shop, Role.ADMINISTRATOR)
    for day in range(1, 5):
        OrderFactory(shop=shop, created_at=march(day), buyer_name="Jane Doe")
    job = ask(client, admin)
    membership = Membership.objects.get(user=admin, shop=shop)
    membership.role = Role.ACCOUNTANT
    membership.save()
    run_worker()
    data = fresh(job).file.open("rb").read()
    assert b"Jane Doe" not in data and b"J*** D***" in data


def test_no_shop_left_to_export_exports_nothing_with_a_clear_outcome(client, shop, owner, orders):
    job = ask(client, owner)
    Membership.objects.get(user=owner, shop=shop).delete()
    run_worker()
    job = fresh(job)
    assert job.status in (ExportStatus.DONE, ExportStatus.FAILED)
    if job.status == ExportStatus.DONE:
        assert (job.rows_total, job.rows_written) == (0, 0)
        assert len(csv_rows(job.file.open("rb").read())) == 1
    else:
        assert "EmptyResultSet" not in job.error and "role" in job.error.lower()
