import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
URL = reverse("bulk_ship")


def test_ships_the_selected_orders(client, shop, other_shop, member_of):
    a, b, untouched = OrderFactory(shop=shop), OrderFactory(shop=shop), OrderFactory(shop=shop)
    theirs = OrderFactory(shop=other_shop)
    client.force_login(member_of(shop, Role.FULFILLMENT))
    page = client.post(URL, {"order": [a.pk, b.pk, theirs.pk], "carrier": "UPS"}, follow=True).text
    assert "Shipment arranged for 2 orders" in page
    assert "not yours to ship" in page
    statuses = {o.pk: o.status for o in (a, b, untouched, theirs) if not o.refresh_from_db()}
    assert [statuses[a.pk], statuses[b.pk]] == [OrderStatus.AWAITING_COLLECTION] * 2
    theirs.refresh_from_db()
    untouched.refresh_from_db()
    assert theirs.status == untouched.status == OrderStatus.AWAITING_SHIPMENT


def test_all_matching_orders(client, shop, member_of):
    to_ship = [OrderFactory(shop=shop) for _ in range(3)]
    unpaid = OrderFactory(shop=shop, status=OrderStatus.UNPAID, paid_at=None)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    page = client.post(URL, {"all_matching": "1", "query": "tab=to_ship", "carrier": "FedEx"}, follow=True).text
    assert "Shipment arranged for 3 orders" in page
    assert all(o.packages.count() == 1 for o in to_ship) and not unpaid.packages.exists()


def test_role_without_shipping_ships_nothing(client, shop, member_of):
    order = OrderFactory(shop=shop)
    client.force_login(member_of(shop, Role.VIEWER))
    response = client.post(URL, {"order": [order.pk], "carrier": "UPS"})
    assert response.status_code == 403 and "Arrange shipment" in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_SHIPMENT


def test_refusals_are_listed(client, shop, member_of):
    unpaid = OrderFactory(shop=shop, status=OrderStatus.UNPAID, paid_at=None)
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    page = client.post(URL, {"order": [unpaid.pk], "carrier": "UPS"}, follow=True).text
    assert str(unpaid.pk) in page and "not possible" in page


def test_ids_beyond_64_bits_are_refused_with_a_message(client, shop, member_of):
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    page = client.post(URL, {"order": ["99999999999999999999"], "carrier": "UPS"}, follow=True)
    assert page.status_code == 200 and "not an order id" in page.text
