"""A shop zone's UTC offsets over a span, and the instants where they change (DST), from zoneinfo.

Exports and analytics pass them to SQL as a CASE, so that local times and days are exact on SQLite
(which has no time zone database) and identical on PostgreSQL.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def offsets(zone: str, start: datetime, end: datetime) -> list[tuple[datetime | None, int]]:
    """[(until, offset seconds)...] covering [start, end]; each offset holds until the next `until`
    (the first instant of the following offset); the last has None."""
    tz = ZoneInfo(zone)

    def offset(moment):
        return int(moment.astimezone(tz).utcoffset().total_seconds())

    spans, step, moment = [], timedelta(hours=6), start
    current = offset(moment)
    while moment < end:
        following = min(moment + step, end)
        if offset(following) != current:
            low, high = moment, following  # the change lies in (low, high]: narrow it to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            spans.append((high.replace(microsecond=0), current))
            current = offset(high)
        moment = following
    spans.append((None, current))
    return spans
