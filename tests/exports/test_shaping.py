"""The Python finish of export rows (exports/shaping.py): local times from the per-hour cache against
zoneinfo itself, minute by minute across DST changes and in zones with :30 and :45 offsets; and the
compiled CSV line for each kind of output."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from exports.shaping import Finish, LocalTime, Output, csv_lines, xlsx_rows

ZONE_WEEKS = [
    ("America/Los_Angeles", datetime(2026, 3, 5, tzinfo=UTC)),  # spring forward on the 8th
    ("America/Los_Angeles", datetime(2026, 10, 29, tzinfo=UTC)),  # fall back on 1 November
    ("Europe/London", datetime(2026, 3, 26, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2026, 4, 2, tzinfo=UTC)),  # a half-hour DST change
    ("Asia/Kolkata", datetime(2026, 6, 1, tzinfo=UTC)),  # +05:30
    ("Asia/Kathmandu", datetime(2026, 6, 1, tzinfo=UTC)),  # +05:45
    ("America/St_Johns", datetime(2026, 3, 5, tzinfo=UTC)),  # -03:30, DST on the 8th
    ("UTC", datetime(2026, 6, 1, tzinfo=UTC)),
]


@pytest.mark.parametrize(("zone", "start"), ZONE_WEEKS, ids=[f"{z}-{s:%m-%d}" for z, s in ZONE_WEEKS])
def test_local_times_match_zoneinfo_minute_by_minute_for_a_week(zone, start):
    local, tz = LocalTime(zone), ZoneInfo(zone)
    for minute in range(0, 7 * 24 * 60):
        moment = start + timedelta(minutes=minute, seconds=minute % 60)
        text = moment.strftime("%Y-%m-%d %H:%M:%S") + (".999999" if minute % 2 else "")
        assert local(text) == moment.astimezone(tz).isoformat(timespec="seconds"), text


def test_hours_are_cached_only_where_the_offset_holds_for_the_whole_hour():
    local = LocalTime("America/Los_Angeles")
    local("2026-03-08 09:15:00")  # the hour before the change: -08:00 throughout
    local("2026-03-08 10:15:00")
    assert local.hours["2026-03-08 09"] == ("2026-03-08T01", "-08:00")
    assert local.hours["2026-03-08 10"] == ("2026-03-08T03", "-07:00")
    kolkata = LocalTime("Asia/Kolkata")
    assert kolkata("2026-06-01 18:29:59") == "2026-06-01T23:59:59+05:30"
    assert kolkata.hours["2026-06-01 18"] is None  # a :30 zone: converted one by one


def parse(text):
    return list(csv.reader(io.StringIO(text)))


CSV_CASES = [
    # (output, value from the database, field as a CSV reader reads it)
    (Output("x"), '"a ""quoted"", text"', 'a "quoted", text'),
    (Output("x", Finish.TIME), "2026-03-08 10:00:00.5", "2026-03-08T03:00:00-07:00"),
    (Output("x", Finish.TIME), None, ""),
    (Output("x", Finish.MONEY), 12.5, "12.50"),
    (Output("x", Finish.MONEY), 7, "7.00"),
    (Output("x", Finish.MONEY), Decimal("0.105"), "0.10"),  # PostgreSQL's numeric: half to even
    (Output("x", Finish.MONEY), None, ""),
    (Output("x", Finish.NAME), "Jane Doe", "J*** D***"),
    (Output("x", Finish.NAME), "***", "***"),  # hidden by status: stays
    (Output("x", Finish.NAME), None, ""),
    (Output("x", Finish.PHONE), "+1 213 555 0188", "(+1)213*****88"),
    (Output("x", Finish.EMAIL), "=jane@example.com", "'=***e@e***.com"),  # masked, then formula-guarded
]


@pytest.mark.parametrize(("output", "value", "expected"), CSV_CASES)
def test_csv_lines_finish_each_kind_of_output(output, value, expected):
    lines = csv_lines([output, Output("y")], {7: "America/Los_Angeles"})
    text = lines([(value, '"end"', 7)])
    assert text.endswith("\r\n")
    assert parse(text) == [[expected, "end"]]


def test_csv_lines_use_each_rows_shop_zone():
    lines = csv_lines([Output("x", Finish.TIME)], {1: "Asia/Jakarta", 2: "Europe/London"})
    text = lines([("2026-07-01 12:00:00", 1), ("2026-07-01 12:00:00", 2)])
    assert parse(text) == [["2026-07-01T19:00:00+07:00"], ["2026-07-01T13:00:00+01:00"]]


def test_xlsx_rows_finish_times_and_masks_and_drop_the_shop_id():
    rows = xlsx_rows(
        [Output("a", Finish.TIME), Output("b", Finish.MONEY), Output("c", Finish.NAME), Output("d")], {3: "UTC"}
    )
    assert rows([("2026-07-01 12:00:00", 1.5, "Jane Doe", "note", 3), (None, 2, "***", None, 3)]) == [
        ["2026-07-01T12:00:00+00:00", 1.5, "J*** D***", "note"],
        [None, 2, "***", None],
    ]
