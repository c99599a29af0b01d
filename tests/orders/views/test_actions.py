import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.models import StatusHistory
from orders.statuses import OrderStatus
from tests.clients import SignedInClient
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
SHIP = {"carrier": "USPS", "tracking_number": "9400 1000 0000 0000 0000 01", "expected_status": "AWAITING_SHIPMENT"}


def url(order, action="arrange_shipment"):
    return reverse("order_action", args=[order.pk, action])


def test_arrange_shipment_then_the_timeline_shows_it(client, shop, member_of):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.FULFILLMENT))
    response = client.post(url(order), SHIP, follow=True)
    assert response.status_code == 200
    assert "Shipment arranged." in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_COLLECTION
    assert order.carrier == "USPS"  # the list's carrier filter reads it from the order
    assert "9400100000000000000001" in response.text  # the normalised tracking number in the timeline


def test_get_is_405(client, shop, member_of):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert client.get(url(order)).status_code == 405


def test_post_without_csrf_token_is_403(shop, member_of):
    order = OrderFactory(shop=shop)
    strict = SignedInClient(enforce_csrf_checks=True)
    strict.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert strict.post(url(order), SHIP).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


def test_another_shops_order_is_404_even_for_actions(client, shop, other_shop, member_of):
    order = OrderFactory(shop=other_shop)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert client.post(url(order), SHIP).status_code == 404


def test_unknown_action_is_404(client, shop, member_of):
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert client.post(url(OrderFactory(shop=shop), "teleport"), {}).status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.FULFILLMENT, True),
        (Role.CUSTOMER_SERVICE, False),
        (Role.ACCOUNTANT, False),
        (Role.VIEWER, False),
    ],
)
def test_role_decides(client, shop, member_of, role, allowed):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, role))
    response = client.post(url(order), SHIP)
    assert response.status_code == (302 if allowed else 403)
    assert StatusHistory.objects.filter(order=order).exists() is allowed


def test_second_shipper_gets_a_clear_message_and_one_history_row(client, shop, member_of):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.FULFILLMENT))
    client.post(url(order), SHIP)
    second = client.post(url(order), {**SHIP, "tracking_number": "9400100000000000000002"}, follow=True)
    assert "someone changed it while you were looking" in second.text
    assert StatusHistory.objects.filter(order=order).count() == 1
    assert order.packages.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**SHIP, "carrier": "Pigeon Post"}, "valid choice"),
        ({**SHIP, "tracking_number": ""}, "required"),
        ({**SHIP, "tracking_number": "#"}, "6 to 40 letters or digits"),
        ({k: v for k, v in SHIP.items() if k != "expected_status"}, "required"),
    ],
)
def test_bad_action_input_gets_a_message(client, shop, member_of, data, message):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.FULFILLMENT))
    page = client.post(url(order), data, follow=True).text
    assert message in page
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("cancel", {"reason": "Out of stock", "expected_status": "AWAITING_SHIPMENT"}),
        ("refund", {"amount": "5.00", "reason": "Scratched", "expected_status": "AWAITING_SHIPMENT"}),
        ("add_note", {"text": "Call the buyer", "color": "red", "expected_status": "AWAITING_SHIPMENT"}),
        ("message_buyer", {"body": "Your parcel leaves today", "expected_status": "AWAITING_SHIPMENT"}),
    ],
)
def test_customer_service_actions_through_the_page(client, shop, member_of, action, data):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.CUSTOMER_SERVICE))
    response = client.post(url(order, action), data, follow=True)
    assert response.status_code == 200
    assert StatusHistory.objects.filter(order=order).count() == 1
    assert response.context["messages"] and "msg-success" in response.text
