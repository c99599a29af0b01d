from decimal import Decimal

import pytest

from accounts.models import Membership
from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import LineItemFactory, OrderFactory, PackageFactory

from .client import ok

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("repeated", [False, True], ids=["comma-separated", "repeated"])
@pytest.mark.parametrize("version", ["202309", "202507"])
def test_details_by_either_ids_style(api, shop, other_shop, repeated, version):
    mine = OrderFactory.create_batch(3, shop=shop)
    theirs = OrderFactory(shop=other_shop)
    wanted = [mine[2].pk, theirs.pk, 576000000000000001, mine[0].pk]
    data = ok(api.details(wanted, repeated=repeated, version=version))
    assert [o["id"] for o in data["orders"]] == [str(mine[2].pk), str(mine[0].pk)]


def test_the_order_object(api, shop):
    order = OrderFactory(
        shop=shop,
        status=OrderStatus.IN_TRANSIT,
        line=None,
        buyer_message="Leave at door",
        original_product_total=Decimal("30.00"),
        seller_discount=Decimal("1.00"),
    )
    package = PackageFactory(order=order, carrier="UPS", tracking_number="1Z999")
    LineItemFactory(
        order=order,
        quantity=3,
        original_price=Decimal("10.00"),
        sale_price=Decimal("9.67"),
        seller_discount=Decimal("1.00"),
        package=package,
        sku_name="Red, L",
    )
    (data,) = ok(api.details([order.pk]))["orders"]
    assert data["id"] == str(order.pk) and data["status"] == "IN_TRANSIT"
    assert data["create_time"] == int(order.created_at.timestamp()) and isinstance(data["paid_time"], int)
    assert data["payment"]["total_amount"] == f"{order.total:.2f}" and data["payment"]["currency"] == "USD"
    assert data["payment"]["seller_discount"] == "1.00"
    units = data["line_items"]
    assert len(units) == 3 and len({u["id"] for u in units}) == 3  # one element per unit
    assert sorted(u["seller_discount"] for u in units) == ["0.33", "0.33", "0.34"]
    assert {u["package_id"] for u in units} == {str(package.pk)} and units[0]["tracking_number"] == "1Z999"
    assert units[0]["shipping_provider_name"] == "UPS" and units[0]["sku_name"] == "Red, L"
    assert data["packages"] == [{"id": str(package.pk)}]
    assert data["tracking_number"] == "1Z999" and data["buyer_message"] == "Leave at door"
    address = data["recipient_address"]
    assert address["name"] == order.ship_name and address["address_line1"] == "200 N Spring St"
    assert address["postal_code"] == "90012" and address["region_code"] == "US"
    assert {"address_level": "L1", "address_level_name": "State", "address_name": "California"} in address[
        "district_info"
    ]
    assert data["buyer_email"] == order.buyer_email


def test_pii_follows_the_authorising_administrators_permissions(api, shop, administrator):
    order = OrderFactory(shop=shop, buyer_email="jane.doe@example.com")
    membership = Membership.objects.get(user=administrator, shop=shop)
    membership.role = Role.ACCOUNTANT  # no buyer PII, no address
    membership.save()
    (data,) = ok(api.details([order.pk]))["orders"]
    assert data["buyer_email"] == "j***e@e***.com"
    assert data["recipient_address"]["address_line1"] == "***"
    assert "*" in data["recipient_address"]["name"] and "*" in data["recipient_address"]["phone_number"]


def test_address_hidden_while_unpaid_even_with_pii(api, shop):
    order = OrderFactory(shop=shop, status=OrderStatus.UNPAID, paid_at=None)
    (data,) = ok(api.details([order.pk]))["orders"]
    assert data["recipient_address"]["address_line1"] == "***" and "paid_time" not in data


def test_shop_access_ends_when_the_administrator_leaves(api, shop, administrator):
    order = OrderFactory(shop=shop)
    Membership.objects.filter(user=administrator, shop=shop).delete()
    response = api.details([order.pk])
    assert response.status_code == 403 and response.json()["code"] == 105005
