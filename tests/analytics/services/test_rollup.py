"""The rollup follows the orders: saves through the services (signals), refunds, and bulk writes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from analytics.models import DayShop, DirtyDay, RollupState
from analytics.services.rollup import ensure_fresh, rebuild_shop
from orders.models import Order
from orders.services.after_sales import refund
from orders.services.cancellation import cancel_order
from orders.statuses import OrderStatus
from tests.factories import OrderFactory

from ..helpers import at, dashboard, kpi, order, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen(client, shop, member_of):
    """An Administrator who has looked at March once (the rollup is built)."""
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    first = order(shop, "2026-03-10 10:00", status=OrderStatus.DELIVERED)
    dashboard(client, "2026-03-01", "2026-03-31")
    assert RollupState.objects.filter(shop=shop).exists()
    return first


def test_a_new_order_is_counted_at_once(client, shop, seen):
    order(shop, "2026-03-11 10:00")
    assert DirtyDay.objects.filter(shop=shop).count() == 1
    assert kpi(dashboard(client, "2026-03-01", "2026-03-31"), "Orders")[0] == "2"
    assert not DirtyDay.objects.exists()


def test_a_cancellation_moves_the_funnel(client, shop, seen, member_of):
    fresh = order(shop, "2026-03-12 10:00", status=OrderStatus.AWAITING_SHIPMENT)
    dashboard(client, "2026-03-01", "2026-03-31")
    cancel_order(
        fresh, member_of(shop, Role.ADMINISTRATOR), expected_status=OrderStatus.AWAITING_SHIPMENT, reason="Out of stock"
    )
    funnel = {r[0]: r[1] for r in table(dashboard(client, "2026-03-01", "2026-03-31"), "funnel")}
    assert funnel["Cancelled"] == "1"


def test_a_refund_changes_the_refunded_amount(client, shop, seen, member_of):
    admin = member_of(shop, Role.ADMINISTRATOR)
    refund(seen, admin, amount=Decimal("7.25"), reason="Scratched")
    page = dashboard(client, "2026-03-01", "2026-03-31")
    assert kpi(page, "Refunded amount", "USD")[0] == "7.25"


def test_bulk_writes_are_caught_by_count_and_update_time(client, shop, seen):
    created = at(shop, "2026-03-15 09:00")
    Order.objects.bulk_create(
        [OrderFactory.build(shop=shop, created_at=created, updated_at=created, line=None) for _ in range(3)]
    )  # no signals
    assert kpi(dashboard(client, "2026-03-01", "2026-03-31"), "Orders")[0] == "4"
    Order.objects.filter(pk=seen.pk).update(refunded_amount=Decimal("3.00"), updated_at=timezone.now())
    assert kpi(dashboard(client, "2026-03-01", "2026-03-31"), "Refunded amount", "USD")[0] == "3.00"


def test_rebuild_equals_incremental(client, shop, seen):
    for hours in range(0, 72, 7):
        OrderFactory(shop=shop, created_at=at(shop, "2026-03-20 00:00") + timedelta(hours=hours))
    ensure_fresh([shop])
    incremental = sorted(DayShop.objects.filter(shop=shop).values_list("day", "orders", "gmv_cents", "units"))
    rebuild_shop(shop)
    assert sorted(DayShop.objects.filter(shop=shop).values_list("day", "orders", "gmv_cents", "units")) == incremental
