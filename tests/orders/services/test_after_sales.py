"""Refunds and answers to return/refund requests (orders/services/after_sales.py)."""

from decimal import Decimal

import pytest

from orders.models import ReturnRequest
from orders.services import ActionRefused
from orders.services.after_sales import approve_return, refund, refundable, reject_return
from orders.statuses import ActorKind, OrderStatus, ReturnStatus, ReturnType
from tests.factories import OrderFactory, ReturnRequestFactory

from .scenarios import history_of, snapshot

pytestmark = pytest.mark.django_db
S = OrderStatus
R = ReturnStatus
D = Decimal


@pytest.fixture
def order(shop):
    order = OrderFactory(shop=shop, status=S.DELIVERED)  # total 55.99
    assert order.total == D("55.99")
    return order


def refunded(order):
    order.refresh_from_db()
    assert isinstance(order.refunded_amount, Decimal)
    return order.refunded_amount


def test_full_refund(order, agent):
    given = refund(order, agent, amount=D("55.99"), reason="  Never arrived  ")
    assert refunded(order) == D("55.99")
    assert refundable(order) == D("0.00")
    given.refresh_from_db()
    assert (given.initiator, given.return_type, given.status, given.reason, given.resolved_by) == (
        ActorKind.SELLER,
        ReturnType.REFUND,
        R.SUCCESS,
        "Never arrived",
        agent,
    )
    assert given.refund_amount == D("55.99") and isinstance(given.refund_amount, Decimal)
    (row,) = history_of(order)
    assert (row.actor, row.from_status, row.to_status) == (agent, S.DELIVERED, S.DELIVERED)
    assert "55.99 USD" in row.reason and "Never arrived" in row.reason


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10", D("10.00")), (12.5, D("12.50")), (D("0.01"), D("0.01")), (3, D("3.00")), (" 7.25 ", D("7.25"))],
)
def test_partial_refund(amount, expected, order, agent):
    given = refund(order, agent, amount=amount, reason="Scratched")
    assert given.refund_amount == expected
    assert refunded(order) == expected
    assert refundable(order) == D("55.99") - expected


def test_refunds_never_exceed_what_was_paid(order, agent):
    refund(order, agent, amount="30.00", reason="Half the set was missing")
    before = snapshot(order)
    with pytest.raises(ActionRefused, match=r"At most 25\.99 USD.*already refunded 30\.00"):
        refund(order, agent, amount="26.00", reason="And the rest")
    assert snapshot(order) == before
    assert ReturnRequest.objects.filter(order=order).count() == 1
    refund(order, agent, amount="25.99", reason="And the rest")
    assert refunded(order) == D("55.99")
    with pytest.raises(ActionRefused, match="At most 0.00"):
        refund(order, agent, amount="0.01", reason="One more cent")


def test_one_refund_above_the_total_is_refused(order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="At most 55.99"):
        refund(order, agent, amount="56.00", reason="Too generous")
    assert snapshot(order) == before


@pytest.mark.parametrize(
    "amount", [0, "0", "0.00", "0.004", "-1", D("-0.01"), "abc", "", None, "1,50", "Infinity", "1e100"]
)
def test_bad_amounts_are_refused(amount, order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="refund amount"):
        refund(order, agent, amount=amount, reason="Goodwill")
    assert snapshot(order) == before


def test_nan_is_refused(order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="refund amount"):
        refund(order, agent, amount="NaN", reason="Goodwill")
    assert snapshot(order) == before


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_refund_needs_a_reason(reason, order, agent):
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="why"):
        refund(order, agent, amount="1.00", reason=reason)
    assert snapshot(order) == before


@pytest.mark.parametrize(("status", "message"), [(S.UNPAID, "not possible"), (S.CANCELLED, "never paid")])
def test_unpaid_orders_are_not_refunded(status, message, shop, agent):
    order = OrderFactory(shop=shop, status=status, paid_at=None)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match=message):
        refund(order, agent, amount="1.00", reason="Goodwill")
    assert snapshot(order) == before


def test_a_paid_then_cancelled_order_can_be_refunded(shop, agent):
    order = OrderFactory(shop=shop, status=S.CANCELLED)
    refund(order, agent, amount=order.total, reason="Cancelled after payment")
    assert refunded(order) == order.total


def test_approving_a_refund_request_pays_at_once(order, agent):
    request = ReturnRequestFactory(order=order, return_type=ReturnType.REFUND, refund_amount=D("10.00"))
    approve_return(order, agent, return_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (R.SUCCESS, agent)
    assert refunded(order) == D("10.00")
    (row,) = history_of(order)
    assert row.actor == agent and "10.00 USD refunded" in row.reason


def test_return_and_refund_waits_for_the_item(order, agent):
    request = ReturnRequestFactory(order=order, return_type=ReturnType.RETURN_AND_REFUND, refund_amount=D("20.00"))
    approve_return(order, agent, return_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.resolved_at) == (R.AWAITING_BUYER_SHIP, None)
    assert refunded(order) == D("0.00")
    assert len(history_of(order)) == 1

    before = snapshot(order)
    with pytest.raises(ActionRefused, match="not sent the item back"):
        approve_return(order, agent, return_id=request.pk)
    assert snapshot(order) == before

    ReturnRequest.objects.filter(pk=request.pk).update(status=R.BUYER_SHIPPED_ITEM)  # the buyer's side
    approve_return(order, agent, return_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (R.SUCCESS, agent)
    assert refunded(order) == D("20.00")
    assert len(history_of(order)) == 2


def test_an_approved_request_cannot_pay_more_than_is_left(order, agent):
    refund(order, agent, amount="50.00", reason="Most of it")
    request = ReturnRequestFactory(order=order, refund_amount=D("10.00"))
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="At most 5.99"):
        approve_return(order, agent, return_id=request.pk)
    assert snapshot(order) == before


def test_reject_a_request(order, agent):
    request = ReturnRequestFactory(order=order)
    reject_return(order, agent, return_id=request.pk, reason="  The photos show no damage ")
    request.refresh_from_db()
    assert (request.status, request.resolved_by) == (R.REJECT, agent)
    assert refunded(order) == D("0.00")
    (row,) = history_of(order)
    assert row.actor == agent and row.reason.endswith(": The photos show no damage")


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_rejecting_needs_a_reason(reason, order, agent):
    request = ReturnRequestFactory(order=order)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="Say why"):
        reject_return(order, agent, return_id=request.pk, reason=reason)
    assert snapshot(order) == before


def answer(how, order, user, return_id):
    if how == "approve":
        return approve_return(order, user, return_id=return_id)
    return reject_return(order, user, return_id=return_id, reason="No")


@pytest.mark.parametrize("how", ["approve", "reject"])
@pytest.mark.parametrize("settled", [R.SUCCESS, R.REJECT])
def test_a_settled_request_cannot_be_answered(how, settled, order, agent):
    request = ReturnRequestFactory(order=order, status=settled)
    before = snapshot(order)
    with pytest.raises(ActionRefused, match="already settled"):
        answer(how, order, agent, request.pk)
    assert snapshot(order) == before


@pytest.mark.parametrize("how", ["approve", "reject"])
def test_another_orders_request_is_refused(how, shop, order, agent):
    elsewhere = ReturnRequestFactory(order=OrderFactory(shop=shop, status=S.DELIVERED))
    before, before_elsewhere = snapshot(order), snapshot(elsewhere.order)
    with pytest.raises(ActionRefused, match="does not belong to this order"):
        answer(how, order, agent, elsewhere.pk)
    assert (snapshot(order), snapshot(elsewhere.order)) == (before, before_elsewhere)
