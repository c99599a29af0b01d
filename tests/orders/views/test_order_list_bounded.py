"""A search that read its matches first (ids, SKU, tracking number, buyer name) lets the list read all
matches once for the shops, tab counts and page: it must show exactly what the general path shows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from orders import filters
from orders.listing import limits
from orders.listing import order_list as listing
from orders.listing.matches import SearchFacts
from orders.models import Order
from orders.statuses import OrderStatus
from tests.factories import (
    CancellationRequestFactory,
    LineItemFactory,
    OrderFactory,
    PackageFactory,
    ShopFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("order_list")
STATUSES = [
    OrderStatus.UNPAID,
    OrderStatus.AWAITING_SHIPMENT,
    OrderStatus.IN_TRANSIT,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
    OrderStatus.AWAITING_COLLECTION,
]


@pytest.fixture
def world(shop, member_of):
    other = ShopFactory(name="Second Shop")
    user = member_of(shop, Role.ADMINISTRATOR)
    from tests.factories import MembershipFactory

    MembershipFactory(shop=other, role=Role.ADMINISTRATOR, user=user)
    now = timezone.now().replace(microsecond=0)
    orders = []
    for n in range(26):
        status = STATUSES[n % len(STATUSES)]
        order = OrderFactory(
            shop=(shop, other)[n % 2],
            status=status,
            buyer_name=f"Alice Walker {n}",
            created_at=now - timedelta(hours=n % 9, minutes=n % 4),
            paid_at=None if status == OrderStatus.UNPAID else now - timedelta(hours=n % 5),
            original_product_total=Decimal(10 + n % 7),
            line=None,
        )
        LineItemFactory(order=order, seller_sku="SKU-SHARED" if n % 3 else f"SKU-{n}")
        PackageFactory(order=order, tracking_number="TRK-SHARED" if n % 4 == 0 else f"TRK{n:04d}")
        orders.append(order)
    CancellationRequestFactory(order=orders[4])
    return user, orders


def without_search_facts(patch):
    """The general path: the list knows nothing of what the searches found out first."""
    patch.setattr(filters.OrderFilter, "search_facts", property(lambda self: SearchFacts()))


def shown(client, params):
    response = client.get(URL, params)
    assert response.status_code in (200, 400)
    page = response.context.get("page")
    return response.status_code, response.context.get("counts"), [o.pk for o in page.rows] if page else None


@pytest.mark.parametrize("search", ["product=SKU-SHARED", "tracking=TRK-SHARED", "buyer=alice", "q=SKU-SHARED"])
@pytest.mark.parametrize("materialise", [None, 1], ids=["ids read first", "matched in the database"])
def test_bounded_search_shows_what_the_general_path_shows(client, world, monkeypatch, search, materialise):
    user, orders = world
    client.force_login(user)
    if materialise is not None:  # e.g. a common first name: a subquery bounded by the count of its matches
        monkeypatch.setattr(limits, "MATERIALISE_LIMIT", materialise)
    key, value = search.split("=")
    for tab in ("all", "unpaid", "to_ship", "shipped", "completed", "cancelled", "after_sales"):
        for sort in ("-created", "paid", "-total"):
            params = {key: value, "tab": tab, "sort": sort, "page_size": 20}
            fast = shown(client, params)
            with monkeypatch.context() as patched:
                without_search_facts(patched)
                general = shown(client, params)
            assert fast == general, (tab, sort)


def test_order_ids_search_is_bounded(client, world, monkeypatch):
    user, orders = world
    client.force_login(user)
    params = {"order_ids": " ".join(str(o.pk) for o in orders[:9]), "tab": "to_ship"}
    fast = shown(client, params)
    without_search_facts(monkeypatch)
    assert fast == shown(client, params)


@pytest.mark.parametrize("search", ["product=SKU-SHARED", "q=SKU-SHARED"])
@pytest.mark.parametrize("cap", [5, 1_000], ids=["floor over the cap", "floor under the cap"])
def test_a_common_search_shows_what_reading_its_matches_shows(client, world, monkeypatch, search, cap):
    """A search found to match many orders (an EXISTS) skips the read that would find "All" over the cap."""
    user, orders = world
    client.force_login(user)
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 3)  # every shared SKU / tracking number is common
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # and probed by an EXISTS
    monkeypatch.setattr(limits, "TAB_COUNT_CAP", cap)
    floors = []
    counted = listing.count_tabs
    monkeypatch.setattr(
        listing,
        "count_tabs",
        lambda queryset, scope, sort, facts: floors.append(facts.floor) or counted(queryset, scope, sort, facts),
    )
    key, value = search.split("=")
    for tab in ("all", "unpaid", "to_ship", "completed", "after_sales"):
        for shop in ("", orders[0].shop.code):
            params = {key: value, "tab": tab, "sort": "-created"} | ({"shop": shop} if shop else {})
            fast = shown(client, params)
            assert floors.pop() > 3
            with monkeypatch.context() as patched:
                without_search_facts(patched)
                general = shown(client, params)
            assert fast == general, (tab, shop)


@pytest.fixture
def spied_reads(monkeypatch):
    """The words-table reads of the list (orders.buyer_words.read_keys), as (shop_ids, limit)."""
    from orders import buyer_words

    calls, read = [], buyer_words.read_keys
    monkeypatch.setattr(
        buyer_words,
        "read_keys",
        lambda words, shop_ids, limit, *, using: (
            calls.append((sorted(shop_ids), limit)) or read(words, shop_ids, limit, using=using)
        ),
    )
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 1)  # "alice": a subquery, bounded by its count
    return calls


@pytest.mark.parametrize(
    ("params", "read"),
    [
        ({"buyer": "alice"}, True),  # the one filter, newest first: its keys come from the words table
        ({"buyer": "alice", "sort": "created"}, True),
        ({"buyer": "alice", "sort": "-total"}, False),  # the words table holds no totals
        ({"buyer": "alice", "status": "COMPLETED"}, False),  # another filter: the orders are read
    ],
)
def test_a_lone_buyer_search_reads_its_matches_from_the_words_table(client, world, spied_reads, params, read):
    user, _ = world
    client.force_login(user)
    assert client.get(URL, params).status_code == 200
    assert bool(spied_reads) is read


def test_the_words_table_read_keeps_to_the_shops_whose_buyer_data_the_role_sees(
    client, world, spied_reads, monkeypatch
):
    user, orders = world
    shop_without_pii = orders[1].shop
    from accounts.models import Membership

    membership = Membership.objects.get(user=user, shop=shop_without_pii)
    membership.role = Role.FULFILLMENT  # no buyer data there: the search leaves that shop out
    membership.save()
    client.force_login(user)
    fast = shown(client, {"buyer": "alice"})
    assert spied_reads and all(shop_without_pii.pk not in shops for shops, _ in spied_reads)
    without_search_facts(monkeypatch)
    assert fast == shown(client, {"buyer": "alice"})
    assert fast[2] and all(o.shop_id != shop_without_pii.pk for o in Order.objects.filter(pk__in=fast[2]))
