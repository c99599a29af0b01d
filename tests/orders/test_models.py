from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders.models import Order
from tests.factories import LineItemFactory, OrderFactory, PackageFactory, ReturnRequestFactory

pytestmark = pytest.mark.django_db


def test_factory_order_keeps_the_money_invariants():
    order = OrderFactory(
        original_product_total=Decimal("80.00"),
        seller_discount=Decimal("8.00"),
        platform_discount=Decimal("2.50"),
        tax=Decimal("5.10"),
    )
    assert order.money_is_consistent()
    assert order.subtotal == Decimal("69.50")
    assert order.total == Decimal("80.59")
    line = order.lines.get()
    assert line.line_total == order.subtotal


def test_money_round_trips_as_decimal():
    order = OrderFactory(original_product_total=Decimal("19.99"))
    fresh = Order.objects.get(pk=order.pk)
    assert isinstance(fresh.total, Decimal)
    assert fresh.total == Decimal("25.98")


def test_order_ids_are_18_digit_platform_ids():
    assert all(len(str(OrderFactory().pk)) == 18 for _ in range(5))
    assert len(str(PackageFactory().pk)) == 18


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "SHIPPED_BY_PIGEON"}, "order_status_known"),
        ({"total": Decimal("-1.00")}, "order_total_not_negative"),
        ({"refunded_amount": Decimal("999.00")}, "order_refund_within_total"),
        ({"refunded_amount": Decimal("-0.01")}, "order_refund_within_total"),
    ],
)
def test_database_refuses_impossible_orders(fields, constraint):
    order = OrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(**fields)


def test_line_quantity_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        LineItemFactory(quantity=0)


def test_refund_amount_never_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnRequestFactory(refund_amount=Decimal("-5.00"))


@pytest.mark.parametrize(
    ("bill", "differs"),
    [
        ({}, False),
        ({"bill_postcode": "10001"}, True),
        ({"bill_country": "CA"}, True),
        ({"bill_line1": ""}, False),  # no billing address given
    ],
)
def test_billing_differs(bill, differs):
    assert OrderFactory(**bill).billing_differs is differs


def test_inconsistent_money_is_detected():
    order = OrderFactory()
    order.tax += Decimal("0.01")
    assert not order.money_is_consistent()
