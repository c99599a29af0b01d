"""Memory stays flat however many rows an export has: 100,000 rows shaped like LINE_COLUMNS go through
write_csv and write_xlsx to files (masked CSV: the Python part of its cells at work), with tracemalloc watching the peak.

CSV is traced from the first row to the last. xlsxwriter is slow enough (and tracemalloc multiplies
its cost by about five) that tracing all 100,000 XLSX rows would take minutes: the rows are all
written, and tracemalloc watches the last TRACED_XLSX_ROWS of them, where a writer keeping each row
(xlsxwriter without constant_memory holds about 1.8 kB a row) would grow past the bound."""

import tracemalloc
import zipfile

from openpyxl.utils import get_column_letter

from exports.columns import LINE_COLUMNS, Format, Kind
from exports.services.reading import CHUNK
from exports.writers import write_csv, write_xlsx

from .conftest import csv_rows, select_row, writer_query

ROWS = 100_000
TRACED_XLSX_ROWS = 10_000
BOUND = 8 * 1024 * 1024  # bytes: the writers peak at 2-6 MB; holding the rows would take tens or hundreds of MB
# Filled in the XLSX rows besides money and quantity (string cells are what makes xlsxwriter slow).
XLSX_FILLED = {"Order ID", "Order Status", "Product Name", "Currency", "Created Time"}


def fresh_batches(query, count, keep=lambda index, value: value):
    """`count` rows in batches as the reader gives them, each row a new tuple with its own id (nothing
    shared that would hide per-row memory); `keep` may blank some values."""
    template = [keep(index, value) for index, value in enumerate(select_row(query, 0))]
    for start in range(0, count, CHUNK):
        batch = []
        for number in range(start, min(start + CHUNK, count)):
            first = template[0].replace("576460752303423489", str(576460752303423489 + number))
            batch.append((first, *template[1:]))
        yield batch


def test_write_csv_of_100000_rows_stays_within_a_bound(tmp_path):
    query = writer_query(LINE_COLUMNS, Format.CSV_EXCEL, masked=True)
    path = tmp_path / "big.csv"
    tracemalloc.start()
    try:
        write_csv(str(path), fresh_batches(query, ROWS), query, bom=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 30 * 1024 * 1024  # the file really is large...
    assert peak < BOUND, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"  # ...the memory is not
    with path.open(encoding="utf-8", newline="") as out:
        first = out.readline() + out.readline()
        lines = 2 + sum(1 for _ in out)
    assert csv_rows(first, bom=True)[1][0] == "576460752303423489"
    assert lines == ROWS + 1


def test_write_xlsx_of_100000_rows_does_not_grow_with_the_rows(tmp_path, monkeypatch):
    query = writer_query(LINE_COLUMNS, Format.XLSX)

    def keep(index, value):
        column = LINE_COLUMNS[index] if index < len(LINE_COLUMNS) else None
        filled = column is None or column.header in XLSX_FILLED or column.kind in (Kind.MONEY, Kind.INT)
        return value if filled else None

    path = tmp_path / "big.xlsx"
    window = {"peak": None}

    def progress(done):
        if done == ROWS - TRACED_XLSX_ROWS:
            tracemalloc.start()
        elif done == ROWS:
            window["current"], window["peak"] = tracemalloc.get_traced_memory()

    assert (ROWS - TRACED_XLSX_ROWS) % CHUNK == 0
    try:
        write_xlsx(str(path), fresh_batches(query, ROWS, keep), query, progress=progress)
    finally:
        tracemalloc.stop()
    assert window["peak"] is not None, "the progress callback saw every row"
    assert window["peak"] < BOUND, f"peak {window['peak'] / 1e6:.1f} MB over the last {TRACED_XLSX_ROWS:,} rows"
    # Every row is there (read from the sheet's XML: openpyxl would take longer than the writing).
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    last_column = get_column_letter(len(LINE_COLUMNS))
    assert f'<dimension ref="A1:{last_column}{ROWS + 1}"/>' in xml
    assert xml.count("<row ") == ROWS + 1
    assert f'<row r="{ROWS + 1}"' in xml and f"<t>{576460752303423489 + ROWS - 1}</t>" in xml
