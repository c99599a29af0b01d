"""The two writers, driven by the column spec: CSV (RFC 4180 quoting, optional BOM) and XLSX
(xlsxwriter in constant-memory mode: typed cells, frozen filterable header, a further sheet past
Excel's 1,048,576 rows). Both take the export's rows in batches as the SELECT returns them, finish
them with exports/shaping.py and report progress per batch."""

import csv
import os
import re

from accounts.spreadsheet import Echo

from .columns import Column, Kind
from .shaping import csv_lines, xlsx_rows

EXCEL_MAX_ROWS = 1_048_576  # per sheet, header included
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def headers(columns: list[Column]) -> list[str]:
    return [f"{c.header} (shop time, ISO 8601)" if c.kind is Kind.TIME else c.header for c in columns]


def csv_chunks(batches, query, *, bom: bool, progress=None):
    """The CSV as text chunks, for streaming to a response or a file. `batches`: lists of the
    query's rows (exports.services.reading.batches)."""
    writer = csv.writer(Echo(), lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
    yield ("\ufeff" if bom else "") + writer.writerow(headers(query.columns))
    lines, done = csv_lines(query.outputs, query.zones), 0
    for batch in batches:
        yield lines(batch)
        done += len(batch)
        if progress:
            progress(done)


def write_csv(path, batches, query, *, bom: bool, progress=None) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for text in csv_chunks(batches, query, bom=bom, progress=progress):
            out.write(text)


def currency_index(columns):
    return next((i for i, c in enumerate(columns) if c.header == "Currency"), None)


def write_xlsx(target, batches, query, *, progress=None) -> None:
    """`target`: a path (xlsxwriter's temporary files go beside it, so that one directory holds all of a
    job's partial data) or a binary file. Identifiers and text are string cells (never formulas or
    numbers), money number cells formatted with the row's currency, times ISO 8601 text."""
    import xlsxwriter

    columns, shaped, currency = query.columns, xlsx_rows(query.outputs, query.zones), currency_index(query.columns)

    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": not isinstance(target, str),
            "tmpdir": os.path.dirname(target) or None if isinstance(target, str) else None,
        },
    )
    book.use_zip64()  # a million-row sheet is more than 4 GB of XML before compression
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "bottom": 1})
    money_formats = {}
    kinds = [c.kind for c in columns]
    text_columns = [i for i, k in enumerate(kinds) if k in (Kind.ID, Kind.TEXT, Kind.LABEL, Kind.TIME)]
    money_columns = [i for i, k in enumerate(kinds) if k is Kind.MONEY]
    int_columns = [i for i, k in enumerate(kinds) if k is Kind.INT]
    names = headers(columns)

    def money_format(currency):
        if currency not in money_formats:
            money_formats[currency] = book.add_format({"num_format": f'#,##0.00 "{currency or ""}"'})
        return money_formats[currency]

    def new_sheet(number):
        sheet = book.add_worksheet("Orders" if number == 1 else f"Orders ({number})")
        sheet.write_row(0, 0, names, bold)
        sheet.freeze_panes(1, 0)
        for index, _column in enumerate(columns):
            sheet.set_column(index, index, max(12, min(40, len(names[index]) + 2)))
        return sheet

    sheets, sheet, row_number, done = 1, new_sheet(1), 0, 0
    for batch in batches:
        for row in shaped(batch):
            row_number += 1
            if row_number >= EXCEL_MAX_ROWS:
                sheet.autofilter(0, 0, row_number - 1, len(columns) - 1)
                sheets += 1
                sheet, row_number = new_sheet(sheets), 1
            write_string, write_number = sheet.write_string, sheet.write_number
            for i in text_columns:
                value = row[i]
                if value:
                    write_string(
                        row_number, i, CONTROL_CHARACTERS.sub("", value) if value.isprintable() is False else value
                    )
            fmt = money_format(row[currency]) if currency is not None else None
            for i in money_columns:
                if row[i] is not None:
                    write_number(row_number, i, row[i], fmt)
            for i in int_columns:
                if row[i] is not None:
                    write_number(row_number, i, row[i])
        done += len(batch)
        if progress:
            progress(done)
    sheet.autofilter(0, 0, max(row_number, 1), len(columns) - 1)
    book.close()
