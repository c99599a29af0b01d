"""The simulator plays the platform's side: every move legal, recorded and coherent."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orders.demo.simulation import COLLECT_DELAY, PAY_DELAY, Simulation, move, never_pays
from orders.ids import platform_id
from orders.models import CancellationRequest, Order, OrderMessage, Package, ReturnRequest, StatusHistory
from orders.statuses import TRANSITIONS, ActorKind, CancellationStatus, OrderStatus, PackageStatus, ReturnStatus
from tests.factories import (
    OrderFactory,
    PackageFactory,
    ProductFactory,
    ReturnRequestFactory,
    ShopFactory,
    SkuFactory,
    StatusHistoryFactory,
)

pytestmark = pytest.mark.django_db
S = OrderStatus
NOW = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
PATH = [S.UNPAID, S.ON_HOLD, S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION, S.IN_TRANSIT, S.DELIVERED]
QUIET = {"cancellation_requests": 0, "return_requests": 0, "messages": 0}


@pytest.fixture
def shop():
    shop = ShopFactory()
    for n in range(3):
        product = ProductFactory(shop=shop, name=f"Product {n}")
        for size, price in (("S", "19.90"), ("M", "24.50")):
            SkuFactory(product=product, size=size, price=Decimal(price))
    return shop


def simulate(shop, *, orders=0, rates=QUIET, seed=7):
    return Simulation([shop], orders_per_tick=orders, seed=seed, rates=rates)


def order_in(shop, status, created, *, id=None, **fields):
    """An order that lived the platform's path up to `status`, one legal history row per step."""
    steps = PATH[: PATH.index(status) + 1]
    at = {s: created + timedelta(minutes=10 * n) for n, s in enumerate(steps)}
    times = {"paid_at": at.get(S.ON_HOLD), "shipped_at": at.get(S.IN_TRANSIT), "delivered_at": at.get(S.DELIVERED)}
    order = OrderFactory(
        shop=shop,
        status=status,
        created_at=created,
        updated_at=at[status],
        **({"id": id} if id else {}),
        **{**times, **fields},
    )
    for before, after in zip(["", *steps], steps):
        StatusHistoryFactory(
            order=order,
            from_status=before,
            to_status=after,
            at=at[after],
            actor_kind=ActorKind.SYSTEM,
            reason="Set up by the test",
        )
    if S.AWAITING_COLLECTION in steps:
        shipped = status in (S.IN_TRANSIT, S.DELIVERED)
        PackageFactory(
            order=order,
            created_at=order.updated_at if not shipped else at[S.AWAITING_COLLECTION],
            status=PackageStatus.IN_TRANSIT if shipped else PackageStatus.PROCESSING,
            shipped_at=order.shipped_at,
        )
    return order


def assert_coherent(order):
    history = list(order.history.order_by("at", "id"))
    assert history[0].from_status == "" and history[0].to_status == S.UNPAID
    for before, after in zip(history, history[1:]):
        assert after.from_status == before.to_status and after.at >= before.at, order.pk
        assert S(after.to_status) in TRANSITIONS[S(before.to_status)], order.pk
        assert after.actor is None and after.reason
    assert history[-1].to_status == order.status and order.updated_at >= history[-1].at
    assert order.money_is_consistent()
    assert set(order.lines.values_list("status", flat=True)) == {order.status}
    if order.status == S.UNPAID:
        assert order.paid_at is None
    elif order.status != S.CANCELLED:
        assert order.paid_at and order.rts_sla_at > order.paid_at
    assert bool(order.cancelled_at) == (order.status == S.CANCELLED)
    if order.status in (S.IN_TRANSIT, S.DELIVERED, S.COMPLETED):
        assert order.shipped_at
    if order.status in (S.DELIVERED, S.COMPLETED):
        assert order.delivered_at


def last_move(order):
    return order.history.order_by("at", "id").last()


def test_new_orders_come_with_catalogue_lines_coherent_money_and_history(shop):
    counts = simulate(shop, orders=5).tick(NOW)
    assert counts["placed"] == 5
    orders = list(Order.objects.filter(shop=shop))
    assert len(orders) == 5
    skus = set(shop.products.values_list("skus__sku_id", flat=True))
    for order in orders:
        assert order.status == S.UNPAID and order.created_at == order.updated_at == NOW
        assert order.currency == "USD" and order.ship_country == "US" and order.buyer_name and order.ship_line1
        assert not order.seller_note
        lines = list(order.lines.all())
        assert lines and {line.sku_id for line in lines} <= skus
        assert sum(line.line_total for line in lines) == order.subtotal
        [placed] = order.history.all()
        assert (placed.from_status, placed.actor_kind, placed.at) == ("", ActorKind.BUYER, NOW)
        assert_coherent(order)


def test_orders_follow_the_shops_country_and_currency():
    gb = ShopFactory(country="GB", currency="GBP", time_zone="Europe/London")
    SkuFactory.create_batch(4, product=ProductFactory(shop=gb), price=Decimal("12.00"))
    simulate(gb, orders=3).tick(NOW)
    assert set(Order.objects.values_list("ship_country", "currency")) == {("GB", "GBP")}


def test_a_shop_without_catalogue_gets_no_orders_and_no_error():
    assert simulate(ShopFactory(), orders=3).tick(NOW)["placed"] == 0


def test_unpaid_for_48_hours_is_cancelled_by_the_system(shop):
    stale = order_in(shop, S.UNPAID, NOW - timedelta(hours=49), paid_at=None, rts_sla_at=None)
    young = order_in(
        shop, S.UNPAID, NOW - timedelta(hours=47), id=platform_id() // 20 * 20, paid_at=None, rts_sla_at=None
    )  # a never-payer, so it is still waiting
    assert simulate(shop).tick(NOW)["auto_cancelled"] == 1
    stale.refresh_from_db()
    assert stale.status == S.CANCELLED and stale.cancelled_at == stale.updated_at == NOW
    assert stale.cancellation_initiator == ActorKind.SYSTEM and stale.cancel_reason
    move = last_move(stale)
    assert (move.from_status, move.to_status, move.actor_kind) == (S.UNPAID, S.CANCELLED, ActorKind.SYSTEM)
    assert_coherent(stale)
    young.refresh_from_db()
    assert young.status == S.UNPAID


def test_payments_clear_after_the_buyers_delay_except_never_payers(shop):
    base = platform_id() // 20 * 20
    payer = order_in(
        shop, S.UNPAID, NOW - PAY_DELAY[1] - timedelta(minutes=1), id=base + 1, paid_at=None, rts_sla_at=None
    )
    never = order_in(shop, S.UNPAID, NOW - PAY_DELAY[1] - timedelta(minutes=1), id=base, paid_at=None, rts_sla_at=None)
    fresh = order_in(shop, S.UNPAID, NOW - timedelta(seconds=10), id=base + 3, paid_at=None, rts_sla_at=None)
    assert never_pays(never.pk) and not never_pays(payer.pk)
    assert simulate(shop).tick(NOW)["paid"] == 1
    for order in (payer, never, fresh):
        order.refresh_from_db()
    assert payer.status == S.ON_HOLD and payer.paid_at == NOW and payer.rts_sla_at == NOW + timedelta(hours=72)
    assert last_move(payer).actor_kind == ActorKind.BUYER
    assert_coherent(payer)
    assert never.status == fresh.status == S.UNPAID


def test_on_hold_ends_after_one_hour(shop):
    due = order_in(shop, S.ON_HOLD, NOW - timedelta(hours=2))  # paid 10 minutes after placing: 110 min ago
    held = order_in(shop, S.ON_HOLD, NOW - timedelta(minutes=50))
    assert simulate(shop).tick(NOW)["released"] == 1
    due.refresh_from_db(), held.refresh_from_db()
    assert due.status == S.AWAITING_SHIPMENT and due.updated_at == NOW and held.status == S.ON_HOLD
    move = last_move(due)
    assert (move.from_status, move.actor_kind) == (S.ON_HOLD, ActorKind.SYSTEM)
    assert_coherent(due)


def test_the_carrier_collects_then_delivers_with_tracking_events(shop):
    arranged = NOW - COLLECT_DELAY[1] - timedelta(minutes=5)
    order = order_in(shop, S.AWAITING_COLLECTION, arranged - timedelta(minutes=30))
    just_packed = order_in(shop, S.AWAITING_COLLECTION, NOW - timedelta(hours=2))
    simulation = simulate(shop)
    assert simulation.tick(NOW)["collected"] == 1
    order.refresh_from_db()
    package = order.packages.get()
    assert order.status == S.IN_TRANSIT and order.shipped_at == package.shipped_at == NOW
    assert package.status == PackageStatus.IN_TRANSIT
    assert list(package.events.values_list("description", flat=True)) == ["Parcel collected by the carrier"]
    assert last_move(order).actor_kind == ActorKind.CARRIER
    assert Order.objects.get(pk=just_packed.pk).status == S.AWAITING_COLLECTION

    on_the_way = simulation.tick(NOW + timedelta(days=1, hours=2))
    assert on_the_way["scans"] >= 1 and on_the_way["delivered"] == 0
    later = NOW + timedelta(days=11)  # longer than any delivery takes
    assert simulation.tick(later)["delivered"] == 2  # the parcel packed later has arrived too
    order.refresh_from_db(), package.refresh_from_db()
    assert order.status == S.DELIVERED and order.delivered_at == package.delivered_at == later
    assert package.status == PackageStatus.DELIVERED
    events = list(package.events.order_by("at", "id"))
    descriptions = [e.description for e in events]
    assert descriptions[0] == "Parcel collected by the carrier" and descriptions[-1] == "Delivered"
    assert "Arrived at sorting centre" in descriptions and "Out for delivery" in descriptions
    assert all(NOW <= e.at <= later for e in events)
    assert_coherent(order)


def test_delivered_orders_complete_after_the_return_window_unless_a_return_is_open(shop):
    done = order_in(shop, S.DELIVERED, NOW - timedelta(days=9))
    disputed = order_in(shop, S.DELIVERED, NOW - timedelta(days=9))
    ReturnRequestFactory(order=disputed, status=ReturnStatus.PENDING, requested_at=NOW - timedelta(days=5))
    settled = order_in(shop, S.DELIVERED, NOW - timedelta(days=9))
    ReturnRequestFactory(order=settled, status=ReturnStatus.REJECT, requested_at=NOW - timedelta(days=5))
    recent = order_in(shop, S.DELIVERED, NOW - timedelta(days=6))
    assert simulate(shop).tick(NOW)["completed"] == 2
    status = dict(Order.objects.values_list("pk", "status"))
    assert status[done.pk] == status[settled.pk] == S.COMPLETED
    assert status[disputed.pk] == status[recent.pk] == S.DELIVERED
    done.refresh_from_db()
    assert done.completed_at == NOW and last_move(done).actor_kind == ActorKind.SYSTEM
    assert_coherent(done)


def test_buyers_ask_for_cancellations_returns_and_write_messages(shop):
    waiting = order_in(shop, S.AWAITING_SHIPMENT, NOW - timedelta(hours=5))
    delivered = order_in(shop, S.DELIVERED, NOW - timedelta(days=2))
    history = StatusHistory.objects.count()
    always = {"cancellation_requests": 1, "return_requests": 1, "messages": 1}
    counts = simulate(shop, rates=always).tick(NOW)
    assert counts["cancellation_requests"] == 1 and counts["return_requests"] == 1 and counts["messages"] == 1
    request = CancellationRequest.objects.get()
    assert (request.order_id, request.status, request.initiator) == (
        waiting.pk,
        CancellationStatus.PENDING,
        ActorKind.BUYER,
    )
    refund = ReturnRequest.objects.get()
    assert refund.order_id == delivered.pk and refund.status == ReturnStatus.PENDING
    assert Decimal(0) <= refund.refund_amount <= delivered.total
    message = OrderMessage.objects.get()
    assert message.sender == ActorKind.BUYER and message.author is None and message.sent_at == NOW
    assert StatusHistory.objects.count() == history  # requests change no status
    assert Order.objects.get(pk=waiting.pk).updated_at == NOW


def test_no_return_request_after_the_return_window(shop):
    late = order_in(shop, S.DELIVERED, NOW - timedelta(days=8))
    # batch=0: no platform moves, so the order is still DELIVERED although its window has closed.
    simulation = Simulation([shop], orders_per_tick=0, seed=1, rates={"return_requests": 1}, batch=0)
    assert simulation.tick(NOW)["return_requests"] == 0
    assert not ReturnRequest.objects.exists() and Order.objects.get(pk=late.pk).status == S.DELIVERED


def test_many_ticks_keep_every_order_coherent(shop):
    for n, status in enumerate(PATH * 2):
        order_in(shop, status, NOW - timedelta(days=n % 9, hours=n))
    # No return requests here: they stay open until the seller (not simulated) answers, and would keep the
    # few delivered orders of this small shop from completing.
    simulation = simulate(shop, orders=3, rates={"cancellation_requests": 0.2, "return_requests": 0, "messages": 0.3})
    totals = {}
    for n in range(80):  # 20 days: long enough for collection, delivery and the return window
        for kind, count in simulation.tick(NOW + timedelta(hours=6 * n)).items():
            totals[kind] = totals.get(kind, 0) + count
    assert Order.objects.count() == len(PATH) * 2 + 3 * 80 == totals["placed"] + len(PATH) * 2
    for kind in (
        "paid",
        "released",
        "auto_cancelled",
        "collected",
        "delivered",
        "completed",
        "scans",
        "cancellation_requests",
        "messages",
    ):
        assert totals[kind] > 0, kind
    for order in Order.objects.all():
        assert_coherent(order)
    assert not Package.objects.filter(status=PackageStatus.IN_TRANSIT, order__status=S.DELIVERED).exists()


def test_a_move_picked_before_a_person_acted_does_nothing(shop):
    order = order_in(shop, S.ON_HOLD, NOW - timedelta(hours=3))
    Order.objects.filter(pk=order.pk).update(status=S.CANCELLED)  # the seller cancelled it meanwhile
    history = order.history.count()
    assert move(order, S.ON_HOLD, S.AWAITING_SHIPMENT, at=NOW, actor_kind=ActorKind.SYSTEM, reason="x") is None
    assert order.history.count() == history


def test_the_same_seed_plays_the_same_orders(shop):
    simulate(shop, orders=4, seed=3).tick(NOW)
    first = sorted(Order.objects.values_list("buyer_name", "total"))
    Order.objects.all().delete()
    simulate(shop, orders=4, seed=3).tick(NOW)
    assert sorted(Order.objects.values_list("buyer_name", "total")) == first
