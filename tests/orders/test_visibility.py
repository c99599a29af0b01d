"""orders_visible_to is the one choke point: a membership change shows on the very next request."""

import pytest
from django.urls import reverse

from accounts.roles import Perm, Role
from orders.selectors.visibility import orders_visible_to
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_members_see_only_their_shops_orders(shop, other_shop, member_of):
    mine, theirs = OrderFactory(shop=shop), OrderFactory(shop=other_shop)
    user = member_of(shop, Role.VIEWER)
    assert list(orders_visible_to(user)) == [mine]
    assert theirs not in orders_visible_to(user)


def test_visibility_by_permission(shop, member_of):
    OrderFactory(shop=shop)
    viewer = member_of(shop, Role.VIEWER)
    assert orders_visible_to(viewer, Perm.EXPORT_ORDERS).count() == 0
    assert orders_visible_to(member_of(shop, Role.ACCOUNTANT), Perm.EXPORT_ORDERS).count() == 1


def test_anonymous_and_shopless_users_see_nothing(shop):
    from django.contrib.auth.models import AnonymousUser

    OrderFactory(shop=shop)
    assert orders_visible_to(AnonymousUser()).count() == 0
    assert orders_visible_to(UserFactory()).count() == 0


def test_membership_change_takes_effect_on_the_next_request(client, shop, other_shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    client.force_login(user)
    assert shop.name in client.get(reverse("home")).text
    user.memberships.get(shop=shop).delete()
    page = client.get(reverse("home")).text
    assert shop.name not in page
    assert orders_visible_to(user).count() == 0
