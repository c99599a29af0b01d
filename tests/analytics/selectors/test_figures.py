"""The page's numbers against the same figures computed here from factory-made orders."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import MembershipFactory, ShopFactory

from ..helpers import dashboard, kpi, order, table

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def world(shop):
    """Orders of March 2026 (and a few in February and March 2025 for the comparisons)."""
    made = [
        order(
            shop,
            "2026-03-02 09:15",
            status=S.COMPLETED,
            original_product_total=Decimal("40.00"),
            shipping_fee=Decimal("5.00"),
            completed_at=None,
            ship_state="Nevada",
            line__product_id="P1",
            line__sku_id="S1a",
            line__quantity=2,
            line__original_price=Decimal("20.00"),
        ),
        order(
            shop,
            "2026-03-02 21:40",
            status=S.DELIVERED,
            original_product_total=Decimal("100.00"),
            shipping_fee=Decimal("0.00"),
            line__product_id="P2",
            line__sku_id="S2",
            line__quantity=1,
        ),
        order(
            shop,
            "2026-03-09 09:05",
            status=S.AWAITING_SHIPMENT,
            original_product_total=Decimal("60.00"),
            shipping_fee=Decimal("0.00"),
            seller_discount=Decimal("10.00"),
            ship_country="CA",
            ship_state="Ontario",
            line__product_id="P1",
            line__sku_id="S1b",
            line__quantity=3,
            line__original_price=Decimal("20.00"),
        ),
        order(shop, "2026-03-15 13:00", status=S.CANCELLED, paid_at=None, line__product_id="P3", line__sku_id="S3"),
        order(
            shop,
            "2026-03-20 09:30",
            status=S.COMPLETED,
            original_product_total=Decimal("50.00"),
            refunded_amount=Decimal("12.50"),
            line__product_id="P2",
            line__sku_id="S2",
            line__quantity=1,
        ),
        # the previous period (February) and the same period last year (March 2025)
        order(shop, "2026-02-10 10:00", original_product_total=Decimal("30.00"), shipping_fee=Decimal("0.00")),
        order(shop, "2025-03-10 10:00", original_product_total=Decimal("20.00"), shipping_fee=Decimal("0.00")),
        order(shop, "2025-03-11 10:00", original_product_total=Decimal("20.00"), shipping_fee=Decimal("0.00")),
        # outside every period
        order(shop, "2026-04-01 00:00"),
    ]
    from orders.models import Order

    Order.objects.filter(status__in=[S.DELIVERED, S.COMPLETED]).update(
        shipped_at="2026-03-05T00:00Z", delivered_at="2026-03-06T00:00Z"
    )
    return made


def marched(client, shop, member_of, **params):
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    return dashboard(client, "2026-03-01", "2026-03-31", **params)  # 31 days: previous = 29 Jan .. 28 Feb


def test_kpis_with_both_comparisons(client, shop, member_of, world):
    page = marched(client, shop, member_of)
    paid = [o for o in world[:5] if o.paid_at]
    gmv = sum(o.total for o in paid)
    assert gmv == Decimal("45.00") + Decimal("100.00") + Decimal("50.00") + Decimal("55.99")
    assert kpi(page, "Orders") == ["5", "1", "+400.0", "2", "+150.0"]
    assert kpi(page, "GMV", "USD") == [
        str(gmv),
        "30.00",
        f"{(gmv - 30) * 100 / 30:+.1f}",
        "40.00",
        f"{(gmv - 40) * 100 / 40:+.1f}",
    ]
    assert kpi(page, "Average order value", "USD")[0] == str((gmv / 4).quantize(Decimal("0.01")))
    assert kpi(page, "Units sold")[0] == "7"  # 2 + 1 + 3 + 1 (the unpaid cancelled order's unit not sold)
    assert kpi(page, "Cancellation rate %")[:3] == ["20.0", "0.0", "+20.0 pp"]
    assert kpi(page, "Refunded amount", "USD")[:2] == ["12.50", "0.00"]


def test_funnel(client, shop, member_of, world):
    assert table(marched(client, shop, member_of), "funnel") == [
        ["Placed", "5", "100.0"],
        ["Paid", "4", "80.0"],
        ["Shipped", "3", "60.0"],
        ["Delivered", "3", "60.0"],
        ["Completed", "2", "40.0"],
        ["Cancelled", "1", "20.0"],
        ["Refunded", "1", "20.0"],
    ]


def test_top_products_and_skus(client, shop, member_of, world):
    page = marched(client, shop, member_of)
    by_revenue = table(page, "products_revenue")
    # P2: 100 + 50; P1: 2 x 20 + (3 x 20 - 10); P3 unpaid: not sold
    assert [(r[2], r[-2], r[-1]) for r in by_revenue] == [("P2", "2", "150.00"), ("P1", "5", "90.00")]
    assert [(r[2], r[-2]) for r in table(page, "products_units")] == [("P1", "5"), ("P2", "2")]
    assert [(r[2], r[-2], r[-1]) for r in table(page, "skus_units")] == [
        ("S1b", "3", "50.00"),
        ("S1a", "2", "40.00"),
        ("S2", "2", "150.00"),
    ]


def test_regions(client, shop, member_of, world):
    page = marched(client, shop, member_of)
    # the unpaid (cancelled) order counts as an order, not in GMV; the Canadian one had a 10.00 discount
    assert table(page, "countries") == [["US", "4", "200.99"], ["CA", "1", "50.00"]]
    assert table(page, "states") == [
        ["US", "California", "3", "155.99"],
        ["CA", "Ontario", "1", "50.00"],
        ["US", "Nevada", "1", "45.00"],
    ]


def test_hours_and_weekdays_in_shop_time(client, shop, member_of, world):
    page = marched(client, shop, member_of)
    hours = {row[0]: int(row[1]) for row in table(page, "hours")}
    assert hours["09:00"] == 3 and hours["21:00"] == 1 and hours["13:00"] == 1 and sum(hours.values()) == 5
    weekdays = {row[0]: int(row[1]) for row in table(page, "weekdays")}
    # 2 and 9 March 2026 are Mondays, 15 March a Sunday, 20 March a Friday
    assert weekdays == {
        "Monday": 3,
        "Tuesday": 0,
        "Wednesday": 0,
        "Thursday": 0,
        "Friday": 1,
        "Saturday": 0,
        "Sunday": 1,
    }


def test_trend_by_day_week_and_month_with_comparison(client, shop, member_of, world):
    days = table(marched(client, shop, member_of, grain="day"), "trend")
    assert len(days) == 31 and days[1][:3] == ["2026-03-02", "2", "0"]
    assert days[9][:3] == ["2026-03-10", "0", "0"]
    # previous period: 29 Jan .. 28 Feb moved onto March: 10 Feb is its 13th day = 13 March
    assert days[12][:3] == ["2026-03-13", "0", "1"]
    last_year = table(marched(client, shop, member_of, grain="day", compare="last_year"), "trend")
    assert last_year[9][2] == "1" and last_year[10][2] == "1"
    weeks = table(marched(client, shop, member_of, grain="week"), "trend")
    assert weeks[0][:2] == ["2026-02-23", "0"] and weeks[1][:2] == ["2026-03-02", "2"]
    months = table(marched(client, shop, member_of, grain="month"), "trend")
    assert months == [["2026-03-01", "5", "1", str(sum(o.total for o in world[:5] if o.paid_at)), "30.00", "0"]]


def test_money_is_summed_per_currency_never_across(client, shop, member_of, world):
    pound = ShopFactory(name="Pound Shop", currency="GBP", time_zone="Europe/London", country="GB")
    order(
        pound,
        "2026-03-03 12:00",
        original_product_total=Decimal("10.00"),
        shipping_fee=Decimal("0.00"),
        ship_country="GB",
        ship_state="",
    )
    user = member_of(shop, Role.ACCOUNTANT)
    MembershipFactory(shop=pound, user=user, role=Role.ACCOUNTANT)
    client.force_login(user)
    page = dashboard(client, "2026-03-01", "2026-03-31")
    assert kpi(page, "Orders")[0] == "6"
    assert kpi(page, "GMV", "GBP")[0] == "10.00"
    assert kpi(page, "GMV", "USD")[0] == str(sum(o.total for o in world[:5] if o.paid_at))
    assert page.context["tables"]["countries"].headers == ["Country", "Orders", "GMV GBP", "GMV USD"]
    assert ["GB", "1", "10.00", "0.00"] in table(page, "countries")
    assert {r[1] for r in table(page, "products_revenue")} == {"GBP", "USD"}
    only_pounds = dashboard(client, "2026-03-01", "2026-03-31", shop=pound.code)
    assert kpi(only_pounds, "Orders")[0] == "1"
