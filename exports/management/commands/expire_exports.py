from django.core.management.base import BaseCommand

from exports.services.jobs import expire_old_files


class Command(BaseCommand):
    help = "Delete export files past their expiry (each export task also does this before it runs)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_old_files()} export file(s) deleted.")
