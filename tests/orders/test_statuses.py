import pytest

from orders.statuses import FINAL_STATUSES, TRANSITIONS, OrderStatus, can_transition

S = OrderStatus


def reachable_from(start):
    seen, todo = {start}, [start]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_status_has_a_row():
    assert set(TRANSITIONS) == set(OrderStatus)


def test_every_status_is_reachable_from_unpaid():
    assert reachable_from(S.UNPAID) == set(OrderStatus)


def test_completed_and_cancelled_are_final():
    assert FINAL_STATUSES == {S.COMPLETED, S.CANCELLED}


@pytest.mark.parametrize(
    ("from_status", "to_status", "allowed"),
    [
        (S.UNPAID, S.ON_HOLD, True),
        (S.UNPAID, S.AWAITING_SHIPMENT, False),
        (S.ON_HOLD, S.CANCELLED, True),
        (S.AWAITING_SHIPMENT, S.AWAITING_COLLECTION, True),
        (S.AWAITING_SHIPMENT, S.PARTIALLY_SHIPPING, True),
        (S.AWAITING_SHIPMENT, S.DELIVERED, False),
        (S.AWAITING_COLLECTION, S.CANCELLED, True),
        (S.IN_TRANSIT, S.CANCELLED, False),  # once the carrier has it, it cannot be cancelled
        (S.IN_TRANSIT, S.DELIVERED, True),
        (S.DELIVERED, S.COMPLETED, True),
        (S.COMPLETED, S.CANCELLED, False),
        (S.CANCELLED, S.AWAITING_SHIPMENT, False),
    ],
)
def test_transition_table(from_status, to_status, allowed):
    assert can_transition(from_status, to_status) is allowed
