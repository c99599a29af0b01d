from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import (
    OrderFactory,
    PackageFactory,
    ReturnRequestFactory,
    StatusHistoryFactory,
    TrackingEventFactory,
)

pytestmark = pytest.mark.django_db


def url(order):
    return reverse("order_detail", args=[order.pk])


def test_another_shops_order_is_404(client, shop, other_shop, member_of):
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert client.get(url(OrderFactory(shop=other_shop))).status_code == 404
    assert client.get("/orders/576000000000000001/").status_code == 404


def test_shows_everything_about_the_order(client, shop, member_of, django_assert_max_num_queries):
    order = OrderFactory(
        shop=shop,
        status=OrderStatus.IN_TRANSIT,
        buyer_message="Please gift wrap",
        shipped_at=timezone.now() - timedelta(days=1),
    )
    package = PackageFactory(order=order, tracking_number="9400111122223333444455")
    TrackingEventFactory(package=package, description="Arrived at sorting centre")
    StatusHistoryFactory(
        order=order, from_status="AWAITING_COLLECTION", to_status="IN_TRANSIT", reason="Collected by carrier"
    )
    ReturnRequestFactory(order=order)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    with django_assert_max_num_queries(30):
        page = client.get(url(order)).text
    for text in (
        "9400111122223333444455",
        "Arrived at sorting centre",
        "Collected by carrier",
        "Please gift wrap",
        "Refund only",
        "Estimated delivery",
        "America/Los_Angeles",
        "Oversized Cotton Tee",
    ):
        assert text in page, text


@pytest.mark.parametrize(
    ("role", "sees"),
    [(Role.ADMINISTRATOR, True), (Role.VIEWER, False), (Role.ACCOUNTANT, False), (Role.FULFILLMENT, False)],
)
def test_buyer_pii_masked_by_role(client, shop, member_of, role, sees):
    """Masked for everyone at first; a PII role sees it after the recorded "Show buyer details" click."""
    order = OrderFactory(shop=shop, buyer_name="Alice Walker", buyer_email="alice@example.com")
    client.force_login(member_of(shop, role))
    page = client.get(url(order)).text
    assert "alice@example.com" not in page and "a***e@e***.com" in page
    assert ("Show buyer details" in page) is (role in {Role.ADMINISTRATOR, Role.FULFILLMENT})
    client.post(reverse("order_reveal_buyer", args=[order.pk]))
    page = client.get(url(order)).text
    assert ("alice@example.com" in page) is sees
    assert ("a***e@e***.com" in page) is not sees


@pytest.mark.parametrize(
    ("role", "forms"),
    [
        (Role.ADMINISTRATOR, {"arrange_shipment", "cancel", "refund", "add_note", "message_buyer"}),
        (Role.FULFILLMENT, {"arrange_shipment"}),
        (Role.CUSTOMER_SERVICE, {"cancel", "refund", "add_note", "message_buyer"}),
        (Role.VIEWER, set()),
    ],
)
def test_offers_only_what_the_role_may_do(client, shop, member_of, role, forms):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, role))
    page = client.get(url(order)).text
    for action in ("arrange_shipment", "cancel", "refund", "add_note", "message_buyer"):
        assert (f"/actions/{action}/" in page) is (action in forms), action
