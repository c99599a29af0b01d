"""A PostgreSQL restart while requests are in flight: on a throwaway cluster of its own (never the shared
server), the app under gunicorn (2 workers, CONN_MAX_AGE=60 with health checks) and a task worker.
The request caught mid-query and those sent while the server is down get the product's 503 page, not a
traceback; afterwards the same web processes and the same worker answer and work again."""

import http.client
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from glob import glob
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True)), None) or os.environ.get("PG_BIN")
pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        not PG_BIN or not Path(PG_BIN, "initdb").exists() or not Path(PG_BIN, "pg_ctl").exists(),
        reason="the PostgreSQL server binaries (initdb, pg_ctl) are not installed",
    ),
]
WAIT = 30  # seconds at most for any one step


def _postgres_user_missing():
    try:
        pwd.getpwnam("postgres")
        return False
    except KeyError:
        return True


if os.geteuid() == 0 and _postgres_user_missing():
    pytestmark.append(pytest.mark.skip(reason="running as root without a postgres user to run the server as"))

SETUP = """
from django.contrib.auth import get_user_model
from django.test import Client
from accounts.models import Membership
from accounts.roles import Role
from tests.factories import ShopFactory
user = get_user_model().objects.create_user("restart-accountant", password="x" * 16)
Membership.objects.create(user=user, shop=ShopFactory(), role=Role.ACCOUNTANT)
client = Client()
client.force_login(user)
print("SESSION", client.cookies["sessionid"].value)
"""
EXPORT = """
from django.contrib.auth import get_user_model
from django.db import transaction
from exports.columns import Format, Layout
from exports.services.jobs import start_job
from exports.services.scope import scope_for
user = get_user_model().objects.get(username="restart-accountant")
params = {"filters": {}, "shops": []}
with transaction.atomic():
    print("JOB", start_job(user, params, Format.CSV, Layout.LINES, scope_for(user, params)).pk)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*command):
    """initdb and the server refuse to run as root: as root, run them as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=WAIT)


class Cluster:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sellercenter-restart-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.port, self.data = free_port(), self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/sellercenter"
        as_postgres(
            f"{PG_BIN}/initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"
        )
        self.start()
        self.sql("CREATE DATABASE sellercenter", database="postgres")

    def ctl(self, *args):
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-w", "-l", str(self.dir / "server.log"), *args)

    def start(self):
        self.ctl(
            "start",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
        )

    def connect(self, database="sellercenter"):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True)

    def sql(self, statement, database="sellercenter"):
        with self.connect(database) as db:
            return (
                db.execute(statement).fetchall()
                if statement.lstrip().upper().startswith("SELECT")
                else db.execute(statement)
            )

    def remove(self):
        try:
            self.ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    made = Cluster()
    yield made
    made.remove()


@pytest.fixture
def processes():
    started = []

    def start(*command, env):
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def until(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting for: {what}")


class Site:
    def __init__(self, port, session):
        self.port, self.session = port, session

    def get(self, path="/orders/"):
        """(status, body); (None, error) when no HTTP answer came at all."""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
            connection.request("GET", path, headers={"Cookie": f"sessionid={self.session}"})
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError as error:
            return None, repr(error)

    def answers(self):
        return self.get()[0] == 200


def error_page(status, body):
    return status == 503 and "<h1>Temporarily unavailable</h1>" in body and "Traceback" not in body


def children(pid):
    return sorted(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def test_a_database_restart_fails_the_requests_it_catches_with_the_error_page_and_nothing_after(
    cluster, processes, tmp_path
):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}}
    env.update(
        DATABASE_URL=cluster.url,
        CONN_MAX_AGE="60",
        DEBUG="0",
        SELLERCENTER_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="sellercenter.settings",
        PYTHONPATH=str(ROOT),
    )
    manage(env, "migrate", "--noinput")
    session = re.search(r"SESSION (\w+)", manage(env, "shell", "-c", SETUP))[1]
    port = free_port()
    web = processes(
        sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "sellercenter.wsgi", env=env
    )
    worker = processes(
        sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", env=env
    )
    site = Site(port, session)
    until(lambda: all(site.answers() for _ in range(4)), "both web workers to answer")  # each holds a connection
    web_workers = children(web.pid)

    # One request caught mid-query: it waits on a lock when the server goes down.
    locker = cluster.connect()
    locker.execute("BEGIN")
    locker.execute("LOCK TABLE orders_order IN ACCESS EXCLUSIVE MODE")
    caught = {}
    in_flight = threading.Thread(target=lambda: caught.update(answer=site.get()))
    in_flight.start()
    until(lambda: cluster.sql("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"), "a waiting request")

    cluster.ctl("stop", "-m", "fast")
    in_flight.join(WAIT)
    locker.close()
    while_down = [site.get() for _ in range(3)]
    time.sleep(0.5)  # the task worker polls (every 0.1 s) while the server is away
    cluster.start()
    after = [site.get() for _ in range(6)]

    assert error_page(*caught["answer"]), caught["answer"]
    assert all(error_page(*answer) for answer in while_down), while_down
    assert [status for status, _ in after] == [200] * 6, after
    assert children(web.pid) == web_workers  # the same web processes, reconnected by their health checks

    assert worker.poll() is None, worker.stderr.read().decode()[-2000:]  # the worker outlived the outage
    job = re.search(r"JOB (\S+)", manage(env, "shell", "-c", EXPORT))[1]
    until(
        lambda: cluster.sql(f"SELECT 1 FROM exports_exportjob WHERE id = '{job}' AND status = 'done'"),
        "the worker to run an export queued after the restart",
    )
