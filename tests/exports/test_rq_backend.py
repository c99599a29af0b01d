"""The distributed task backend: with TASKS_BACKEND=rq an export job goes through Redis and an RQ
worker. Runs where redis-server can be started on loopback (CI installs it), in processes of their
own, since the backend is chosen when settings load."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import needs_redis, redis_url  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    needs_redis,
    pytest.mark.skipif(importlib.util.find_spec("django_tasks_rq") is None, reason="django-tasks-rq is not installed"),
]

SETUP = """
from django.contrib.auth import get_user_model
from django.db import transaction
from accounts.models import Membership
from accounts.roles import Role
from exports.columns import Format, Layout
from exports.services.jobs import start_job
from exports.services.scope import scope_for
from tests.factories import LineItemFactory, OrderFactory, ShopFactory
shop = ShopFactory()
user = get_user_model().objects.create_user("rq-accountant", password="x" * 16)
Membership.objects.create(user=user, shop=shop, role=Role.ACCOUNTANT)
for _ in range(3):
    LineItemFactory(order=OrderFactory(shop=shop))
params = {"filters": {}, "shops": []}
with transaction.atomic():
    job = start_job(user, params, Format.CSV, Layout.LINES, scope_for(user, params))
print("JOB", job.pk)
"""
CHECK = """
from exports.models import ExportJob
from orders.models import LineItem
job = ExportJob.objects.get()
print("STATUS", job.status, job.rows_written == LineItem.objects.count() > 0, job.task_id != "")
"""


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_an_export_job_runs_through_redis_and_an_rq_worker(redis_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        TASKS_BACKEND="rq",
        REDIS_URL=redis_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        SELLERCENTER_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="sellercenter.settings",
    )
    assert manage(env, "migrate", "--noinput").returncode == 0
    setup = manage(env, "shell", "-c", SETUP)
    assert "JOB" in setup.stdout, setup.stderr
    worker = manage(env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    assert worker.returncode == 0, worker.stderr
    check = manage(env, "shell", "-c", CHECK)
    assert "STATUS done True True" in check.stdout, check.stdout + check.stderr
