"""What becomes of an export whose worker stopped beating (leases.reaping calls `on_expired` with the
row locked): retried from the start up to JOB_LEASE_RETRIES times, then failed with the reason shown
to its owner; a job cancelled meanwhile stays cancelled. The dead attempt's task result is closed."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leases.tasks import close_task_result

from ..models import ExportJob, ExportStatus


def on_expired(job: ExportJob) -> None:
    close_task_result(job.task_id, f"The worker stopped beating during attempt {job.attempts} of export {job.pk}.")
    if job.status != ExportStatus.RUNNING:
        return  # cancelled while its worker was away: only the lease goes
    retries = settings.JOB_LEASE_RETRIES
    rows = ExportJob.objects.filter(pk=job.pk)
    if job.attempts > retries:
        rows.update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=(
                f"The worker stopped {_times(job.attempts)} while writing this export (a restart, or not enough "
                "memory), so it was not tried again. Ask for it again, or for a shorter period."
            ),
        )
        return
    rows.update(
        status=ExportStatus.QUEUED,
        rows_written=0,
        rows_total=None,
        started_at=None,
        error=(f"The worker stopped; the export starts again from the beginning (retry {job.attempts} of {retries})."),
    )
    transaction.on_commit(lambda: requeue(job))


def requeue(job: ExportJob) -> None:
    from ..tasks import run_export
    from .jobs import enqueue

    enqueue(job, run_export)


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
