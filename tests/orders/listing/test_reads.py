"""Every page plan gives one global ORDER BY (rows without a value last); the tab counts of every count
plan equal a plain ORM count per shop and per tab."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from orders.listing import limits
from orders.listing.matches import SearchFacts
from orders.listing.order_list import count_tabs, page_ids
from orders.listing.plan import NULLABLE_COLUMNS, PagePlan
from orders.listing.reads import SORT_COLUMNS, shops_with_matches
from orders.models import Order
from orders.statuses import OrderStatus
from orders.tabs import TABS, condition
from tests.factories import CancellationRequestFactory, OrderFactory, ShopFactory

pytestmark = pytest.mark.django_db
# PostgreSQL's Returns/Refunds count first reads the few open requests' order ids (two tables), then
# counts those orders by primary key (see orders/listing/dialects.py)
OPEN_REQUEST_READS = 2 if connection.vendor == "postgresql" else 0


@pytest.fixture
def mixed():
    now = timezone.now()
    shops = [ShopFactory(), ShopFactory(), ShopFactory()]
    for n in range(21):
        unpaid = n % 4 == 0
        OrderFactory(
            shop=shops[n % 3],
            created_at=now - timedelta(hours=n * 7 % 23, minutes=n),
            status=OrderStatus.UNPAID if unpaid else OrderStatus.AWAITING_SHIPMENT,
            paid_at=None if unpaid else now - timedelta(hours=n % 5, minutes=n),
            original_product_total=Decimal(10 + (n * 13) % 17),
        )
    return [s.pk for s in shops]


def expected(sort):
    column, descending = SORT_COLUMNS[sort]
    rows = list(Order.objects.values_list(column, "pk"))
    with_value = sorted((r for r in rows if r[0] is not None), reverse=descending)
    without = sorted((r for r in rows if r[0] is None), key=lambda r: r[1], reverse=descending)
    return [pk for _, pk in with_value + without]


def shops_and_tab_counts(queryset, shop_ids, bound=None, floor=0, sort="-created"):
    _, shops, counts, rows = count_tabs(queryset, shop_ids, sort, SearchFacts(bound=bound, floor=floor))
    return shops, counts, rows


PLANS = [PagePlan.DATABASE_MERGE, PagePlan.PER_SHOP_MERGE, PagePlan.SORT_HERE]


def merges(plan, sort):
    """DATABASE_MERGE is never chosen for a column that may be empty (NULLS LAST)."""
    return not (plan is PagePlan.DATABASE_MERGE and SORT_COLUMNS[sort][0] in NULLABLE_COLUMNS)


@pytest.mark.parametrize("plan", PLANS, ids=[plan.name for plan in PLANS])
@pytest.mark.parametrize("sort", list(SORT_COLUMNS))
@pytest.mark.parametrize(("offset", "size"), [(0, 5), (5, 5), (15, 10), (0, 50)])
def test_pages_match_one_global_order(mixed, sort, offset, size, plan):
    if not merges(plan, sort):
        return
    ids = page_ids(Order.objects.all(), mixed, sort, offset, size, plan)
    assert ids == expected(sort)[offset : offset + size]
    single = page_ids(Order.objects.filter(shop_id=mixed[0]), mixed[:1], sort, 0, 50, PagePlan.ONE_SHOP)
    assert single == [pk for pk in expected(sort) if Order.objects.get(pk=pk).shop_id == mixed[0]]


def test_shops_without_matches_are_left_out(mixed):
    assert shops_with_matches(Order.objects.filter(shop_id=mixed[1]), mixed) == [mixed[1]]


@pytest.fixture
def ties():
    """Equal times and totals across shops (the id decides), whole seconds beside fractions of one, totals
    whose text would order otherwise than their value (9.50 < 10.00 < 100.00)."""
    base = timezone.now().replace(microsecond=0)
    shops = [ShopFactory(), ShopFactory(), ShopFactory()]
    times = [
        base,
        base,
        base + timedelta(microseconds=500_000),
        base - timedelta(microseconds=1),
        base + timedelta(seconds=1),
        base,
        base + timedelta(microseconds=500_000),
    ]
    totals = ["9.50", "10.00", "100.00", "9.50", "10.00", "95.00", "100.00"]
    for n, (moment, total) in enumerate(zip(times, totals)):
        OrderFactory(
            shop=shops[n % 3],
            created_at=moment,
            paid_at=moment if n % 2 else None,
            original_product_total=Decimal(total),
            shipping_fee=Decimal("0"),
        )
    return [s.pk for s in shops]


@pytest.mark.parametrize("plan", PLANS, ids=[plan.name for plan in PLANS])
@pytest.mark.parametrize("sort", list(SORT_COLUMNS))
@pytest.mark.parametrize(("offset", "size"), [(0, 3), (2, 3), (0, 10)])
def test_ties_and_fractions_keep_one_global_order(ties, sort, offset, size, plan):
    if merges(plan, sort):
        assert page_ids(Order.objects.all(), ties, sort, offset, size, plan) == expected(sort)[offset : offset + size]


def _separately(queryset, shop_ids):
    """The reference: a plain ORM query per shop and per tab (what probes() folds into one statement)."""
    shops = list(shop_ids) if len(shop_ids) <= 1 else [s for s in shop_ids if queryset.filter(shop_id=s).exists()]
    scoped = queryset.filter(shop_id__in=shops)
    return shops, {
        key: min(
            (scoped.filter(condition(key)) if condition(key) is not None else scoped).count(), limits.TAB_COUNT_CAP + 1
        )
        for key in TABS
    }


@pytest.mark.parametrize("cap", [1_000, 5, 2], ids=["few", "over-cap", "far-over-cap"])
@pytest.mark.parametrize("scope", ["all", "one", "none"])
def test_shops_and_tab_counts_equal_the_separate_reads(mixed, monkeypatch, cap, scope):
    monkeypatch.setattr(limits, "TAB_COUNT_CAP", cap)
    CancellationRequestFactory(order=Order.objects.filter(shop_id=mixed[0]).first())
    Order.objects.filter(shop_id=mixed[2]).update(status=OrderStatus.COMPLETED)
    shop_ids = {"all": mixed, "one": mixed[1:2], "none": []}[scope]
    for queryset in (
        Order.objects.all(),
        Order.objects.filter(shop_id=mixed[1]),
        Order.objects.filter(status=OrderStatus.UNPAID),
        Order.objects.none(),
    ):
        assert shops_and_tab_counts(queryset, shop_ids)[:2] == _separately(queryset, shop_ids)
        shops, counts, matches = shops_and_tab_counts(queryset, shop_ids, bound=30, sort="-created")
        assert (shops, counts) == _separately(queryset, shop_ids)
        if shop_ids:  # every match was read, with its status and sort key
            expected_matches = queryset.filter(shop_id__in=shop_ids).values_list("shop_id", "status", "pk")
            assert sorted((shop, status, pk) for shop, status, _, pk in matches) == sorted(expected_matches)


def test_few_matches_are_counted_from_one_read(mixed, django_assert_max_num_queries):
    few = Order.objects.filter(pk__in=list(Order.objects.values_list("pk", flat=True)[:4]))
    with django_assert_max_num_queries(2 + OPEN_REQUEST_READS):  # the matches' (shop, status), Returns/Refunds
        shops, counts, _ = shops_and_tab_counts(few, mixed)
    assert (shops, counts) == _separately(few, mixed)


@pytest.mark.parametrize(("seen", "asked"), [(set(), 1), ({0}, 1), ({0, 1, 2}, 0)])
def test_shops_seen_with_matches_are_not_asked_again(mixed, seen, asked, django_assert_num_queries):
    """The shops not seen are asked in one statement; none when every shop was seen."""
    queryset = Order.objects.filter(shop_id__in=mixed[:2])  # the third shop has no match
    with django_assert_num_queries(asked):
        shops = shops_with_matches(queryset, mixed, seen={mixed[i] for i in seen})
    assert shops == [mixed[i] for i in range(3) if i < 2 or i in seen]


def test_over_the_cap_only_shops_unseen_in_the_read_are_asked(mixed, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(limits, "TAB_COUNT_CAP", 20)  # 21 orders: the read sees every shop, then stops
    with django_assert_max_num_queries(3 + OPEN_REQUEST_READS):  # the read, the status tabs' counts, Returns/Refunds
        shops, counts, _ = shops_and_tab_counts(Order.objects.all(), mixed)
    assert (shops, counts) == _separately(Order.objects.all(), mixed)


@pytest.mark.parametrize("scope", ["all", "one"])
def test_a_search_known_over_the_cap_is_counted_without_reading_its_matches(
    mixed, monkeypatch, scope, django_assert_max_num_queries
):
    monkeypatch.setattr(limits, "TAB_COUNT_CAP", 5)
    shop_ids = {"all": mixed, "one": mixed[1:2]}[scope]
    queryset = Order.objects.all()
    with django_assert_max_num_queries(len(shop_ids) + 6):  # which shops match, then the six tabs' counts
        shops, counts, matches = shops_and_tab_counts(queryset, shop_ids, floor=6)
    assert (shops, counts) == _separately(queryset, shop_ids) and matches is None
    assert shops_and_tab_counts(queryset, shop_ids)[:2] == (shops, counts)  # as when the read finds it out


@pytest.mark.parametrize("sort", ["-created", "total"])
def test_a_merge_over_nothing_is_an_empty_page(mixed, sort):
    for plan in PLANS:
        if merges(plan, sort):
            assert page_ids(Order.objects.filter(pk__in=[]), mixed, sort, 0, 5, plan) == []


@pytest.mark.parametrize("scope", ["all", "one"])
def test_returns_refunds_counted_by_rowid_equals_the_orm_count(mixed, monkeypatch, scope):
    """Over the cap the Returns/Refunds badge is counted apart (by rowid on SQLite): as the ORM counts it."""
    monkeypatch.setattr(limits, "TAB_COUNT_CAP", 2)
    for shop_id in mixed[:2]:  # open requests in two shops, on orders the filter keeps and on others
        for order in Order.objects.filter(shop_id=shop_id).order_by("-status", "pk")[:3]:
            CancellationRequestFactory(order=order)
    shop_ids = {"all": mixed, "one": mixed[:1]}[scope]
    queryset = Order.objects.filter(status=OrderStatus.AWAITING_SHIPMENT)
    _, counts, _ = shops_and_tab_counts(queryset, shop_ids)
    expected = queryset.filter(shop_id__in=shop_ids).filter(condition("after_sales")).count()
    assert counts["after_sales"] == min(expected, 3) and expected > 0
