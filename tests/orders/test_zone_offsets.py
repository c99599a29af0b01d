"""A zone's UTC offsets and the instants where they change (orders/zone_offsets.py), which analytics
passes to SQL."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orders.zone_offsets import offsets

YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# offsets() --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        pytest.param(
            "America/Los_Angeles",
            [(utc(2026, 3, 8, 10), -8 * 3600), (utc(2026, 11, 1, 9), -7 * 3600), (None, -8 * 3600)],
            id="los-angeles",
        ),
        pytest.param("Europe/London", [(utc(2026, 3, 29, 1), 0), (utc(2026, 10, 25, 1), 3600), (None, 0)], id="london"),
        pytest.param(
            "Australia/Sydney",
            [(utc(2026, 4, 4, 16), 11 * 3600), (utc(2026, 10, 3, 16), 10 * 3600), (None, 11 * 3600)],
            id="sydney-southern-summer",
        ),
        pytest.param("Asia/Jakarta", [(None, 7 * 3600)], id="jakarta-one-span"),
        pytest.param("Asia/Kolkata", [(None, 5 * 3600 + 1800)], id="kolkata-half-hour"),
        pytest.param("UTC", [(None, 0)], id="utc"),
    ],
)
@pytest.mark.parametrize("fraction", [0, 123456], ids=["whole-seconds", "with-microseconds"])
def test_offsets_over_2026_change_at_the_right_utc_instants(zone, expected, fraction):
    start, end = YEAR_2026
    assert offsets(zone, start + timedelta(microseconds=fraction), end) == expected


def test_offsets_hold_from_the_start_when_no_change_lies_in_the_span():
    assert offsets("America/Los_Angeles", utc(2026, 4, 1), utc(2026, 10, 1)) == [(None, -7 * 3600)]
    assert offsets("America/Los_Angeles", utc(2026, 3, 8, 9, 59, 59), utc(2026, 3, 8, 10, 0, 1)) == [
        (utc(2026, 3, 8, 10), -8 * 3600),
        (None, -7 * 3600),
    ]


def test_each_change_is_where_zoneinfo_says_the_offset_changes():
    zone = ZoneInfo("America/Los_Angeles")
    for until, before in offsets("America/Los_Angeles", *YEAR_2026)[:-1]:
        assert (until - timedelta(seconds=1)).astimezone(zone).utcoffset().total_seconds() == before
        assert until.astimezone(zone).utcoffset().total_seconds() != before
