import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Perm, Role
from tests.factories import MembershipFactory, OrderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_shop_changelist",
        "admin:accounts_membership_changelist",
        "admin:auth_user_changelist",
        "admin:orders_order_changelist",
        "admin:orders_package_changelist",
        "admin:orders_product_changelist",
        "admin:orders_returnrequest_changelist",
        "admin:orders_cancellationrequest_changelist",
    ],
)
def test_admin_lists_open(admin_client, url_name, shop):
    MembershipFactory(shop=shop, role=Role.ACCOUNTANT)
    OrderFactory(shop=shop)
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_membership_list_filters_by_shop_and_role(admin_client, shop, other_shop):
    mine = MembershipFactory(shop=shop, role=Role.FULFILLMENT, user=UserFactory(username="packer1"))
    MembershipFactory(shop=other_shop, role=Role.FULFILLMENT, user=UserFactory(username="packer2"))
    MembershipFactory(shop=shop, role=Role.VIEWER, user=UserFactory(username="watcher"))
    page = admin_client.get(
        reverse("admin:accounts_membership_changelist"), {"shop__id__exact": shop.pk, "role__exact": Role.FULFILLMENT}
    ).text
    assert "packer1" in page and "packer2" not in page and "watcher" not in page
    assert mine.user.username in page


def test_user_admin_shows_shops_and_roles(admin_client, shop):
    membership = MembershipFactory(shop=shop, role=Role.CUSTOMER_SERVICE)
    listing = admin_client.get(reverse("admin:auth_user_changelist")).text
    assert f"{shop.name}: Customer Service" in listing
    detail = admin_client.get(reverse("admin:auth_user_change", args=[membership.user.pk])).text
    assert "shops and roles" in detail.lower()


def test_adding_a_member_in_the_shop_inline_grants_at_once(admin_client, shop):
    user = UserFactory(username="newhire")
    url = reverse("admin:accounts_shop_change", args=[shop.pk])
    data = {
        "name": shop.name,
        "code": shop.code,
        "country": shop.country,
        "currency": shop.currency,
        "time_zone": shop.time_zone,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": user.pk,
        "memberships-0-role": Role.ACCOUNTANT,
        "memberships-0-shop": shop.pk,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    assert Membership.objects.get(user=user, shop=shop).role == Role.ACCOUNTANT
    assert user.has_perm(Perm.EXPORT_ORDERS.full_name, shop)


def test_shop_admin_refuses_a_bad_time_zone(admin_client, shop):
    url = reverse("admin:accounts_shop_change", args=[shop.pk])
    data = {
        "name": shop.name,
        "code": shop.code,
        "country": "US",
        "currency": "USD",
        "time_zone": "Mars/Olympus",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not an IANA time zone" in response.text
