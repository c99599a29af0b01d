"""The has-message and billing-differs filters are written on their index expressions
(LENGTH(...) > 0, CAST(... AS integer) = 1): they must select exactly what the plain reading does."""

import pytest

from orders.models import Order
from orders.models.order import BILLING_DIFFERS, HAS_MESSAGE
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

SHIP = {"ship_country": "US", "ship_postcode": "90012", "ship_line1": "200 N Spring St"}
BILLS = [
    {"bill_country": "US", "bill_postcode": "90012", "bill_line1": "200 N Spring St"},  # same
    {"bill_country": "", "bill_postcode": "", "bill_line1": ""},  # none given
    {"bill_country": "CA", "bill_postcode": "90012", "bill_line1": "200 N Spring St"},
    {"bill_country": "US", "bill_postcode": "10001", "bill_line1": "200 N Spring St"},
    {"bill_country": "US", "bill_postcode": "90012", "bill_line1": "1 Main St"},
    {"bill_country": "", "bill_postcode": "", "bill_line1": "1 Main St"},  # line only
    {"bill_country": "US", "bill_postcode": "90012", "bill_line1": "200 n spring st"},  # case differs
]
MESSAGES = ["", "Please gift wrap", " ", "é"]


@pytest.fixture
def orders(shop):
    made = []
    for n, bill in enumerate(BILLS):
        made.append(OrderFactory(shop=shop, buyer_message=MESSAGES[n % len(MESSAGES)], **SHIP, **bill))
    return made


def test_billing_differs_selects_what_the_property_says(orders):
    differs = {o.pk for o in Order.objects.all() if o.billing_differs}
    assert set(Order.objects.filter(BILLING_DIFFERS).values_list("pk", flat=True)) == differs
    assert set(Order.objects.exclude(BILLING_DIFFERS).values_list("pk", flat=True)) == {o.pk for o in orders} - differs
    assert differs  # the data set has both kinds


def test_has_message_selects_non_empty_messages(orders):
    with_message = {o.pk for o in orders if o.buyer_message != ""}
    assert set(Order.objects.filter(HAS_MESSAGE).values_list("pk", flat=True)) == with_message
    assert set(Order.objects.exclude(HAS_MESSAGE).values_list("pk", flat=True)) == {o.pk for o in orders} - with_message
