"""Background tasks on Django's Tasks API (django-tasks): the database backend by default."""

from django_tasks import task

from leases.reaping import reap_expired

from .services.jobs import expire_old_files, run_job


@task()
def run_export(job_id: str) -> str:
    expire_old_files()  # housekeeping rides along: expired files go before new ones are written,
    reap_expired()  # and jobs whose worker was killed are retried (or failed) before this one runs
    return run_job(job_id)
