"""Local calendar day and hour of a UTC column, computed in SQL, exact across DST changes.

The database gets the shop's UTC offsets in force over the span of the data and the instants where
they change (zoneinfo computes them here), as a CASE; the column is shifted by the offset in force
at that instant. SQLite has no time zone database and PostgreSQL's would answer the same: one
method keeps both identical (orders.zone_offsets, shared with the export's SQL).
"""

from datetime import UTC, datetime

from orders.zone_offsets import offsets


class LocalTime:
    """SQL for the local day ('YYYY-MM-DD' / date) and hour (0-23) of `column` in one shop's zone."""

    def __init__(self, vendor: str, column: str, zone: str, start: datetime, end: datetime):
        self.sqlite = vendor == "sqlite"
        self.column = column
        self.spans = offsets(zone, start, end)

    def _instant(self, moment: datetime) -> str:
        text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        return f"'{text}'" if self.sqlite else f"TIMESTAMPTZ '{text}+00'"

    def _shifted(self, seconds: int) -> str:
        if self.sqlite:
            # substr: whole seconds as stored (SQLite's date functions round .9995 s up, maybe past midnight)
            return f"datetime(substr({self.column}, 1, 19), '{seconds:+d} seconds')"
        return f"(({self.column} AT TIME ZONE 'UTC') + INTERVAL '{seconds} seconds')"

    def local(self) -> str:
        if len(self.spans) == 1:
            return self._shifted(self.spans[0][1])
        whens = " ".join(
            f"WHEN {self.column} < {self._instant(until)} THEN {self._shifted(seconds)}"
            for until, seconds in self.spans[:-1]
        )
        return f"(CASE {whens} ELSE {self._shifted(self.spans[-1][1])} END)"

    def day(self) -> str:
        return f"substr({self.local()}, 1, 10)" if self.sqlite else f"CAST({self.local()} AS DATE)"

    def hour(self) -> str:
        if self.sqlite:
            return f"CAST(substr({self.local()}, 12, 2) AS INTEGER)"
        return f"CAST(EXTRACT(HOUR FROM {self.local()}) AS INTEGER)"
