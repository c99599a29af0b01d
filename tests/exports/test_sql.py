"""The export's SELECT (exports/sql.py) and its Python finish (exports/shaping.py), run through real
exports of factory orders (whatever database the tests run on): times in each shop's zone, ids, money
and labels."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from accounts.roles import Role
from exports.columns import Format, Layout
from orders.statuses import ActorKind, OrderStatus, ReturnType
from tests.factories import MembershipFactory, OrderFactory, ReturnRequestFactory, ShopFactory

from .conftest import export_dicts

CREATED = "Created Time (shop time, ISO 8601)"
SQLITE = "sqlite" in settings.DATABASES["default"]["ENGINE"]
YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# Times in a real export -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        # Los Angeles, spring forward on 2026-03-08 at 02:00 local (10:00 UTC)
        ("America/Los_Angeles", utc(2026, 3, 8, 7, 59, 59), "2026-03-07T23:59:59-08:00"),
        ("America/Los_Angeles", utc(2026, 3, 8, 9, 59, 59), "2026-03-08T01:59:59-08:00"),
        pytest.param(
            "America/Los_Angeles",
            utc(2026, 3, 8, 9, 59, 59, 999999),
            "2026-03-08T01:59:59-08:00",
            id="spring-forward-last-microsecond",
        ),
        ("America/Los_Angeles", utc(2026, 3, 8, 10, 0, 0), "2026-03-08T03:00:00-07:00"),
        ("America/Los_Angeles", utc(2026, 3, 9, 6, 59, 59), "2026-03-08T23:59:59-07:00"),  # 23:59:59 on the DST day
        # Los Angeles, fall back on 2026-11-01 at 02:00 local (09:00 UTC): 01:xx happens twice
        ("America/Los_Angeles", utc(2026, 11, 1, 8, 59, 59), "2026-11-01T01:59:59-07:00"),
        ("America/Los_Angeles", utc(2026, 11, 1, 9, 0, 0), "2026-11-01T01:00:00-08:00"),
        ("America/Los_Angeles", utc(2026, 11, 2, 7, 59, 59), "2026-11-01T23:59:59-08:00"),
        # other zones: one span, half hours, the southern hemisphere
        ("Asia/Jakarta", utc(2026, 3, 8, 16, 59, 59), "2026-03-08T23:59:59+07:00"),
        ("Asia/Kolkata", utc(2026, 3, 8, 18, 29, 59), "2026-03-08T23:59:59+05:30"),
        ("America/St_Johns", utc(2026, 7, 1, 12, 0, 0), "2026-07-01T09:30:00-02:30"),
        ("America/St_Johns", utc(2026, 1, 1, 12, 0, 0), "2026-01-01T08:30:00-03:30"),
        ("Australia/Sydney", utc(2026, 4, 4, 15, 59, 59), "2026-04-05T02:59:59+11:00"),
        ("Australia/Sydney", utc(2026, 4, 4, 16, 0, 0), "2026-04-05T02:00:00+10:00"),
        ("UTC", utc(2026, 3, 8, 23, 59, 59), "2026-03-08T23:59:59+00:00"),
        ("UTC", utc(2026, 7, 1, 12, 0, 0, 999000), "2026-07-01T12:00:00+00:00"),
        pytest.param(
            "UTC", utc(2026, 7, 1, 12, 0, 0, 999600), "2026-07-01T12:00:00+00:00", id="utc-fraction-above-0.9995"
        ),
    ],
)
@pytest.mark.parametrize(
    ("fmt", "layout"), [(Format.CSV, Layout.LINES), (Format.XLSX, Layout.ORDERS)], ids=["csv-lines", "xlsx-orders"]
)
def test_time_columns_carry_the_offset_in_force_at_that_instant(db, member_of, zone, instant, expected, fmt, layout):
    shop = ShopFactory(time_zone=zone)
    user = member_of(shop, Role.ADMINISTRATOR)
    # an earlier order first, in another part of the year
    OrderFactory(shop=shop, created_at=utc(2026, 1, 2), paid_at=None, rts_sla_at=None)
    order = OrderFactory(shop=shop, created_at=instant, paid_at=instant + timedelta(hours=1))
    [row] = [r for r in export_dicts(user, fmt=fmt, layout=layout) if r["Order ID"] == str(order.pk)]
    assert row[CREATED] == expected
    assert row["Time Zone"] == zone
    paid = (instant + timedelta(hours=1)).astimezone(ZoneInfo(zone)).replace(microsecond=0)
    assert row["Paid Time (shop time, ISO 8601)"] == paid.isoformat()
    assert row["Shipped Time (shop time, ISO 8601)"] in ("", None)  # no time: an empty cell


def test_each_shop_in_one_export_has_its_own_zone(db, member_of):
    angeles, jakarta = ShopFactory(time_zone="America/Los_Angeles"), ShopFactory(time_zone="Asia/Jakarta")
    user = member_of(angeles, Role.ADMINISTRATOR)
    MembershipFactory(user=user, shop=jakarta, role=Role.ADMINISTRATOR)
    instant = utc(2026, 3, 8, 10, 0, 0)
    west, east = OrderFactory(shop=angeles, created_at=instant), OrderFactory(shop=jakarta, created_at=instant)
    rows = {r["Order ID"]: r for r in export_dicts(user)}
    assert rows[str(west.pk)][CREATED] == "2026-03-08T03:00:00-07:00"
    assert rows[str(east.pk)][CREATED] == "2026-03-08T17:00:00+07:00"


def test_times_long_before_now_use_that_time_offset(db, member_of):
    """Any year: the zone database knows the rules then."""
    shop = ShopFactory(time_zone="America/Los_Angeles")
    user = member_of(shop, Role.ADMINISTRATOR)
    old = OrderFactory(shop=shop, created_at=utc(2024, 7, 4, 19, 0, 0))
    [row] = export_dicts(user)
    assert row["Order ID"] == str(old.pk) and row[CREATED] == "2024-07-04T12:00:00-07:00"


# Ids, money and labels as the SELECT writes them ------------------------------------------------------


def test_ids_money_and_labels(db, member_of):
    shop = ShopFactory()
    user = member_of(shop, Role.ADMINISTRATOR)
    order = OrderFactory(
        shop=shop,
        status=OrderStatus.DELIVERED,
        shipping_fee=Decimal("12.5"),
        original_shipping_fee=Decimal("12.5"),
        tax=Decimal("1.05"),
        cancellation_initiator=ActorKind.BUYER,
        payment_method="CARD",
    )
    ReturnRequestFactory(order=order, return_type=ReturnType.RETURN_AND_REFUND)
    [row] = export_dicts(user, fmt=Format.CSV)
    assert row["Order ID"] == str(order.pk) and len(row["Order ID"]) == 18
    assert row["Order Status"] == "Delivered"
    assert row["Cancelation/Return Type"] == "Return and refund"
    assert row["Cancel By"] == "Buyer"
    assert row["Payment Method"] == "Credit/debit card"
    assert (row["Shipping Fee After Discount"], row["Taxes"], row["Order Amount"]) == ("12.50", "1.05", "63.55")
    assert row["SKU Subtotal After Discount"] == "50.00"
    assert row["Currency"] == "USD" and row["Shop"] == shop.name


def test_the_latest_return_request_names_the_return_type(db, member_of):
    shop = ShopFactory()
    user = member_of(shop, Role.ADMINISTRATOR)
    order = OrderFactory(shop=shop, status=OrderStatus.DELIVERED)
    for days, kind in ((2, ReturnType.REFUND), (4, ReturnType.EXCHANGE)):
        ReturnRequestFactory(order=order, return_type=kind, requested_at=order.created_at + timedelta(days=days))
    [row] = export_dicts(user, layout=Layout.ORDERS)
    assert row["Cancelation/Return Type"] == "Exchange"
