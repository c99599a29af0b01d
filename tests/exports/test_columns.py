"""The one column spec (exports/columns.py) that both layouts, both writers, masking and typing read."""

import re

import pytest

from exports.columns import LINE_COLUMNS, ORDER_COLUMNS, Format, Kind, Layout, Pii
from exports.writers import headers

LAYOUTS = [pytest.param(Layout.LINES, id="lines"), pytest.param(Layout.ORDERS, id="orders")]

# The buyer's and the recipient's personal data, and how each is hidden from a role without VIEW_BUYER_PII.
PII = {
    "Buyer Name": Pii.NAME,
    "Buyer Email": Pii.EMAIL,
    "Recipient": Pii.NAME,
    "Phone #": Pii.PHONE,
    "Zipcode": Pii.HIDDEN,
    "Districts": Pii.HIDDEN,
    "Detail Address": Pii.HIDDEN,
    "Additional Address Information": Pii.HIDDEN,
}
# The recipient's address: hidden from everyone while the order is UNPAID or ON_HOLD.
ADDRESS = {"Recipient", "Phone #", "Zipcode", "Districts", "Detail Address", "Additional Address Information"}
# Order fields holding personal data: any column reading one of them must be marked as PII.
PII_FIELDS = re.compile(r"\bo\.(buyer_(name|email|phone)|ship_(name|phone|postcode|district|line1|line2)|bill_\w+)\b")
TIMES = {"Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Completed Time", "Cancelled Time"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_headers_are_unique_as_defined_and_as_written(layout):
    columns = layout.columns
    assert len({c.header for c in columns}) == len(columns)
    written = headers(columns)
    assert len(set(written)) == len(written) == len(columns)
    assert all(name.strip() == name and name for name in written)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_column_has_a_kind_and_an_expression(layout):
    for column in layout.columns:
        assert isinstance(column.kind, Kind), column.header
        assert column.sql.strip(), column.header
        assert column.pii is None or isinstance(column.pii, Pii), column.header
        if column.choices:
            assert column.kind is Kind.LABEL, column.header
            assert all(isinstance(value, str) and str(label) for value, label in column.choices), column.header


@pytest.mark.parametrize("layout", LAYOUTS)
def test_time_headers_name_the_zone_convention_and_only_they_do(layout):
    columns = layout.columns
    for column, name in zip(columns, headers(columns), strict=True):
        if column.kind is Kind.TIME:
            assert name == f"{column.header} (shop time, ISO 8601)"
        else:
            assert "shop time" not in name and name == column.header
    assert {c.header for c in columns if c.kind is Kind.TIME} == TIMES
    zone = next(c for c in columns if c.header == "Time Zone")  # which zone the times are in
    assert zone.sql == "s.time_zone" and zone.kind is not Kind.TIME


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pii_columns_are_exactly_the_buyer_and_recipient_ones(layout):
    columns = layout.columns
    assert {c.header: c.pii for c in columns if c.pii is not None} == PII
    assert {c.header for c in columns if c.address} == ADDRESS
    for column in columns:
        if PII_FIELDS.search(column.sql):
            assert column.pii is not None, f"{column.header} reads personal data but is not marked as PII"
        if column.pii is not None:
            assert column.kind is Kind.TEXT, column.header  # masked as text, in SQL or in Python


@pytest.mark.parametrize("layout", LAYOUTS)
def test_identifiers_are_text_and_amounts_are_money(layout):
    by_header = {c.header: c for c in layout.columns}
    for name in ("Order ID", "Tracking ID", "Package ID"):
        assert by_header[name].kind is Kind.ID
    for name in ("Order Amount", "Taxes", "Shipping Fee After Discount", "Order Refund Amount"):
        assert by_header[name].kind is Kind.MONEY
    count = "Quantity" if layout is Layout.LINES else "Units"
    assert by_header[count].kind is Kind.INT
    assert by_header["Currency"].kind is Kind.LABEL  # the money formats read it (per row)


def test_the_layouts_differ_only_in_their_line_and_item_columns():
    lines, orders = {c.header for c in LINE_COLUMNS}, {c.header for c in ORDER_COLUMNS}
    assert lines - orders == {
        "SKU ID",
        "Seller SKU",
        "Product Name",
        "Variation",
        "Quantity",
        "SKU Unit Original Price",
        "SKU Subtotal Before Discount",
        "SKU Platform Discount",
        "SKU Seller Discount",
        "SKU Subtotal After Discount",
    }
    assert orders - lines == {
        "Items",
        "Seller SKUs",
        "Units",
        "Original Product Total",
        "Seller Discount",
        "Platform Discount",
        "Subtotal",
    }
    assert LINE_COLUMNS[0].header == ORDER_COLUMNS[0].header == "Order ID"
    assert Layout.LINES.columns is LINE_COLUMNS and Layout.ORDERS.columns is ORDER_COLUMNS


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [
        (Format.CSV_EXCEL, "csv", "text/csv; charset=utf-8"),
        (Format.CSV, "csv", "text/csv; charset=utf-8"),
        (Format.XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_formats(fmt, extension, content_type):
    assert (fmt.extension, fmt.content_type) == (extension, content_type)
    assert fmt.label
