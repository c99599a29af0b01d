"""The shared cache (sellercenter/cache.py): chosen from the environment, never per process; the
database cache's table made by `migrate`; its incr atomic and keeping the expiry; `hit` counting in
windows. Counting across processes: tests/partner_api/test_ratelimit.py."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from sellercenter.cache import hit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_CACHE = {"BACKEND": "sellercenter.cache.DatabaseCache", "LOCATION": "sellercenter_cache"}


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = {"default": DATABASE_CACHE}
    cache.clear()
    return cache


@pytest.mark.parametrize(
    ("module", "redis_url", "backend"),
    [
        ("sellercenter.settings", "", "sellercenter.cache.DatabaseCache"),
        ("sellercenter.settings", "redis://127.0.0.1:6390/0", "django.core.cache.backends.redis.RedisCache"),
        ("sellercenter.production", "", "sellercenter.cache.DatabaseCache"),
        ("sellercenter.production", "redis://127.0.0.1:6390/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_is_redis_with_redis_url_and_the_database_otherwise(tmp_path, module, redis_url, backend):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        REDIS_URL=redis_url,
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="sellercenter.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'cache.sqlite3'}",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION'))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == [backend, redis_url or "sellercenter_cache"], result.stderr


@pytest.mark.django_db
def test_migrate_made_the_cache_table():
    assert "sellercenter_cache" in connection.introspection.table_names()


def test_incr_counts_and_keeps_the_expiry(database_cache):
    database_cache.set("count", 5, timeout=30)
    before = _expires("count")
    assert database_cache.incr("count") == 6
    assert database_cache.incr("count", 4) == 10
    assert database_cache.get("count") == 10
    assert _expires("count") == before  # Django's own incr writes the value back with the default timeout


@pytest.mark.parametrize("state", ["missing", "expired"])
def test_incr_of_a_missing_or_expired_key_is_refused(database_cache, state):
    if state == "expired":
        database_cache.set("count", 5, timeout=30)
        _expire("count")
    with pytest.raises(ValueError, match="not found"):
        database_cache.incr("count")


@pytest.mark.parametrize("backend", ["database", "local memory"])
def test_hit_counts_within_the_window_and_starts_again_after_it(request, settings, backend):
    if backend == "database":
        request.getfixturevalue("database_cache")
    assert [hit("door", window_seconds=60) for _ in range(3)] == [1, 2, 3]
    assert hit("other-door", window_seconds=60) == 1
    if backend == "database":
        _expire("door")
        assert hit("door", window_seconds=60) == 1


def _expires(key):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM sellercenter_cache WHERE cache_key = %s", [cache.make_and_validate_key(key)]
        )
        return cursor.fetchone()[0]


def _expire(key):
    """End a key's life now, as if its timeout had gone by."""
    past = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(seconds=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellercenter_cache SET expires = %s WHERE cache_key = %s", [past, cache.make_and_validate_key(key)]
        )
