"""Writing an export to a file with the writer its format asks for."""

from ..columns import Format
from ..writers import masker, write_csv, write_xlsx


def currency_index(columns):
    return next((i for i, c in enumerate(columns) if c.header == "Currency"), None)


def write_export(target, rows, query, fmt: Format, progress=None) -> None:
    mask = masker(query.masked_columns, neutralised=fmt is not Format.XLSX)
    if fmt is Format.XLSX:
        write_xlsx(target, rows, query.columns, mask=mask, progress=progress,
                   currency_index=currency_index(query.columns))
    else:
        write_csv(target, rows, query.columns, bom=fmt is Format.CSV_EXCEL, mask=mask, progress=progress)
