"""The task queue's side of a lost worker: its task result is closed, not left RUNNING for ever."""

from django.utils import timezone

FAILED, RUNNING = "FAILED", "RUNNING"  # django_tasks' TaskResultStatus values


def close_task_result(task_id: str, reason: str) -> None:
    """Mark the database backend's result of `task_id` failed if it still says RUNNING (other backends
    keep their own books: an RQ worker's death is RQ's to notice)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import task_backends
    from django_tasks_db.models import DBTaskResult

    if not task_id or not isinstance(task_backends["default"], DatabaseBackend):
        return

    DBTaskResult.objects.filter(pk=task_id, status=RUNNING).update(
        status=FAILED, finished_at=timezone.now(), exception_class_path="leases.lease.LeaseLost", traceback=reason
    )
