"""Writing an export to a file with the writer its format asks for."""

from ..columns import Format
from ..writers import write_csv, write_xlsx


def write_export(target, batches, query, fmt: Format, progress=None) -> None:
    """`batches`: lists of the query's rows, as exports.services.reading.batches reads them."""
    if fmt is Format.XLSX:
        write_xlsx(target, batches, query, progress=progress)
    else:
        write_csv(target, batches, query, bom=fmt is Format.CSV_EXCEL, progress=progress)
