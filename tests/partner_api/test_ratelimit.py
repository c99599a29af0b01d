"""The Partner API rate limit (partner_api/ratelimit.py): counted per app and calendar minute, and
shared by every process: two OS processes counting against one database (or one Redis) together
get no more than the limit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from partner_api import errors, ratelimit
from tests.factories import ApiAppFactory
from tests.servers import needs_redis, redis_url  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]
MINUTE_START = 1_700_000_040.0  # a whole minute in unix time: the processes count in one fixed window

COUNTER = """
import sys
import django
django.setup()
from partner_api import errors, ratelimit
from partner_api.models import ApiApp
app = ApiApp.objects.get(pk=int(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # both processes start counting on the same signal
allowed = 0
for _ in range(int(sys.argv[3])):
    try:
        ratelimit.check(app, now=float(sys.argv[2]))
        allowed += 1
    except errors.ApiError:
        pass
print("allowed", allowed, flush=True)
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offsets", "allowed"),
    [
        ([0, 1, 59], [True, True, False]),  # a third request within one minute
        ([0, 59, 60, 61], [True, True, True, True]),  # a new minute counts from zero
        ([30, 30, 90, 90, 90], [True, True, True, True, False]),
    ],
)
def test_requests_are_counted_per_calendar_minute(settings, offsets, allowed):
    settings.PARTNER_API_RATE_LIMIT_PER_MINUTE = 2
    app = ApiAppFactory()
    assert [_passes(app, MINUTE_START + offset) for offset in offsets] == allowed


@pytest.mark.django_db
def test_the_refusal_says_which_app_and_when_to_retry(settings):
    settings.PARTNER_API_RATE_LIMIT_PER_MINUTE = 1
    app = ApiAppFactory()
    ratelimit.check(app, now=MINUTE_START + 20)
    with pytest.raises(errors.ApiError) as refused:
        ratelimit.check(app, now=MINUTE_START + 20)
    assert refused.value.kind == errors.RATE_LIMITED
    assert app.app_key in str(refused.value.message) and "retry in 40 s" in str(refused.value.message)


def _passes(app, now) -> bool:
    try:
        ratelimit.check(app, now=now)
    except errors.ApiError:
        return False
    return True


def _database_url() -> str:
    """The test database, as DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)  # committed: the other processes must see the app
@pytest.mark.parametrize("backend", ["database", pytest.param("redis", marks=needs_redis)])
def test_two_processes_share_one_limit(backend, request, tmp_path):
    limit, tries = 25, 20
    app = ApiAppFactory()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="sellercenter.settings",
        DATABASE_URL=_database_url(),
        PYTHONPATH=str(ROOT),
        PARTNER_API_RATE_LIMIT_PER_MINUTE=str(limit),
        SELLERCENTER_VAR_DIR=str(tmp_path),
    )
    if backend == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, str(app.pk), str(MINUTE_START), str(tries)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        answers = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            process.kill()
        with connection.cursor() as cursor:  # the table is not a model's: the test's flush leaves it
            cursor.execute("DELETE FROM sellercenter_cache")
    allowed = [int(out.split()[-1]) for out, err in answers]
    assert all(0 < each <= tries for each in allowed), answers  # both processes took part
    assert sum(allowed) == limit, answers  # per-process counting would let 2 x 20 through
