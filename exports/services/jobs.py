"""Background exports: ask for one, run it (the task's body), cancel it, download it, expire it."""

import logging
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditKind
from accounts.services import audit

from ..columns import Format, Layout
from ..models import ExportJob, ExportStatus
from .files import write_export
from .reading import batches, count_rows, snapshot_cursors
from .scope import audited_filters, describe, export_query, scope_for

log = logging.getLogger(__name__)
CANCEL_CHECK_EVERY = 5  # chunks between two looks at the cancel flag


class Cancelled(Exception):
    pass


def start_job(user, params: dict, fmt: Format, layout: Layout, scope) -> ExportJob:
    """Store the job (filters and user, never ids) and queue it once the transaction commits."""
    from ..tasks import run_export

    job = ExportJob.objects.create(owner=user, params=params, shop_ids=[s.pk for s in scope.shops],
                                   description=describe(scope, fmt, layout), format=fmt.value, layout=layout.value)
    transaction.on_commit(lambda: _enqueue(job, run_export))
    return job


def _enqueue(job, task):
    result = task.enqueue(str(job.pk))
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def run_job(job_id: str) -> str:
    """The task's body. Returns the final status; every outcome is stored on the job."""
    _yield_to_the_site()
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job.status
    if job.cancel_requested:
        _finish(job, ExportStatus.CANCELLED)
        return job.status
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_at=timezone.now())
    fmt, layout = Format(job.format), Layout(job.layout)
    handle, path = tempfile.mkstemp(suffix=f".{fmt.extension}", prefix="export-")
    os.close(handle)
    try:
        scope = scope_for(job.owner, job.params)
        with snapshot_cursors() as (vendor, counter, cursor):
            query = export_query(scope, layout, fmt, vendor)
            total = count_rows(counter, query)
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            progress = Progress(job)
            write_export(path, batches(cursor, query), query, fmt, progress=progress)
        with open(path, "rb") as written:
            job.file.save(job.filename, File(written), save=False)
        now = timezone.now()
        written = progress.written  # the file is the truth; on SQLite the count was a moment earlier
        job.file_size = os.path.getsize(path)
        job.expires_at = now + ExportJob.lifetime()
        job.rows_total = written
        _finish(job, ExportStatus.DONE, rows_written=written, rows_total=written, file=job.file.name,
                file_size=job.file_size, expires_at=job.expires_at)
        for shop in scope.shops:
            audit.record(AuditKind.EXPORT_CREATED, actor=job.owner, shop=shop, target=f"export {job.pk}",
                         summary=f"Export ready: {written:,} rows ({fmt.label})", rows=written, format=fmt.value,
                         layout=layout.value, filters=audited_filters(job.params))
    except Cancelled:
        _finish(job, ExportStatus.CANCELLED)
    except Exception as error:  # the job says why; the worker goes on with the next one
        log.exception("export %s failed", job.pk)
        _finish(job, ExportStatus.FAILED, error=f"The export stopped: {type(error).__name__}: {error}"[:500])
    finally:
        if os.path.exists(path):
            os.remove(path)
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
    """Called by the writer after each chunk: stores rows written, looks at the cancel flag now and then."""

    def __init__(self, job):
        self.job, self.written, self.chunks = job, 0, 0

    def __call__(self, done):
        self.written = done
        ExportJob.objects.filter(pk=self.job.pk).update(rows_written=done)
        self.chunks += 1
        if self.chunks % CANCEL_CHECK_EVERY == 0 and \
                ExportJob.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise Cancelled


def _finish(job, status, **fields):
    job.status = status
    ExportJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)


def cancel_job(job: ExportJob) -> bool:
    """Queued: cancelled at once. Running: stopped at its next look at the flag. Finished: nothing to do."""
    if job.finished:
        return False
    ExportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.CANCELLED, finished_at=timezone.now())
    return True


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
