from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from orders.date_ranges import Preset, days_to_utc, preset_days, preset_range

TODAY = date(2026, 5, 14)  # a Thursday in Q2


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        (Preset.TODAY, date(2026, 5, 14), date(2026, 5, 14)),
        (Preset.YESTERDAY, date(2026, 5, 13), date(2026, 5, 13)),
        (Preset.LAST_7_DAYS, date(2026, 5, 8), date(2026, 5, 14)),
        (Preset.LAST_30_DAYS, date(2026, 4, 15), date(2026, 5, 14)),
        (Preset.THIS_MONTH, date(2026, 5, 1), date(2026, 5, 14)),
        (Preset.LAST_MONTH, date(2026, 4, 1), date(2026, 4, 30)),
        (Preset.THIS_QUARTER, date(2026, 4, 1), date(2026, 5, 14)),
        (Preset.THIS_YEAR, date(2026, 1, 1), date(2026, 5, 14)),
    ],
)
def test_day_presets(preset, first, last):
    assert preset_days(preset, TODAY) == (first, last)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 1, 3), date(2025, 12, 1), date(2025, 12, 31)),  # across the year
        (date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_last_month_edges(today, first, last):
    assert preset_days(Preset.LAST_MONTH, today) == (first, last)


def test_quarter_of_december():
    assert preset_days(Preset.THIS_QUARTER, date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))


def test_end_day_is_inclusive_in_the_shop_zone():
    tz = ZoneInfo("America/Los_Angeles")
    bounds = days_to_utc(date(2026, 1, 1), date(2026, 1, 31), tz)
    assert bounds.start == datetime(2026, 1, 1, 8, tzinfo=UTC)  # midnight PST
    assert bounds.end == datetime(2026, 2, 1, 8, tzinfo=UTC)  # midnight after the last day


def test_dst_day_is_23_hours_long():
    tz = ZoneInfo("Europe/London")
    bounds = days_to_utc(date(2026, 3, 29), date(2026, 3, 29), tz)
    assert (bounds.end - bounds.start).total_seconds() == 23 * 3600


def test_today_depends_on_the_shop_zone():
    now = datetime(2026, 5, 14, 20, 0, tzinfo=UTC)  # already 15 May in Jakarta, still 14 May in LA
    jakarta = preset_range(Preset.TODAY, ZoneInfo("Asia/Jakarta"), now)
    la = preset_range(Preset.TODAY, ZoneInfo("America/Los_Angeles"), now)
    assert jakarta.start == datetime(2026, 5, 14, 17, tzinfo=UTC)
    assert la.start == datetime(2026, 5, 14, 7, tzinfo=UTC)


def test_last_24_hours_is_rolling():
    now = datetime(2026, 5, 14, 20, 0, tzinfo=UTC)
    bounds = preset_range(Preset.LAST_24_HOURS, ZoneInfo("Asia/Jakarta"), now)
    assert bounds.start == datetime(2026, 5, 13, 20, 0, tzinfo=UTC) and bounds.end > now


def test_custom_is_not_a_day_preset():
    with pytest.raises(ValueError):
        preset_days(Preset.CUSTOM, TODAY)
