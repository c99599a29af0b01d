import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.demo.supervisor import Child, supervise


class Command(BaseCommand):
    help = (
        "Serve the Seller Center with the simulator and the task worker beside it (`make demo`); "
        "Ctrl+C stops all three and everything they started."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve on.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between simulator ticks.")

    def handle(self, *args, addr, interval, **options):
        host, _, port = addr.rpartition(":")
        if not (host and port.isdigit() and 0 < int(port) < 65536):
            raise CommandError(f"--addr must be HOST:PORT, such as 127.0.0.1:8000, not {addr!r}.")
        if not 0 < interval <= 24 * 3600:
            raise CommandError(f"--interval must be between 0 and 86400 seconds, not {interval}.")
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        logs = Path(settings.VAR_DIR)
        children = [
            # the worker and the simulator without autoreload: a code change needs a restart of the demo
            Child("simulator", [*manage, "simulate", "--interval", str(interval)], logs / "simulate.log"),
            Child("task worker", [*manage, "db_worker", "--interval", "1", "--no-reload"], logs / "worker.log"),
            Child("web server", [*manage, "runserver", addr]),  # its autoreloader's child is in its group
        ]
        self.stdout.write(f"Seller Center on http://{addr}/  (Ctrl+C to stop; simulator and worker log in {logs})")
        status = supervise(children, say=self.stderr.write)
        if status:
            raise CommandError("The demo stopped because one of its processes ended.", returncode=status)
