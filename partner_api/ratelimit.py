"""A fixed-window request limit per app, counted in Django's cache (per process with the default
local-memory cache; shared by all workers once CACHES points at Redis or Memcached)."""

import time

from django.conf import settings
from django.core.cache import cache

from . import errors

DEFAULT_PER_MINUTE = 600


def limit() -> int:
    return getattr(settings, "PARTNER_API_RATE_LIMIT_PER_MINUTE", DEFAULT_PER_MINUTE)


def check(app) -> None:
    """Count one request of `app` in the current minute; refuse it beyond the limit."""
    window = int(time.time() // 60)
    key = f"partner_api:rate:{app.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit():
        raise errors.ApiError(errors.RATE_LIMITED,
                              f"App {app.app_key} sent more than {limit()} requests this minute; retry in "
                              f"{60 - int(time.time()) % 60} s.")
