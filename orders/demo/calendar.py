"""When demo orders are placed: weekly and seasonal rhythm over the last 18 months, evenings busiest."""

import math
import random
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

HISTORY_DAYS = 548  # about 18 months
WEEKDAY_FACTOR = (0.92, 0.9, 0.93, 0.97, 1.05, 1.18, 1.12)  # Monday .. Sunday
MONTH_FACTOR = {
    1: 0.8,
    2: 0.78,
    3: 0.9,
    4: 0.92,
    5: 0.95,
    6: 1.0,
    7: 1.02,
    8: 1.0,
    9: 0.97,
    10: 1.05,
    11: 1.45,
    12: 1.35,
}
# Mega-sale days: 11.11, 12.12, and Black Friday (fourth Thursday of November + 1).
HOUR_WEIGHTS = (2, 1, 1, 0.6, 0.5, 0.6, 1.2, 2.5, 3.5, 4, 4.3, 4.8, 5.5, 5, 4.6, 4.5, 4.7, 5, 5.6, 6.5, 7.5, 8, 7, 4.5)


def _sale_boost(day: date) -> float:
    if (day.month, day.day) in {(11, 11), (12, 12)}:
        return 3.0
    if day.month == 11 and day.weekday() == 4 and 23 <= day.day <= 29:
        return 2.6
    return 1.0


def day_weights(today: date, days: int = HISTORY_DAYS) -> list[tuple[date, float]]:
    weights = []
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        growth = 0.55 + 0.45 * (1 - offset / days)  # the shop has grown over the period
        wobble = 1 + 0.04 * math.sin(offset * 0.7)  # no two weeks quite alike
        weights.append(
            (day, growth * WEEKDAY_FACTOR[day.weekday()] * MONTH_FACTOR[day.month] * _sale_boost(day) * wobble)
        )
    return weights


def orders_per_day(total: int, today: date) -> list[tuple[date, int]]:
    """Spread `total` orders over the days by weight, exactly `total` in all (largest remainders)."""
    weights = day_weights(today)
    scale = total / sum(w for _, w in weights)
    counts = [(day, w * scale) for day, w in weights]
    floors = [(day, int(c)) for day, c in counts]
    missing = total - sum(n for _, n in floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: counts[i][1] - floors[i][1], reverse=True)
    bump = set(by_remainder[:missing])
    return [(day, n + (1 if i in bump else 0)) for i, (day, n) in enumerate(floors)]


LIVE_TAIL_HOURS = 72


def live_tail(total: int) -> int:
    """Orders placed in the last three days on top of the rhythm, so every tab of a demo shop is busy."""
    return max(40, total * 15 // 1000) if total else 0


def tail_times(count: int, rng: random.Random, until: datetime) -> list[datetime]:
    return [until - timedelta(hours=rng.uniform(0, LIVE_TAIL_HOURS)) for _ in range(count)]


def placement_times(day: date, count: int, time_zone: str, rng: random.Random, until: datetime) -> list[datetime]:
    """`count` naive-UTC moments on `day` in the shop's zone, never after `until` (naive UTC)."""
    tz = zoneinfo.ZoneInfo(time_zone)
    start = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    hours = rng.choices(range(24), HOUR_WEIGHTS, k=count)
    moments = sorted(start + timedelta(hours=h, seconds=rng.uniform(0, 3600)) for h in hours)
    if moments and moments[-1] > until:
        # Today: squeeze the day's orders into the hours that have passed.
        span = max((until - start).total_seconds(), 1)
        moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in moments)
    return moments
