"""Date range presets of the order list, taken in the shop's time zone; the end date is inclusive.

A range is returned as half-open UTC bounds [start, end): `end` is midnight after the last day,
so an order at 23:59:59 shop time on the last day is in and one at 00:00 the next day is out.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models

MAX_RANGE_DAYS = 366 * 3  # a custom range longer than three years is surely a typo


class Preset(models.TextChoices):
    TODAY = "today", "Today"
    YESTERDAY = "yesterday", "Yesterday"
    LAST_24_HOURS = "last_24h", "Last 24 hours"
    LAST_7_DAYS = "last_7d", "Last 7 days"
    LAST_30_DAYS = "last_30d", "Last 30 days"
    THIS_MONTH = "this_month", "This month"
    LAST_MONTH = "last_month", "Last month"
    THIS_QUARTER = "this_quarter", "This quarter"
    THIS_YEAR = "this_year", "This year"
    CUSTOM = "custom", "Custom"


@dataclass(frozen=True)
class UtcRange:
    start: datetime | None  # inclusive
    end: datetime | None  # exclusive


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def days_to_utc(first: date | None, last: date | None, tz: ZoneInfo) -> UtcRange:
    """Local calendar days [first, last] (both inclusive) as UTC bounds."""
    return UtcRange(
        _midnight(first, tz) if first else None,
        _midnight(last + timedelta(days=1), tz) if last else None,
    )


def preset_days(preset: str, today: date) -> tuple[date, date]:
    """The local calendar days a day-based preset covers."""
    p = Preset(preset)
    if p == Preset.TODAY:
        return today, today
    if p == Preset.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if p == Preset.LAST_7_DAYS:
        return today - timedelta(days=6), today
    if p == Preset.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if p == Preset.THIS_MONTH:
        return today.replace(day=1), today
    if p == Preset.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if p == Preset.THIS_QUARTER:
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if p == Preset.THIS_YEAR:
        return date(today.year, 1, 1), today
    raise ValueError(f"{preset} is not a day-based preset")


def preset_range(preset: str, tz: ZoneInfo, now: datetime) -> UtcRange:
    if preset == Preset.LAST_24_HOURS:
        return UtcRange(now - timedelta(hours=24), now + timedelta(microseconds=1))
    first, last = preset_days(preset, now.astimezone(tz).date())
    return days_to_utc(first, last, tz)
