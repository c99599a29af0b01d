"""Background tasks (django-tasks): webhook delivery."""

from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.attempt(delivery_id)
