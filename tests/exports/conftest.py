"""Helpers for the export tests: read what an export produced (CSV text, XLSX workbook) as rows, run
an export through the service layer or the views, and run the background worker."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from exports.columns import Format, Kind, Layout
from exports.services.files import write_export
from exports.services.immediate import download_now
from exports.services.reading import batches, request_cursor
from exports.services.scope import export_query, scope_for
from exports.shaping import Finish
from exports.sql import Dialect, ExportQuery, column_output, csv_outputs
from exports.writers import headers

EXPORTS_URL = reverse("exports")
FROM_LIST_URL = reverse("export_from_list")


def header_index(layout=Layout.LINES):
    """{header as written in the file: column index}."""
    return {name: i for i, name in enumerate(headers(Layout(layout).columns))}


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes | str, *, bom: bool | None = None) -> list[list[str]]:
    """The rows of a CSV file; `bom` True/False asserts the byte order mark is there / is not."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if bom is not None:
        assert text.startswith("\ufeff") is bom
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def xlsx_book(data: bytes | str, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, **kwargs)


def xlsx_rows(data: bytes | str) -> list[list]:
    sheet = xlsx_book(data).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def ooxml_text(value):
    """A string cell as Excel shows it: OOXML writes characters XML cannot hold (\\r, control characters) as
    _xHHHH_, which Excel decodes and openpyxl leaves as they are."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def as_dicts(rows: list[list]) -> list[dict]:
    """Rows after the header as {header: value}."""
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def export_file(user, params=None, fmt=Format.CSV, layout=Layout.LINES) -> bytes:
    """What a small export of `params` ({"filters": ..., "shops": ...}) downloads, as bytes."""
    scope = scope_for(user, params or {"filters": {}, "shops": []})
    return body_of(download_now(scope, Format(fmt), Layout(layout), "test.csv"))


def export_dicts(user, params=None, fmt=Format.CSV, layout=Layout.LINES) -> list[dict]:
    data = export_file(user, params, fmt, layout)
    rows = xlsx_rows(data) if Format(fmt) is Format.XLSX else csv_rows(data)
    return as_dicts(rows)


def export_to_file(path, user, params=None, fmt=Format.CSV, layout=Layout.LINES) -> bytes:
    """The file a background export writes (same query, same writer), written to `path`; its bytes."""
    scope = scope_for(user, params or {"filters": {}, "shops": []})
    fmt, layout = Format(fmt), Layout(layout)
    with request_cursor() as (vendor, _, cursor):
        query = export_query(scope, layout, fmt, vendor)
        write_export(str(path), batches(cursor, query), query, fmt)
    return path.read_bytes()


def writer_query(columns, fmt: Format, *, masked=False, zone="America/Los_Angeles") -> ExportQuery:
    """The query the writers are given, for rows made by hand (shop id 1 in `zone`)."""
    outputs = [column_output(column, fmt, Dialect("sqlite"), masked) for column in columns]
    if fmt is not Format.XLSX:
        outputs = csv_outputs(outputs)
    return ExportQuery("", (), "", (), columns, outputs, {1: zone})


def select_row(query: ExportQuery, number: int) -> tuple:
    """A row shaped like what the export's SELECT returns for `query`: for CSV the database's finished
    fields are one opaque string per run of them (the first starting with the order id)."""
    values = []
    for index, output in enumerate(query.outputs):
        if output.finish is Finish.TIME:
            values.append("2026-03-08 09:59:59.123456")
        elif output.finish is Finish.MONEY:
            values.append(12.5)
        elif output.finish is not Finish.DONE:
            values.append("Jane Doe")
        elif len(query.outputs) < len(query.columns):  # CSV: joined runs of finished fields
            values.append(
                f'"{576460752303423489 + number}","text of row {number}"'
                if index == 0
                else f'"text {index} of row {number}"'
            )
        else:
            column = query.columns[index]
            values.append(
                number % 7 + 1
                if column.kind is Kind.INT
                else "USD"
                if column.header == "Currency"
                else str(576460752303423489 + number)
                if column.kind is Kind.ID
                else f"{column.header} of row {number}"
            )
    return (*values, 1)


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture
def accountant(shop, member_of):
    return member_of(shop, Role.ACCOUNTANT)


@pytest.fixture
def administrator(shop, member_of):
    return member_of(shop, Role.ADMINISTRATOR)


@pytest.fixture
def signed_in(client, shop, member_of):
    """signed_in(role=Accountant, in_shop=shop) -> the client, signed in as a new member."""

    def sign_in(role=Role.ACCOUNTANT, in_shop=None):
        user = member_of(in_shop or shop, role)
        client.force_login(user)
        client.user = user
        return client

    return sign_in
