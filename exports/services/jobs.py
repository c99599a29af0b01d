"""Background exports: ask for one, run it (the task's body), cancel it, download it, expire it."""

import logging
import os
import time

from django.conf import settings
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuditKind
from accounts.services import audit
from leases.lease import LeaseLost, take

from ..columns import Format, Layout
from ..models import ExportJob, ExportStatus
from . import workspace
from .files import write_export
from .reading import batches, count_rows, snapshot_cursors
from .scope import audited_filters, describe, export_query, scope_for

log = logging.getLogger(__name__)


def start_job(user, params: dict, fmt: Format, layout: Layout, scope) -> ExportJob:
    """Store the job (filters and user, never ids) and queue it once the transaction commits."""
    from ..tasks import run_export

    job = ExportJob.objects.create(
        owner=user,
        params=params,
        shop_ids=[s.pk for s in scope.shops],
        description=describe(scope, fmt, layout),
        format=fmt.value,
        layout=layout.value,
    )
    transaction.on_commit(lambda: enqueue(job, run_export))
    return job


def enqueue(job, task):
    result = task.enqueue(str(job.pk))
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def run_job(job_id: str) -> str:
    """The task's body: take the job's lease, write the file beside a heartbeat, store it. Returns the
    final status; every outcome is stored on the job. A worker that loses the lease (the job was
    cancelled, or it was away so long that the job was taken back) stops and stores nothing more."""
    _yield_to_the_site()
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status == ExportStatus.QUEUED and job.cancel_requested:
        _finish(job, ExportStatus.CANCELLED)
        return job.status
    lease = take(
        ExportJob.objects.filter(status=ExportStatus.QUEUED, cancel_requested=False),
        job.pk,
        valid=Q(status=ExportStatus.RUNNING),
        status=ExportStatus.RUNNING,
        started_at=timezone.now(),
    )
    if lease is None:  # finished, cancelled, or another worker's (a duplicate task)
        return _status(job)
    work = workspace.work_dir(job.pk, lease.token)
    try:
        with lease.kept_alive():
            _write(job, lease, work / job.filename)
    except LeaseLost:
        lease.release()
    except (OperationalError, InterfaceError):
        raise  # the database went away: the lease expires and the job is retried from the start
    except Exception as error:  # the job says why; the worker goes on with the next one
        log.exception("export %s failed", job.pk)
        if not lease.finish(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The export stopped: {type(error).__name__}: {error}"[:500],
        ):
            lease.release()
    finally:
        workspace.remove(work)
    return _status(job)


def _write(job, lease, path) -> None:
    fmt, layout = Format(job.format), Layout(job.layout)
    scope = scope_for(job.owner, job.params)
    with snapshot_cursors() as (vendor, counter, cursor):
        query = export_query(scope, layout, fmt, vendor)
        if not lease.renew(rows_total=count_rows(counter, query), rows_written=0, error=""):
            raise LeaseLost
        progress = Progress(job, lease)
        write_export(str(path), batches(cursor, query), query, fmt, progress=progress)
    with open(path, "rb") as written:
        job.file.save(job.filename, File(written), save=False)
    written = progress.written  # the file is the truth; on SQLite the count was a moment earlier
    expires_at = timezone.now() + ExportJob.lifetime()
    if not lease.finish(
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
        rows_written=written,
        rows_total=written,
        file=job.file.name,
        file_size=os.path.getsize(path),
        expires_at=expires_at,
    ):
        job.file.delete(save=False)  # cancelled while the file was being stored
        raise LeaseLost
    for shop in scope.shops:
        audit.record(
            AuditKind.EXPORT_CREATED,
            actor=job.owner,
            shop=shop,
            target=f"export {job.pk}",
            summary=f"Export ready: {written:,} rows ({fmt.label})",
            rows=written,
            format=fmt.value,
            layout=layout.value,
            filters=audited_filters(job.params),
        )


def _status(job) -> str:
    return ExportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _yield_to_the_site():
    """Exports are batch work: the worker runs below the web server's priority, so pages stay quick
    while a big export writes (EXPORT_WORKER_NICENESS; nice only ever goes up, so once is enough)."""
    global _niced
    if not _niced and hasattr(os, "nice"):
        os.nice(getattr(settings, "EXPORT_WORKER_NICENESS", 10))
        _niced = True


_niced = False


class Progress:
    """Called by the writer after each batch: stores the rows written, which also renews the lease and
    finds out whether the job is still wanted (LeaseLost when it was cancelled or taken back)."""

    def __init__(self, job, lease):
        self.job, self.lease, self.written = job, lease, 0

    def __call__(self, done):
        if not self.lease.renew(rows_written=done):
            raise LeaseLost
        self.written = done
        if settings.EXPORT_BATCH_PAUSE:
            time.sleep(settings.EXPORT_BATCH_PAUSE)


def _finish(job, status, **fields):
    job.status = status
    ExportJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def cancel_job(job: ExportJob) -> bool:
    """Queued or running: cancelled at once, whatever its worker's state. A live worker finds the job no
    longer wanted at its next heartbeat, stops and removes its partial file; a dead worker's lease is
    taken back when it expires. Finished: nothing to do (False)."""
    return (
        ExportJob.objects.filter(pk=job.pk, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
            status=ExportStatus.CANCELLED, cancel_requested=True, finished_at=timezone.now()
        )
        == 1
    )


def expire_old_files(now=None) -> int:
    """Delete the files of exports past their expiry; the job stays listed as expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        expired += 1
    return expired
