from django.core.management.base import BaseCommand

from leases.reaping import reap_expired


class Command(BaseCommand):
    help = (
        "Take back the jobs whose worker stopped beating (retried or failed, as each kind decides). "
        "Every db_worker does this by itself; run it from cron with other task backends."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{reap_expired()} expired lease(s) taken back.")
