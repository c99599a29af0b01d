"""The shared cache: what every web process and task worker must see alike (the Partner API rate
limit, the sign-in throttle per IP, cached aggregates) lives in Django's cache, configured in
settings.py as Redis (REDIS_URL) or a table of the database, never a per-process memory cache.

Django's database cache has no atomic increment (BaseCache.incr reads, adds and writes back, and
resets the expiry), so two processes counting at once would lose counts: `DatabaseCache.incr`
below does it under a row lock. `hit()` is the counter that the limits are built on.
"""

import base64
import pickle

from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache whose incr is atomic across processes and keeps the key's expiry."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, value_column = quote(self._table), quote("cache_key"), quote("value")
        # FOR UPDATE serialises counters on PostgreSQL; SQLite's IMMEDIATE transactions (settings.py)
        # take the write lock at BEGIN, which serialises them there.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {quote('expires')} > %s{lock}",
                [key, connection.ops.adapt_datetimefield_value(tz_now())],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [stored, key])
        return value

    async def aincr(self, key, delta=1, version=None):
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.incr, thread_sensitive=True)(key, delta, version)


def hit(key: str, window_seconds: int) -> int:
    """Count one event under `key` and return the count of its window, which opens with the first
    event and lasts `window_seconds`. Atomic across processes with Redis or DatabaseCache."""
    try:
        return cache.incr(key)
    except ValueError:  # the first event of a window
        if cache.add(key, 1, timeout=window_seconds):
            return 1
    try:
        return cache.incr(key)  # another process opened the window first
    except ValueError:  # ...and it closed in between: this event opens the next one
        cache.set(key, 1, timeout=window_seconds)
        return 1
