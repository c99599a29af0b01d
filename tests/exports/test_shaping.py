"""Local times in Python (exports/shaping.py): the hour cache must answer exactly as zoneinfo does."""

from datetime import UTC, datetime, timedelta

import pytest

from exports.shaping import LocalTimes


def stored(moment: datetime) -> str:
    """As Django stores a datetime in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Jakarta", "Asia/Kolkata", "Australia/Lord_Howe",
                                  "Europe/London", "Pacific/Chatham", "UTC"])
def test_every_minute_of_two_dst_weeks_matches_zoneinfo(zone):
    from zoneinfo import ZoneInfo

    local, tz = LocalTimes(), ZoneInfo(zone)
    for start in (datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC)):
        for minute in range(0, 7 * 24 * 60, 7):  # every 7th minute over a week around the changes
            moment = start + timedelta(minutes=minute, seconds=59, microseconds=999_999)
            expected = moment.astimezone(tz).replace(microsecond=0).isoformat()
            assert local(stored(moment), zone) == expected, stored(moment)


def test_whole_hour_zones_are_served_from_the_cache():
    local = LocalTimes()
    for second in range(0, 3600, 60):
        local(stored(datetime(2026, 6, 1, 10, tzinfo=UTC) + timedelta(seconds=second)), "Asia/Jakarta")
    assert list(local.hours) == [("Asia/Jakarta", "2026-06-01 10")]


def test_postgresql_datetimes_are_converted_directly():
    moment = datetime(2026, 3, 8, 10, 0, 0, 500_000, tzinfo=UTC)
    assert LocalTimes()(moment, "America/Los_Angeles") == "2026-03-08T03:00:00-07:00"
