"""The core every action goes through (orders/services/transitions.py): permission, table, stale form, lock.

The expectations below are written out by hand from the issue, not read from ACTIONS or ROLE_PERMISSIONS,
so a change to either table shows up here.
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.roles import Role
from orders.models import Order, Package, StatusHistory
from orders.services import ActionRefused
from orders.services.shipping import arrange_shipment
from orders.statuses import OrderStatus
from tests.factories import OrderFactory

from .scenarios import SCENARIOS, history_of, snapshot

pytestmark = pytest.mark.django_db
S = OrderStatus
R = Role

SHIPPING = {"arrange_shipment", "mark_collected", "mark_delivered", "mark_completed"}
SERVICE = {
    "cancel",
    "approve_cancellation",
    "reject_cancellation",
    "refund",
    "approve_return",
    "reject_return",
    "add_note",
    "message_buyer",
}
ALLOWED = {
    R.ADMINISTRATOR: SHIPPING | SERVICE,
    R.CUSTOMER_SERVICE: SERVICE,
    R.FULFILLMENT: SHIPPING,
    R.ACCOUNTANT: set(),
    R.VIEWER: set(),
}
# Where each action leads; None: the order's status stays as it was.
TARGET = {
    "arrange_shipment": S.AWAITING_COLLECTION,
    "mark_collected": S.IN_TRANSIT,
    "mark_delivered": S.DELIVERED,
    "mark_completed": S.COMPLETED,
    "cancel": S.CANCELLED,
    "approve_cancellation": S.CANCELLED,
    "reject_cancellation": None,
    "refund": None,
    "approve_return": None,
    "reject_return": None,
    "add_note": None,
    "message_buyer": None,
}
# The statuses each action may start from.
CANCELLABLE = {S.UNPAID, S.ON_HOLD, S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION}
SOURCES = {
    "arrange_shipment": {S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING},
    "mark_collected": {S.AWAITING_COLLECTION},
    "mark_delivered": {S.IN_TRANSIT},
    "mark_completed": {S.DELIVERED},
    "cancel": CANCELLABLE,
    "approve_cancellation": CANCELLABLE,
    "refund": set(S) - {S.UNPAID},
    **{
        name: set(S) for name in ("reject_cancellation", "approve_return", "reject_return", "add_note", "message_buyer")
    },
}


def test_the_tables_cover_every_action_and_role():
    assert set(SCENARIOS) == SHIPPING | SERVICE == set(TARGET) == set(SOURCES)
    assert set(ALLOWED) == set(Role)


ROLE_CASES = [(role, name) for role in Role for name in SCENARIOS]


@pytest.mark.parametrize(("role", "name"), ROLE_CASES, ids=[f"{r.value}-{n}" for r, n in ROLE_CASES])
def test_every_action_for_every_role(role, name, shop, member_of):
    user = member_of(shop, role)
    order, call = SCENARIOS[name](shop)
    before = snapshot(order)
    if name in ALLOWED[role]:
        call(user)
        order.refresh_from_db()
        assert order.status == (TARGET[name] or before["order"][0])
        (row,) = [h for h in history_of(order) if h.pk not in before["history"]]
        assert row.actor == user
        assert row.reason.strip()
        assert (row.from_status, row.to_status) == (before["order"][0], order.status)
    else:
        with pytest.raises(PermissionDenied, match=shop.name):
            call(user)
        assert snapshot(order) == before


@pytest.mark.parametrize("name", SCENARIOS)
def test_members_of_another_shop_are_refused(name, shop, other_shop, member_of):
    outsider = member_of(other_shop, R.ADMINISTRATOR)
    order, call = SCENARIOS[name](shop)
    before = snapshot(order)
    with pytest.raises(PermissionDenied):
        call(outsider)
    assert snapshot(order) == before


TABLE_CASES = [(name, status) for name in SCENARIOS for status in S]


@pytest.mark.parametrize(("name", "status"), TABLE_CASES, ids=[f"{n}-{s.value}" for n, s in TABLE_CASES])
def test_the_transition_table(name, status, shop, member_of):
    admin = member_of(shop, R.ADMINISTRATOR)
    order, call = SCENARIOS[name](shop, status)
    before = snapshot(order)
    if status in SOURCES[name]:
        call(admin)
        assert len(history_of(order)) == len(before["history"]) + 1
    else:
        with pytest.raises(ActionRefused) as refused:
            call(admin)
        assert f"“{status.label}”" in str(refused.value)
        assert snapshot(order) == before


@pytest.mark.parametrize(
    ("name", "expected", "now"),
    [
        ("arrange_shipment", S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION),  # someone else shipped it
        ("arrange_shipment", S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING),  # still shippable, but not what was seen
        ("arrange_shipment", S.AWAITING_SHIPMENT, S.CANCELLED),
        ("mark_collected", S.AWAITING_COLLECTION, S.CANCELLED),
        ("mark_delivered", S.IN_TRANSIT, S.DELIVERED),
        ("mark_completed", S.DELIVERED, S.COMPLETED),
        ("cancel", S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION),  # still cancellable, but not what was seen
        ("cancel", S.AWAITING_SHIPMENT, S.CANCELLED),
        ("approve_cancellation", S.AWAITING_SHIPMENT, S.CANCELLED),
    ],
)
def test_a_stale_form_is_refused(name, expected, now, shop, member_of):
    admin = member_of(shop, R.ADMINISTRATOR)
    order, call = SCENARIOS[name](shop, expected)
    Order.objects.filter(pk=order.pk).update(status=now)  # changed behind the form's back
    before = snapshot(order)
    with pytest.raises(ActionRefused) as refused:
        call(admin, expected_status=expected)
    assert f"is now “{now.label}”" in str(refused.value)
    assert snapshot(order) == before


def test_a_stale_form_writes_no_package(shop, member_of):
    order = OrderFactory(shop=shop, status=S.AWAITING_COLLECTION)
    with pytest.raises(ActionRefused, match="Awaiting collection"):
        arrange_shipment(
            order,
            member_of(shop, R.FULFILLMENT),
            expected_status=S.AWAITING_SHIPMENT,
            carrier="UPS",
            tracking_number="1Z999AA10123456784",
        )
    assert not Package.objects.filter(order=order).exists()
    assert not StatusHistory.objects.filter(order=order).exists()


def test_two_people_shipping_the_same_order_one_after_the_other(shop, member_of):
    order = OrderFactory(shop=shop, status=S.AWAITING_SHIPMENT)
    first_view, second_view = Order.objects.get(pk=order.pk), Order.objects.get(pk=order.pk)
    alice, bob = member_of(shop, R.FULFILLMENT), member_of(shop, R.ADMINISTRATOR)

    won = arrange_shipment(
        first_view, alice, expected_status=S.AWAITING_SHIPMENT, carrier="UPS", tracking_number="1Z999AA10000000001"
    )
    with pytest.raises(ActionRefused, match="Awaiting collection"):
        arrange_shipment(
            second_view, bob, expected_status=S.AWAITING_SHIPMENT, carrier="DHL", tracking_number="JD0000000000000002"
        )

    assert list(Package.objects.filter(order=order)) == [won]
    (row,) = history_of(order)
    assert (row.actor, row.to_status) == (alice, S.AWAITING_COLLECTION)


@pytest.mark.django_db(transaction=True)
def test_two_people_shipping_the_same_order_at_the_same_time(shop, member_of):
    order = OrderFactory(shop=shop, status=S.AWAITING_SHIPMENT)
    users = [member_of(shop, R.FULFILLMENT), member_of(shop, R.FULFILLMENT)]
    barrier = threading.Barrier(2, timeout=10)
    outcomes = [None, None]

    def ship(i):
        try:
            view = Order.objects.get(pk=order.pk)
            barrier.wait()
            outcomes[i] = arrange_shipment(
                view,
                users[i],
                expected_status=S.AWAITING_SHIPMENT,
                carrier="UPS",
                tracking_number=f"1Z999AA1000000000{i}",
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=ship, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    packages = [o for o in outcomes if isinstance(o, Package)]
    refusals = [o for o in outcomes if isinstance(o, ActionRefused)]
    assert (len(packages), len(refusals)) == (1, 1), outcomes
    assert "Awaiting collection" in str(refusals[0])
    assert list(Package.objects.filter(order=order)) == packages
    assert StatusHistory.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.status == S.AWAITING_COLLECTION
