"""Finishing the export's rows in Python: what the database does slowly, done once per row here.

SQLite's strftime over the time columns, printf over the money columns and Python's csv module are
the slow parts of a CSV export (bench/RESULTS.md). So the SELECT (exports/sql.py) returns times as UTC text and money as numbers, and writes
every other CSV field itself, formula-guarded, quoted and joined with its neighbours; Python shifts
times into the shop's zone (from a per-hour cache), writes money with two decimals, masks buyer
names, e-mails and phones, and joins the few parts of a line.

`csv_lines` compiles that per-row step into one expression (an f-string over the row), because a
call per cell costs more than all the rest on this path; the source is built from our column
spec only, never from data.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from accounts.spreadsheet import safe_cell
from orders.masking import HIDDEN, mask_email, mask_name, mask_phone


class Finish(Enum):
    DONE = "done"  # written by the database (for CSV: possibly several fields, already joined)
    TIME = "time"  # UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]": shown in the shop's zone
    MONEY = "money"  # a number: two decimals in CSV, a number cell in XLSX
    NAME = "name"  # buyer data masked for roles without the PII permission
    EMAIL = "email"
    PHONE = "phone"


MASKS = {Finish.NAME: mask_name, Finish.EMAIL: mask_email, Finish.PHONE: mask_phone}


@dataclass(frozen=True)
class Output:
    """One column of the SELECT and what Python still does to it."""

    sql: str
    finish: Finish = Finish.DONE


class LocalTime:
    """UTC text -> ISO 8601 in `zone` with its offset, to the second: "2026-03-08T03:00:00-07:00".

    A year of orders has ~9,000 distinct UTC hours: each is converted once by zoneinfo, and any time
    in an hour whose offset is whole hours and does not change within it reuses that hour's local
    date and hour. Other hours (a DST change inside, or a :30/:45 zone) are converted one by one."""

    def __init__(self, zone: str):
        self.zone = ZoneInfo(zone)
        self.hours: dict[str, tuple[str, str] | None] = {}

    def exact(self, text: str) -> str:
        moment = datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
        return moment.astimezone(self.zone).isoformat(timespec="seconds")

    def __call__(self, text: str) -> str:
        hour = text[:13]
        known = self.hours.get(hour, False)
        if known is False:
            first, last = self.exact(hour + ":00:00"), self.exact(hour + ":59:59")
            same = first[13:19] == ":00:00" and first[19:] == last[19:]
            known = self.hours[hour] = (first[:13], first[19:]) if same else None
        if known is None:
            return self.exact(text)
        return known[0] + text[13:19] + known[1]


def local_times(zones: dict) -> dict:
    """{shop id: LocalTime} from {shop id: zone name}."""
    return {shop_id: LocalTime(zone) for shop_id, zone in zones.items()}


def csv_quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def masked_csv_cell(mask):
    def finish(value):
        if not value:
            return ""
        return csv_quote(value if value == HIDDEN else safe_cell(mask(value)))

    return finish


def csv_lines(outputs: list[Output], zones: dict):
    """A function turning a batch of SELECT rows into CSV text (RFC 4180 lines ending CRLF). The
    row's last value is its shop id, for the zone."""
    names = {"zones": local_times(zones)}
    parts = []
    for index, output in enumerate(outputs):
        value = f"r[{index}]"
        if output.finish is Finish.DONE:
            parts.append(f"{{{value}}}")  # never NULL: the SELECT writes '' instead
        elif output.finish is Finish.TIME:
            parts.append(f"{{z({value}) if {value} else ''}}")
        elif output.finish is Finish.MONEY:
            parts.append(f"{{'' if {value} is None else format({value}, '.2f')}}")
        else:
            names[f"mask{index}"] = masked_csv_cell(MASKS[output.finish])
            parts.append(f"{{mask{index}({value})}}")
    line = ",".join(parts) + "\\r\\n"
    source = (
        f"def lines(rows):\n    return ''.join([f'''{line}''' for r in rows for z in (zones[r[{len(outputs)}]],)])\n"
    )
    exec(compile(source, "<export csv line>", "exec"), names)  # noqa: S102 - source from the column spec
    return names["lines"]


def xlsx_rows(outputs: list[Output], zones: dict):
    """A function turning a batch of SELECT rows into XLSX cell values, one per column (the writer
    types them); the shop id is dropped."""
    times = local_times(zones)
    steps = [(i, o.finish) for i, o in enumerate(outputs) if o.finish in (Finish.TIME, *MASKS)]
    width = len(outputs)

    def rows(batch):
        shaped = []
        for row in batch:
            cells = list(row[:width])
            for index, finish in steps:
                value = cells[index]
                if not value:
                    continue
                if finish is Finish.TIME:
                    cells[index] = times[row[width]](value)
                elif value != HIDDEN:
                    cells[index] = MASKS[finish](value)
            shaped.append(cells)
        return shaped

    return rows
