"""A fixed-window request limit per app (per calendar minute), counted in the shared cache
(sellercenter/cache.py), so that it holds across every web process and machine."""

import time

from django.conf import settings

from sellercenter.cache import hit

from . import errors

DEFAULT_PER_MINUTE = 600


def limit() -> int:
    return getattr(settings, "PARTNER_API_RATE_LIMIT_PER_MINUTE", DEFAULT_PER_MINUTE)


def check(app, now: float | None = None) -> None:
    """Count one request of `app` in the current minute (`now`: unix time, for tests); refuse it beyond the limit."""
    now = time.time() if now is None else now
    window = int(now // 60)
    count = hit(f"partner_api:rate:{app.pk}:{window}", window_seconds=120)  # outlives its minute: no early reset
    if count > limit():
        raise errors.ApiError(
            errors.RATE_LIMITED,
            f"App {app.app_key} sent more than {limit()} requests this minute; retry in {60 - int(now) % 60} s.",
        )
