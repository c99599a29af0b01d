"""Database settings: connections kept across requests where CONN_MAX_AGE asks for it, and on SQLite
a page cache worth keeping then."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "from django.conf import settings as s; from django.db import connection as c; "
    "d = s.DATABASES['default']; c.ensure_connection(); cur = c.connection.execute('PRAGMA cache_size'); "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], cur.fetchone()[0])"
)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("0", ["0", "False", "-2000"]),  # a connection per request (runserver, tests): SQLite's default 2 MiB cache
        ("60", ["60", "True", "-65536"]),  # kept (production): 64 MiB, checked before reuse
    ],
)
def test_kept_connections_get_health_checks_and_a_larger_sqlite_cache(tmp_path, age, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="sellercenter.settings",
        CONN_MAX_AGE=age,
        DATABASE_URL=f"sqlite:///{tmp_path / 'settings.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1].split() == expected, result.stderr


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit_or_parallel_workers():
    """Short list queries: a JIT compilation or a parallel worker's start cost more than the query."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL session settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert (jit, cursor.fetchone()[0]) == ("off", "0")
