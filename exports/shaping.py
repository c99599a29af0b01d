"""Per-row work done in Python because it is cheaper here than in the database: times shifted into
each shop's zone (with an hour-keyed cache), money written with two decimals, and the masking of
names, e-mails and phones. One function per export, built from the column spec."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .columns import Format, Kind
from .writers import masker

CACHE_LIMIT = 200_000


def _suffix(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


class LocalTimes:
    """UTC times as ISO 8601 in a zone, with the offset, truncated to the second.

    Stored SQLite text ('YYYY-MM-DD HH:MM:SS[.ffffff]') is shifted by a cached (zone, UTC hour) entry
    when the whole hour has one whole-hour offset (every hour but a few around a DST change, in
    every zone but a handful); anything else is converted exactly, value by value."""

    def __init__(self):
        self.hours: dict = {}
        self.zones: dict = {}

    def zone(self, name):
        if name not in self.zones:
            self.zones[name] = ZoneInfo(name)
        return self.zones[name]

    def __call__(self, value, zone_name):
        if not isinstance(value, str):  # PostgreSQL hands over aware datetimes
            return value.astimezone(self.zone(zone_name)).replace(microsecond=0).isoformat()
        key = (zone_name, value[:13])
        entry = self.hours.get(key)
        if entry is None:
            entry = self._hour(value, zone_name)
            if len(self.hours) > CACHE_LIMIT:
                self.hours.clear()
            self.hours[key] = entry
        if entry is False:
            return self._exact(value, zone_name)
        prefix, suffix = entry
        return f"{prefix}{value[13:19]}{suffix}"

    def _hour(self, value, zone_name):
        tz = self.zone(zone_name)
        start = datetime.fromisoformat(value[:13].replace("T", " ") + ":00:00").replace(tzinfo=UTC)
        end = start.replace(minute=59, second=59)
        first, last = start.astimezone(tz), end.astimezone(tz)
        offset = first.utcoffset()
        if offset != last.utcoffset() or offset.total_seconds() % 3600:
            return False  # an offset change inside this hour, or a half-hour zone: convert exactly
        return first.strftime("%Y-%m-%dT%H"), _suffix(int(offset.total_seconds()))

    def _exact(self, value, zone_name):
        moment = datetime.fromisoformat(value[:19].replace("T", " ")).replace(tzinfo=UTC)
        return moment.astimezone(self.zone(zone_name)).isoformat()


def shaper(query, fmt: Format):
    """The function each row goes through before the writer."""
    columns = query.columns
    times = [i for i, c in enumerate(columns) if c.kind is Kind.TIME]
    zone = next(i for i, c in enumerate(columns) if c.header == "Time Zone")
    money = [] if fmt is Format.XLSX else [i for i, c in enumerate(columns) if c.kind is Kind.MONEY]
    mask = masker(query.masked_columns, neutralised=fmt is not Format.XLSX)
    local = LocalTimes()

    def shape(row):
        row = list(row)
        name = row[zone]
        for i in times:
            if row[i] is not None:
                row[i] = local(row[i], name)
        for i in money:
            if row[i] is not None:
                row[i] = f"{row[i]:.2f}"
        return mask(row) if mask else row

    return shape
