"""The two writers, driven by the column spec: CSV (RFC 4180 quoting, optional BOM) and XLSX
(xlsxwriter in constant-memory mode: typed cells, frozen filterable header, a further sheet past
Excel's 1,048,576 rows). Both take an iterable of row tuples and report progress per chunk."""

import csv
import io
import re

from accounts.spreadsheet import Echo, safe_cell
from orders.masking import mask_email, mask_name, mask_phone

from .columns import Column, Kind, Pii

CHUNK = 2_000
EXCEL_MAX_ROWS = 1_048_576  # per sheet, header included
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MASKERS = {Pii.NAME: mask_name, Pii.EMAIL: mask_email, Pii.PHONE: mask_phone}


def masker(masked_columns: dict, *, neutralised: bool = False):
    """A function masking one row's names, e-mails and phones, or None when nothing is masked.
    For CSV (`neutralised`) the masked value is then guarded against formulas, as SQL does for the rest."""
    if not masked_columns:
        return None
    pairs = [(index, MASKERS[pii]) for index, pii in masked_columns.items()]

    def mask(row):
        row = list(row)
        for index, function in pairs:
            if row[index] and row[index] != "***":
                row[index] = function(row[index])
                if neutralised:
                    row[index] = safe_cell(row[index])
        return row

    return mask


def chunks(rows, mask=None):
    """Rows in lists of CHUNK, masked where asked."""
    batch = []
    for row in rows:
        batch.append(mask(row) if mask else row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def headers(columns: list[Column]) -> list[str]:
    return [f"{c.header} (shop time, ISO 8601)" if c.kind is Kind.TIME else c.header for c in columns]


def csv_chunks(rows, columns, *, bom: bool, mask=None, progress=None):
    """The CSV as text chunks, for streaming to a response or a file."""
    writer = csv.writer(Echo(), lineterminator="\r\n")  # RFC 4180: CRLF, quotes doubled
    yield ("\ufeff" if bom else "") + writer.writerow(headers(columns))
    done = 0
    for batch in chunks(rows, mask):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(batch)
        yield buffer.getvalue()
        done += len(batch)
        if progress:
            progress(done)


def write_csv(path, rows, columns, *, bom: bool, mask=None, progress=None) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for text in csv_chunks(rows, columns, bom=bom, mask=mask, progress=progress):
            out.write(text)


def write_xlsx(target, rows, columns, *, mask=None, progress=None, currency_index=None) -> None:
    """`target`: a path or a binary file. Identifiers and text are string cells (never formulas or
    numbers), money number cells formatted with the row's currency, times ISO 8601 text."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False,
                                        "in_memory": not isinstance(target, str)})
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
        for index, column in enumerate(columns):
            sheet.set_column(index, index, max(12, min(40, len(names[index]) + 2)))
        return sheet

    sheets, sheet, row_number, done = 1, new_sheet(1), 0, 0
    for batch in chunks(rows, mask):
        for row in batch:
            row_number += 1
            if row_number >= EXCEL_MAX_ROWS:
                sheet.autofilter(0, 0, row_number - 1, len(columns) - 1)
                sheets += 1
                sheet, row_number = new_sheet(sheets), 1
            write_string, write_number = sheet.write_string, sheet.write_number
            for i in text_columns:
                value = row[i]
                if value:
                    write_string(row_number, i, CONTROL_CHARACTERS.sub("", value) if value.isprintable() is False
                                 else value)
            fmt = money_format(row[currency_index]) if currency_index is not None else None
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
