from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import CancellationRequestFactory, OrderFactory

pytestmark = pytest.mark.django_db


def test_pending_actions_board_counts_and_links(client, shop, other_shop, member_of):
    now = timezone.now()
    OrderFactory(shop=shop, rts_sla_at=now + timedelta(hours=5))
    OrderFactory(shop=shop, rts_sla_at=now - timedelta(hours=5))
    OrderFactory(shop=other_shop, rts_sla_at=now - timedelta(hours=5))  # not mine
    CancellationRequestFactory(order=OrderFactory(shop=shop))
    client.force_login(member_of(shop, Role.VIEWER))
    page = client.get(reverse("home"))
    board = {key: count for key, _, count in page.context["board"]}
    assert board == {
        "ship_within_24h": 1,
        "ship_overdue": 1,
        "auto_cancel_24h": 0,
        "cancellation_requested": 1,
        "return_requested": 0,
    }
    assert "/orders/?pending=ship_overdue" in page.text


def test_shop_switcher(client, shop, other_shop, member_of):
    user = member_of(shop, Role.VIEWER)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, shop=other_shop, role=Role.VIEWER)
    OrderFactory(
        shop=other_shop, status=OrderStatus.UNPAID, paid_at=None, created_at=timezone.now() - timedelta(hours=30)
    )
    client.force_login(user)
    all_shops = client.get(reverse("home")).context["board"]
    just_one = client.get(reverse("home"), {"shop": shop.code}).context["board"]
    assert {k: c for k, _, c in all_shops}["auto_cancel_24h"] == 1
    assert {k: c for k, _, c in just_one}["auto_cancel_24h"] == 0
    assert "All my shops" in client.get(reverse("home")).text
    assert "not one of yours" in client.get(reverse("home"), {"shop": "GCP_NOPE"}).text
