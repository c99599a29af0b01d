"""The export columns, defined once: both layouts, both writers, masking and typing read this spec.

SQL expressions use the aliases o (order), s (shop), l (line item) and p (the line's package); the
query builder (exports/sql.py) formats each by its kind for the chosen format and database.
"""

from dataclasses import dataclass
from enum import Enum, StrEnum

from orders.statuses import ActorKind, DeliveryOption, FulfillmentType, OrderStatus, PaymentMethod, ReturnType


class Kind(Enum):
    ID = "id"  # an identifier: always text (an 18-digit id must not become 5.76E+17)
    TEXT = "text"  # free text from buyers or sellers: neutralised against formula injection
    LABEL = "label"  # one of our own choice labels
    MONEY = "money"  # a number with two decimals, in the row's currency
    INT = "int"
    TIME = "time"  # ISO 8601 in the shop's zone, with the offset


class Pii(Enum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    HIDDEN = "hidden"  # street lines and postcode: "***" when masked


@dataclass(frozen=True)
class Column:
    header: str
    sql: str
    kind: Kind
    pii: Pii | None = None
    address: bool = False  # hidden for everyone while the order is UNPAID or ON_HOLD
    choices: tuple = ()  # (value, label) pairs for LABEL columns


def label(header, sql, choices):
    return Column(header, sql, Kind.LABEL, choices=tuple(choices))


# Aggregates over an order's lines and packages, for the one-row-per-order layout. {agg} is the
# database's string aggregate (group_concat / string_agg), filled in by the query builder.
ITEMS = (
    "(SELECT {agg}(li.product_name || CASE WHEN li.sku_name <> '' THEN ' (' || li.sku_name || ')' ELSE '' END"
    " || ' x' || CAST(li.quantity AS TEXT), '; ') FROM orders_lineitem li WHERE li.order_id = o.id)"
)
UNITS = "(SELECT SUM(li.quantity) FROM orders_lineitem li WHERE li.order_id = o.id)"
SKUS = "(SELECT {agg}(li.seller_sku, '; ') FROM orders_lineitem li WHERE li.order_id = o.id)"
TRACKING = "(SELECT {agg}(pk.tracking_number, '; ') FROM orders_package pk WHERE pk.order_id = o.id)"
PACKAGES = "(SELECT {agg}(CAST(pk.id AS TEXT), '; ') FROM orders_package pk WHERE pk.order_id = o.id)"
RETURN_TYPE = (
    "(SELECT r.return_type FROM orders_returnrequest r WHERE r.order_id = o.id ORDER BY r.requested_at DESC LIMIT 1)"
)

HEAD = [
    Column("Order ID", "o.id", Kind.ID),
    label("Order Status", "o.status", OrderStatus.choices),
    label("Cancelation/Return Type", RETURN_TYPE, ReturnType.choices),
]
ORDER_MONEY = [
    Column("Shipping Fee After Discount", "o.shipping_fee", Kind.MONEY),
    Column("Original Shipping Fee", "o.original_shipping_fee", Kind.MONEY),
    Column("Taxes", "o.tax", Kind.MONEY),
    Column("Order Amount", "o.total", Kind.MONEY),
    Column("Order Refund Amount", "o.refunded_amount", Kind.MONEY),
    Column("Currency", "o.currency", Kind.LABEL),
]
TIMES = [
    Column("Created Time", "o.created_at", Kind.TIME),
    Column("Paid Time", "o.paid_at", Kind.TIME),
    Column("RTS Time", "o.rts_sla_at", Kind.TIME),
    Column("Shipped Time", "o.shipped_at", Kind.TIME),
    Column("Delivered Time", "o.delivered_at", Kind.TIME),
    Column("Completed Time", "o.completed_at", Kind.TIME),
    Column("Cancelled Time", "o.cancelled_at", Kind.TIME),
    Column("Time Zone", "s.time_zone", Kind.LABEL),
]
TAIL = [
    label("Cancel By", "o.cancellation_initiator", ActorKind.choices),
    Column("Cancel Reason", "o.cancel_reason", Kind.TEXT),
    label("Fulfillment Type", "o.fulfillment_type", FulfillmentType.choices),
    label("Delivery Option", "o.delivery_option", DeliveryOption.choices),
    Column("Shipping Provider Name", "o.carrier", Kind.TEXT),
    Column("Buyer Message", "o.buyer_message", Kind.TEXT),
    Column("Buyer Username", "o.buyer_nickname", Kind.TEXT),
    Column("Buyer Name", "o.buyer_name", Kind.TEXT, pii=Pii.NAME),
    Column("Buyer Email", "o.buyer_email", Kind.TEXT, pii=Pii.EMAIL),
    Column("Recipient", "o.ship_name", Kind.TEXT, pii=Pii.NAME, address=True),
    Column("Phone #", "o.ship_phone", Kind.TEXT, pii=Pii.PHONE, address=True),
    Column("Zipcode", "o.ship_postcode", Kind.TEXT, pii=Pii.HIDDEN, address=True),
    Column("Country", "o.ship_country", Kind.TEXT),
    Column("Province", "o.ship_state", Kind.TEXT),
    Column("City", "o.ship_city", Kind.TEXT),
    Column("Districts", "o.ship_district", Kind.TEXT, pii=Pii.HIDDEN, address=True),
    Column("Detail Address", "o.ship_line1", Kind.TEXT, pii=Pii.HIDDEN, address=True),
    Column("Additional Address Information", "o.ship_line2", Kind.TEXT, pii=Pii.HIDDEN, address=True),
    label("Payment Method", "o.payment_method", PaymentMethod.choices),
    Column("Seller Note", "o.seller_note", Kind.TEXT),
    Column("Shop", "s.name", Kind.TEXT),
]

# One row per order line (SKU) with a Quantity column: the platform's own default.
LINE_COLUMNS = [
    *HEAD,
    Column("SKU ID", "l.sku_id", Kind.ID),
    Column("Seller SKU", "l.seller_sku", Kind.TEXT),
    Column("Product Name", "l.product_name", Kind.TEXT),
    Column("Variation", "l.sku_name", Kind.TEXT),
    Column("Quantity", "l.quantity", Kind.INT),
    Column("SKU Unit Original Price", "l.original_price", Kind.MONEY),
    Column("SKU Subtotal Before Discount", "(l.original_price * l.quantity)", Kind.MONEY),
    Column("SKU Platform Discount", "l.platform_discount", Kind.MONEY),
    Column("SKU Seller Discount", "l.seller_discount", Kind.MONEY),
    Column(
        "SKU Subtotal After Discount",
        "(l.original_price * l.quantity - l.platform_discount - l.seller_discount)",
        Kind.MONEY,
    ),
    *ORDER_MONEY,
    *TIMES,
    Column("Tracking ID", "p.tracking_number", Kind.ID),
    Column("Package ID", "p.id", Kind.ID),
    *TAIL,
]

# One row per order.
ORDER_COLUMNS = [
    *HEAD,
    Column("Items", ITEMS, Kind.TEXT),
    Column("Seller SKUs", SKUS, Kind.TEXT),
    Column("Units", UNITS, Kind.INT),
    Column("Original Product Total", "o.original_product_total", Kind.MONEY),
    Column("Seller Discount", "o.seller_discount", Kind.MONEY),
    Column("Platform Discount", "o.platform_discount", Kind.MONEY),
    Column("Subtotal", "o.subtotal", Kind.MONEY),
    *ORDER_MONEY,
    *TIMES,
    Column("Tracking ID", TRACKING, Kind.ID),
    Column("Package ID", PACKAGES, Kind.ID),
    *TAIL,
]


class Layout(StrEnum):
    LINES = "lines"
    ORDERS = "orders"

    @property
    def columns(self):
        return LINE_COLUMNS if self is Layout.LINES else ORDER_COLUMNS

    @property
    def label(self):
        return {"lines": "One row per order line (SKU), with Quantity", "orders": "One row per order"}[self.value]


class Format(StrEnum):
    CSV_EXCEL = "csv_excel"
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def label(self):
        return {
            "csv_excel": "CSV for Excel (UTF-8 with BOM)",
            "csv": "CSV (plain UTF-8)",
            "xlsx": "Excel workbook (.xlsx)",
        }[self.value]

    @property
    def extension(self):
        return "xlsx" if self is Format.XLSX else "csv"

    @property
    def content_type(self):
        return (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if self is Format.XLSX
            else "text/csv; charset=utf-8"
        )
