"""Cancelling before shipment and answering the buyer's cancellation requests (orders/services/cancellation.py)."""

import pytest
from django.utils import timezone

from orders.services import ActionRefused
from orders.services.cancellation import approve_cancellation, cancel_order, reject_cancellation
from orders.statuses import CANCEL_REASONS, ActorKind, CancellationStatus, OrderStatus, PackageStatus
from tests.factories import CancellationRequestFactory, LineItemFactory, OrderFactory, PackageFactory

from .scenarios import history_of, snapshot

pytestmark = pytest.mark.django_db
S = OrderStatus
C = CancellationStatus


@pytest.fixture
def order(shop):
    order = OrderFactory(shop=shop, status=S.AWAITING_SHIPMENT)
    LineItemFactory(order=order)
    return order


@pytest.mark.parametrize("reason", CANCEL_REASONS)
def test_cancel(reason, order, agent):
    now = timezone.now()
    cancel_order(order, agent, expected_status=S.AWAITING_SHIPMENT, reason=reason, now=now)
    order.refresh_from_db()
    assert (order.status, order.cancelled_at, order.cancel_reason, order.cancellation_initiator) == (
        S.CANCELLED,
        now,
        reason,
        ActorKind.SELLER,
    )
    assert set(order.lines.values_list("status", flat=True)) == {S.CANCELLED}
    (row,) = history_of(order)
    assert (row.from_status, row.to_status, row.actor, row.reason, row.at) == (
        S.AWAITING_SHIPMENT,
        S.CANCELLED,
        agent,
        reason,
        now,
    )


@pytest.mark.parametrize("reason", ["", None, "Changed my mind", "out of stock", "Out of stock ", "Out of"])
def test_the_reason_must_come_from_the_list(reason, order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="from the list"):
        cancel_order(order, agent, expected_status=S.AWAITING_SHIPMENT, reason=reason)
    assert snapshot(order) == before


def test_cancelling_an_order_awaiting_collection_cancels_its_package(shop, agent):
    order = OrderFactory(shop=shop, status=S.AWAITING_COLLECTION)
    package = PackageFactory(order=order, status=PackageStatus.PROCESSING, shipped_at=None)
    cancel_order(order, agent, expected_status=S.AWAITING_COLLECTION, reason="Suspected fraud")
    package.refresh_from_db()
    assert package.status == PackageStatus.CANCELLED


def test_cancelling_settles_a_pending_buyer_request(order, agent):
    request = CancellationRequestFactory(order=order)
    cancel_order(order, agent, expected_status=S.AWAITING_SHIPMENT, reason="Buyer asked to cancel")
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (C.SUCCESS, agent)
    assert len(history_of(order)) == 1


@pytest.mark.parametrize("status", [S.UNPAID, S.ON_HOLD, S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION])
def test_approve_a_buyer_request(status, shop, agent):
    order = OrderFactory(shop=shop, status=status)
    request = CancellationRequestFactory(order=order, reason="Ordered the wrong size")
    now = timezone.now()
    approve_cancellation(order, agent, request_id=request.pk, expected_status=status, now=now)
    order.refresh_from_db()
    request.refresh_from_db()
    assert (request.status, request.resolved_at, request.resolved_by) == (C.SUCCESS, now, agent)
    assert (order.status, order.cancelled_at, order.cancellation_initiator) == (S.CANCELLED, now, ActorKind.BUYER)
    assert "Ordered the wrong size" in order.cancel_reason
    assert set(order.lines.values_list("status", flat=True)) == {S.CANCELLED}
    (row,) = history_of(order)
    assert (row.from_status, row.to_status, row.actor) == (status, S.CANCELLED, agent)
    assert "Ordered the wrong size" in row.reason


def test_reject_a_buyer_request(order, agent):
    request = CancellationRequestFactory(order=order, reason="Found it cheaper")
    reject_cancellation(order, agent, request_id=request.pk)
    order.refresh_from_db()
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (C.CANCEL, agent)
    assert request.resolved_at is not None
    assert (order.status, order.cancelled_at, order.cancel_reason) == (S.AWAITING_SHIPMENT, None, "")
    assert set(order.lines.values_list("status", flat=True)) == {S.AWAITING_SHIPMENT}
    (row,) = history_of(order)
    assert (row.from_status, row.to_status, row.actor) == (S.AWAITING_SHIPMENT, S.AWAITING_SHIPMENT, agent)
    assert "rejected" in row.reason and "Found it cheaper" in row.reason


def answer(how, order, user, request_id):
    if how == "approve":
        return approve_cancellation(order, user, request_id=request_id, expected_status=order.status)
    return reject_cancellation(order, user, request_id=request_id)


@pytest.mark.parametrize("how", ["approve", "reject"])
@pytest.mark.parametrize("settled", [C.SUCCESS, C.CANCEL, C.COMPLETE])
def test_an_answered_request_cannot_be_answered_again(how, settled, order, agent):
    request = CancellationRequestFactory(order=order, status=settled)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="already answered"):
        answer(how, order, agent, request.pk)
    assert snapshot(order) == before


@pytest.mark.parametrize("how", ["approve", "reject"])
def test_answering_twice(how, order, agent):
    request = CancellationRequestFactory(order=order)
    answer(how, order, agent, request.pk)
    order.refresh_from_db()
    before = snapshot(order)
    with pytest.raises(ActionRefused):
        answer(how, order, agent, request.pk)
    assert snapshot(order) == before


@pytest.mark.parametrize("how", ["approve", "reject"])
def test_another_orders_request_is_refused(how, shop, order, agent):
    elsewhere = CancellationRequestFactory(order=OrderFactory(shop=shop))
    before, before_elsewhere = snapshot(order), snapshot(elsewhere.order)
    with pytest.raises(ActionRefused, match="does not belong to this order"):
        answer(how, order, agent, elsewhere.pk)
    assert (snapshot(order), snapshot(elsewhere.order)) == (before, before_elsewhere)


@pytest.mark.parametrize("status", [S.PARTIALLY_SHIPPING, S.IN_TRANSIT, S.DELIVERED, S.COMPLETED, S.CANCELLED])
def test_a_request_on_a_shipped_order_cannot_be_approved(status, shop, agent):
    order = OrderFactory(shop=shop, status=status)
    request = CancellationRequestFactory(order=order)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="not possible"):
        approve_cancellation(order, agent, request_id=request.pk, expected_status=status)
    assert snapshot(order) == before


LONG_REASON = "The buyer explains at length why the order is no longer wanted. " * 3 + "x" * 8


@pytest.mark.parametrize("how", ["approve", "reject"])
def test_a_long_buyer_reason_fits_the_history(how, order, agent):
    assert len(LONG_REASON) == 200  # as long as CancellationRequest.reason allows
    request = CancellationRequestFactory(order=order, reason=LONG_REASON)
    answer(how, order, agent, request.pk)  # PostgreSQL: DataError, value too long for varchar(200)
    order.refresh_from_db()
    (row,) = history_of(order)
    assert len(row.reason) <= 200  # SQLite stores the overlong text as is
    assert len(order.cancel_reason) <= 200
