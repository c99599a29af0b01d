"""Arranging shipment and the carrier's side (orders/services/shipping.py)."""

import contextlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from orders.models import Package, TrackingEvent
from orders.services import ActionRefused
from orders.services.shipping import arrange_shipment, mark_collected, mark_completed, mark_delivered
from orders.statuses import ActorKind, OrderStatus, PackageStatus, ReturnStatus, ReturnType
from tests.factories import LineItemFactory, OrderFactory, PackageFactory, ReturnRequestFactory

from .scenarios import history_of, snapshot

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def packer(shop, member_of):
    return member_of(shop, Role.FULFILLMENT)


@pytest.fixture
def two_line_order(shop):
    order = OrderFactory(shop=shop, status=S.AWAITING_SHIPMENT)
    LineItemFactory(order=order)
    return order


def ship(order, user, **kwargs):
    kwargs = {"expected_status": order.status, "carrier": "UPS", "tracking_number": "1Z999AA10123456784", **kwargs}
    return arrange_shipment(order, user, **kwargs)


def test_full_shipment(shop, packer, two_line_order):
    order = two_line_order
    package = ship(order, packer, carrier="FedEx", tracking_number=" 7489-4712 1234 ab ")
    order.refresh_from_db()
    assert order.status == S.AWAITING_COLLECTION
    assert (package.carrier, package.tracking_number, package.status) == (
        "FedEx",
        "748947121234AB",
        PackageStatus.PROCESSING,
    )
    assert {(line.package_id, line.status) for line in order.lines.all()} == {(package.pk, S.AWAITING_COLLECTION)}
    (row,) = history_of(order)
    assert (row.from_status, row.to_status, row.actor, row.actor_kind) == (
        S.AWAITING_SHIPMENT,
        S.AWAITING_COLLECTION,
        packer,
        ActorKind.SELLER,
    )
    assert "2 items" in row.reason and "74894712" in row.reason


def test_partial_shipment_then_the_rest(packer, two_line_order):
    order = two_line_order
    first_line, second_line = order.lines.order_by("pk")
    first = ship(order, packer, line_ids=[str(first_line.pk)], tracking_number="1Z0000000001")
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_SHIPPING
    first_line.refresh_from_db()
    second_line.refresh_from_db()
    assert (first_line.package, first_line.status) == (first, S.AWAITING_COLLECTION)
    assert (second_line.package, second_line.status) == (None, S.AWAITING_SHIPMENT)

    with pytest.raises(ActionRefused, match="not shipped yet"):  # the first line is packed already
        ship(order, packer, line_ids=[first_line.pk], tracking_number="1Z0000000002")

    second = ship(order, packer, tracking_number="1Z0000000003")
    order.refresh_from_db()
    assert order.status == S.AWAITING_COLLECTION
    assert list(second.lines.all()) == [second_line]
    assert [(h.from_status, h.to_status) for h in history_of(order)] == [
        (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING),
        (S.PARTIALLY_SHIPPING, S.AWAITING_COLLECTION),
    ]


@pytest.mark.parametrize("number", ["", "   ", "ABC12", "A" * 41, "1Z999#AA101", "1Z999_AA101", "1Z999.AA101"])
def test_bad_tracking_numbers_are_refused(number, shop, packer):
    order = OrderFactory(shop=shop)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="6 to 40 letters or digits"):
        ship(order, packer, tracking_number=number)
    assert snapshot(order) == before


@pytest.mark.parametrize("carrier", ["", "Pony Express", "ups", None])
def test_unknown_carriers_are_refused(carrier, shop, packer):
    order = OrderFactory(shop=shop)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="Unknown carrier"):
        ship(order, packer, carrier=carrier)
    assert snapshot(order) == before


def test_a_tracking_number_of_another_order_of_the_shop_is_refused(shop, packer):
    taken = PackageFactory(order=OrderFactory(shop=shop, status=S.IN_TRANSIT), tracking_number="1Z999AA10123456784")
    order = OrderFactory(shop=shop)
    before = snapshot(order)
    with pytest.raises(ActionRefused) as refused:
        ship(order, packer, tracking_number="1z999-aa1 0123456784")  # the same number once normalised
    assert "1Z999AA10123456784 is already used" in str(refused.value)
    assert str(taken.order_id) in str(refused.value)
    assert snapshot(order) == before


def test_another_shops_tracking_numbers_do_not_count(shop, other_shop, packer):
    PackageFactory(order=OrderFactory(shop=other_shop, status=S.IN_TRANSIT), tracking_number="1Z999AA10123456784")
    order = OrderFactory(shop=shop)
    assert ship(order, packer).tracking_number == "1Z999AA10123456784"


def test_lines_of_another_order_are_refused(shop, packer):
    order, elsewhere = OrderFactory(shop=shop), OrderFactory(shop=shop)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="Choose items of this order"):
        ship(order, packer, line_ids=[elsewhere.lines.get().pk])
    assert snapshot(order) == before
    assert elsewhere.lines.get().package is None


@pytest.mark.parametrize("extra_lines", [0, 1])
def test_duplicate_line_ids_never_leave_an_order_inconsistent(extra_lines, shop, packer):
    order = OrderFactory(shop=shop)
    LineItemFactory.create_batch(extra_lines, order=order)
    line = order.lines.order_by("pk").first()
    with contextlib.suppress(ActionRefused):
        ship(order, packer, line_ids=[line.pk, line.pk])
    order.refresh_from_db()
    unpacked = order.lines.filter(package__isnull=True).exists()
    # Awaiting collection means every line is packed; partially shipping means some line is not.
    assert order.status in (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING if unpacked else S.AWAITING_COLLECTION)


def test_collected_delivered_completed(shop, packer):
    order = OrderFactory(shop=shop)
    package = ship(order, packer)
    collected_at = timezone.now()
    mark_collected(order, packer, expected_status=S.AWAITING_COLLECTION, location="Memphis hub", now=collected_at)
    order.refresh_from_db()
    package.refresh_from_db()
    assert (order.status, order.shipped_at) == (S.IN_TRANSIT, collected_at)
    assert (package.status, package.shipped_at) == (PackageStatus.IN_TRANSIT, collected_at)
    assert set(order.lines.values_list("status", flat=True)) == {S.IN_TRANSIT}
    event = TrackingEvent.objects.get(package=package)
    assert (event.at, event.location, event.description) == (
        collected_at,
        "Memphis hub",
        "Parcel collected by the carrier",
    )

    delivered_at = collected_at + timedelta(days=2)
    mark_delivered(order, packer, expected_status=S.IN_TRANSIT, now=delivered_at)
    order.refresh_from_db()
    package.refresh_from_db()
    assert (order.status, order.delivered_at) == (S.DELIVERED, delivered_at)
    assert (package.status, package.delivered_at) == (PackageStatus.DELIVERED, delivered_at)
    assert package.events.count() == 2
    assert set(order.lines.values_list("status", flat=True)) == {S.DELIVERED}

    completed_at = delivered_at + timedelta(days=7)
    mark_completed(order, packer, expected_status=S.DELIVERED, now=completed_at)
    order.refresh_from_db()
    assert (order.status, order.completed_at) == (S.COMPLETED, completed_at)
    assert set(order.lines.values_list("status", flat=True)) == {S.COMPLETED}
    assert [h.to_status for h in history_of(order)] == [S.AWAITING_COLLECTION, S.IN_TRANSIT, S.DELIVERED, S.COMPLETED]
    assert all(h.actor == packer for h in history_of(order))


def test_collection_defaults_the_location_to_the_shop(shop, packer):
    order = OrderFactory(shop=shop, status=S.AWAITING_COLLECTION)
    package = PackageFactory(order=order, status=PackageStatus.PROCESSING, shipped_at=None)
    mark_collected(order, packer, expected_status=S.AWAITING_COLLECTION)
    assert package.events.get().location == shop.name
    assert history_of(order)[0].actor_kind == ActorKind.CARRIER


@pytest.fixture
def delivered(shop):
    return OrderFactory(shop=shop, status=S.DELIVERED, delivered_at=timezone.now() - timedelta(days=30))


@pytest.mark.parametrize("days", [0, 1, 6, 6.99])
def test_completion_is_refused_inside_the_return_window(days, delivered, packer):
    before = snapshot(delivered)
    with pytest.raises(ActionRefused, match="7-day return window"):
        mark_completed(
            delivered, packer, expected_status=S.DELIVERED, now=delivered.delivered_at + timedelta(days=days)
        )
    assert snapshot(delivered) == before


@pytest.mark.parametrize(
    "status", [ReturnStatus.PENDING, ReturnStatus.AWAITING_BUYER_SHIP, ReturnStatus.BUYER_SHIPPED_ITEM]
)
def test_completion_is_refused_while_a_return_is_open(status, delivered, packer):
    ReturnRequestFactory(order=delivered, status=status, return_type=ReturnType.RETURN_AND_REFUND)
    before = snapshot(delivered)
    with pytest.raises(ActionRefused, match="still open"):
        mark_completed(delivered, packer, expected_status=S.DELIVERED)
    assert snapshot(delivered) == before


@pytest.mark.parametrize("status", [ReturnStatus.SUCCESS, ReturnStatus.REJECT])
def test_completion_after_the_window_with_settled_returns(status, delivered, packer):
    ReturnRequestFactory(order=delivered, status=status)
    mark_completed(delivered, packer, expected_status=S.DELIVERED, now=delivered.delivered_at + timedelta(days=7))
    delivered.refresh_from_db()
    assert delivered.status == S.COMPLETED


def test_shipping_writes_nothing_when_refused_after_the_lock(shop, packer):
    order = OrderFactory(shop=shop)
    with pytest.raises(ActionRefused):
        ship(order, packer, line_ids=[0])
    assert not Package.objects.exists()
    assert history_of(order) == []


def test_one_carrier_per_order(shop, member_of):
    from orders.services import ActionRefused
    from orders.services.shipping import arrange_shipment
    from tests.factories import LineItemFactory, OrderFactory

    order = OrderFactory(shop=shop)
    second = LineItemFactory(order=order)
    user = member_of(shop, Role.FULFILLMENT)
    arrange_shipment(
        order,
        user,
        expected_status="AWAITING_SHIPMENT",
        carrier="USPS",
        tracking_number="9400100000000000000011",
        line_ids=[order.lines.first().pk],
    )
    order.refresh_from_db()
    assert order.carrier == "USPS"
    with pytest.raises(ActionRefused, match="ship the rest with it too"):
        arrange_shipment(
            order,
            user,
            expected_status="PARTIALLY_SHIPPING",
            carrier="DHL",
            tracking_number="JD0000000000000001",
            line_ids=[second.pk],
        )
