"""`manage.py db_worker`: django-tasks' database worker with what a fleet of workers needs to survive
faults. It takes back expired leases before its first task and then every half lease (a thread), so a
job whose worker was killed is retried by whichever worker is alive; and it outlives a database
restart, which the library's loop lets end the process. This app is listed before django_tasks_db in
INSTALLED_APPS, so this command replaces the library's under the same name."""

import logging
import os
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from leases.lease import lease_duration
from leases.reaping import reap_expired

log = logging.getLogger("leases")
RECONNECT_PAUSE = 1.0  # seconds between two tries while the database is away


class Command(db_worker.Command):
    help = "Run a database background worker that also takes back jobs whose worker stopped (leases)"

    def handle(self, *args, **options):
        if options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)  # the autoreloader's parent: its child works and reaps
        reap_once()
        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(target=keep_reaping, args=(stop,), daemon=True, name="lease-reaper").start()
        try:
            while True:
                try:
                    return super().handle(*args, **options)
                except (OperationalError, InterfaceError) as error:
                    log.warning("database unavailable (%s); the worker tries again in %s s", error, RECONNECT_PAUSE)
                    connections.close_all()
                    time.sleep(RECONNECT_PAUSE)
        finally:
            stop.set()


def reap_once() -> None:
    try:
        reap_expired()
    except DatabaseError as error:  # the next pass tries again
        log.warning("reaping expired leases failed: %s", error)
        connection.close()


def keep_reaping(stop: threading.Event) -> None:
    every = max(0.1, lease_duration().total_seconds() / 2)
    try:
        while not stop.wait(every):
            reap_once()
    finally:
        connection.close()
