"""The seed's moment as "now" in processes the load test starts (gunicorn, the simulator, the task worker).

    gunicorn bench.pinned:application ...          # the site, its clock pinned
    python bench/pinned.py simulate --interval 1   # a management command, its clock pinned

Every process of one load test reads the same LOAD_CLOCK_START (unix seconds, set by bench/load_test.py)
and sees now = the seed's moment (bench/benchdb.NOW) + the seconds since LOAD_CLOCK_START: the web
processes, the simulator and the worker agree on the time, a date preset selects the same stretch of the
seeded history at every size (as in bench/orders_bench.py), and the simulator carries on from where the
seed stopped instead of catching up on the weeks between the seed's moment and today in its first tick.
The clock is pinned before Django imports the apps, so a module that did `from django.utils.timezone
import now` sees the pinned clock too.
"""

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-20T12:00:00+00:00"  # = benchdb.NOW (not imported: this file must not import the bench's modules)


def pin_clock(start: float | None = None):
    from django.utils import timezone

    moment = datetime.fromisoformat(os.environ.get("LOAD_CLOCK_MOMENT", NOW))
    start = float(os.environ.get("LOAD_CLOCK_START", time.time())) if start is None else start

    def now():
        return moment + timedelta(seconds=time.time() - start)

    timezone.now = now


if os.environ.get("LOAD_CLOCK_START"):
    pin_clock()

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])


def __getattr__(name):
    """`application`, the site's WSGI handler, made on first use (gunicorn's getattr), so that importing
    this module for pin_clock() alone sets nothing up."""
    if name != "application":
        raise AttributeError(name)
    global application
    from django.core.wsgi import get_wsgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")
    application = get_wsgi_application()
    return application
