"""Platform-style identifiers: 18-digit numbers that sort roughly by creation time."""

import random
import time

_BASE = 576_000_000_000_000_000  # keeps every id at 18 digits
_EPOCH_MS = 1_577_836_800_000  # 2020-01-01T00:00:00Z
_RANDOM_BITS = 16


def platform_id(at_ms: int | None = None, rng: random.Random | None = None) -> int:
    """An 18-digit id from a millisecond timestamp and 16 random bits (fits a signed 64-bit column)."""
    if at_ms is None:
        at_ms = int(time.time() * 1000)
    noise = (rng or random).getrandbits(_RANDOM_BITS)
    return _BASE + ((at_ms - _EPOCH_MS) << _RANDOM_BITS) + noise
