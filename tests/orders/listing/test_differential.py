"""Differential test of the order list: many generated requests (filters, tab, sort, page), each
answered by the list's planned path (the view) and by the plain ORM path (the filterset's queryset,
ORDER BY with NULLS LAST, OFFSET/LIMIT, one COUNT per tab), which must agree on the page's ids, their
order and every tab's count. The list's caps are lowered so that a small data set reaches every plan:
ids read first, bounded reads, capped counts, per-shop and database-side merges, sorts done here."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.models import Shop
from accounts.roles import Role
from orders.filters import OrderFilter
from orders.listing import limits
from orders.masking import PiiAccess
from orders.selectors.visibility import orders_visible_to
from orders.statuses import OrderStatus, PaymentMethod
from orders.tabs import TABS
from tests.factories import (
    CancellationRequestFactory,
    LineItemFactory,
    MembershipFactory,
    OrderFactory,
    PackageFactory,
    ReturnRequestFactory,
    ShopFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("order_list")
SMALL_LIMITS = {
    "TAB_COUNT_CAP": 12,
    "SORT_HERE_LIMIT": 30,
    "COUNT_CAP": 120,
    "MATERIALISE_LIMIT": 4,
    "BOUNDED_LIMIT": 50,
    "PROBE_ROWS": 8,
}
NAMES = ["Alice Walker", "Quý Nguyễn", "Ali Baba", "Søren Walker", "Mai Anh", "Alicia Keys", "Bob Stone"]
CITIES = ["Los Angeles", "Hanoi", "Łódź", "Austin"]
SKUS = ["SKU-A", "SKU-B", "SKU-C", "TEE-1"]
STATUSES = list(OrderStatus)
SORTS = ["-created", "created", "-paid", "paid", "ship_by", "-ship_by", "-total", "total"]
NULLABLE = {"paid_at", "rts_sla_at"}
SORT_COLUMNS = {"created": "created_at", "paid": "paid_at", "ship_by": "rts_sla_at", "total": "total"}


@pytest.fixture
def small_limits(monkeypatch):
    for name, value in SMALL_LIMITS.items():
        monkeypatch.setattr(limits, name, value)


@pytest.fixture
def world(django_db_blocker, member_of):
    rng = random.Random(7)
    shops = [ShopFactory(name=f"Shop {n}") for n in range(3)]
    user = member_of(shops[0], Role.ADMINISTRATOR)
    for shop in shops[1:]:
        MembershipFactory(shop=shop, role=Role.ADMINISTRATOR, user=user)
    now = timezone.now().replace(microsecond=0)
    orders = []
    for n in range(150):
        status = rng.choice(STATUSES)
        created = now - timedelta(hours=rng.randrange(0, 24 * 40), minutes=rng.randrange(60))
        if n % 10 == 0:
            created = orders[-1].created_at if orders else created  # ties on the sort key
        paid = None if status in (OrderStatus.UNPAID,) or n % 7 == 0 else created + timedelta(minutes=5)
        total_base = Decimal(rng.choice([10, 25, 25, 40, 99]))
        order = OrderFactory(
            shop=rng.choices(shops, weights=[5, 3, 1])[0],
            status=status,
            created_at=created,
            paid_at=paid,
            rts_sla_at=None if paid is None or n % 5 == 0 else paid + timedelta(hours=rng.randrange(1, 80)),
            buyer_name=rng.choice(NAMES),
            buyer_nickname=f"nick{n}",
            ship_city=rng.choice(CITIES),
            ship_country=rng.choice(["US", "VN"]),
            carrier=rng.choice(["USPS", "UPS", ""]),
            payment_method=rng.choice(list(PaymentMethod)),
            buyer_message="Please hurry" if n % 6 == 0 else "",
            bill_country="GB" if n % 9 == 0 else "US",
            original_product_total=total_base,
            line=None,
            refunded_amount=Decimal("5.00") if n % 11 == 0 else Decimal("0.00"),
        )
        LineItemFactory(order=order, seller_sku=rng.choice(SKUS), product_name=rng.choice(["Tee", "Mug"]))
        if status not in (OrderStatus.UNPAID, OrderStatus.ON_HOLD, OrderStatus.AWAITING_SHIPMENT):
            PackageFactory(order=order, tracking_number=f"TRK{n % 13:04d}", carrier=order.carrier or "USPS")
        if n % 8 == 0:
            CancellationRequestFactory(order=order)
        elif n % 13 == 0:
            ReturnRequestFactory(order=order)
        orders.append(order)
    return World(user, shops, orders)


class World(tuple):
    """(user, shops, orders), shown briefly when hypothesis reports a failing example."""

    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __repr__(self):
        return f"World({len(self[2])} orders in {len(self[1])} shops)"


def _filters(orders, shops):
    ids = [str(o.pk) for o in orders]
    values = {
        "status": st.lists(st.sampled_from([s.value for s in STATUSES]), min_size=1, max_size=3, unique=True),
        "preset": st.sampled_from(["today", "last_7d", "last_30d", "this_year"]),
        "date_field": st.sampled_from(["created", "paid", "updated"]),
        "shop": st.sampled_from([s.code for s in shops]),
        "product": st.sampled_from(SKUS + ["Tee", "mug", "nothing-like-it"]),
        "buyer": st.sampled_from(["ali", "walker", "quy", "ali walk", "søren", "zz", "anh mai"]),
        "tracking": st.sampled_from(["TRK0001", "TRK0003", "trk-0005", "NOPE"]),
        "q": st.sampled_from(SKUS + ["TRK0002"] + ids[:3] + [" ".join(ids[3:8])]),
        "order_ids": st.lists(st.sampled_from(ids), min_size=1, max_size=30, unique=True).map(" ".join),
        "total_min": st.sampled_from(["0", "20", "40"]),
        "total_max": st.sampled_from(["30", "100"]),
        "payment_method": st.lists(
            st.sampled_from([p.value for p in PaymentMethod]), min_size=1, max_size=2, unique=True
        ),
        "country": st.sampled_from(["US", "vn", "TH"]),
        "city": st.sampled_from(["los angeles", "HANOI", "Austin"]),
        "carrier": st.sampled_from(["USPS", "UPS"]),
        "has_message": st.sampled_from(["true", "false"]),
        "billing_differs": st.sampled_from(["true", "false"]),
        "after_sale": st.sampled_from(["cancellation_pending", "return_pending", "refunded", "any"]),
        "pending": st.sampled_from(
            ["ship_within_24h", "ship_overdue", "auto_cancel_24h", "cancellation_requested", "return_requested"]
        ),
    }
    # up to three filters at once: more would leave nothing to compare most of the time
    return st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({key: values[key] for key in keys})
    )


def _reference(user, params, shops, now, request_factory):
    """The plain ORM path: the filterset's queryset, ordered with NULLS LAST, sliced; a COUNT per tab."""
    request = request_factory()
    request.user = user
    request.session = {}
    visible = orders_visible_to(user)
    pii = PiiAccess.for_request(request).pii_shop_ids

    def filters(tab):
        data = QueryDict(mutable=True)
        for key, value in {"date_field": "created", **params, "tab": tab}.items():
            data.setlist(key, value if isinstance(value, list) else [str(value)])
        return OrderFilter(data, queryset=visible, shops=shops, now=now, pii_shop_ids=pii)

    def matching(tab):
        return filters(tab).qs

    if not filters(params["tab"]).is_valid():
        return None, None

    sort = params.get("sort", "-created")
    column = SORT_COLUMNS[sort.lstrip("-")]
    descending = sort.startswith("-")
    key = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    size, number = int(params["page_size"]), int(params["page"])
    ordered = matching(params["tab"]).order_by(key, "-pk" if descending else "pk")
    ids = list(ordered.values_list("pk", flat=True)[(number - 1) * size : number * size])
    counts = {tab: min(matching(tab).count(), limits.TAB_COUNT_CAP + 1) for tab in TABS}
    return ids, counts


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_planned_path_agrees_with_the_plain_orm_path(client, world, small_limits, rf, data):
    user, shops, orders = world
    client.force_login(user)
    params = data.draw(_filters(orders, shops))
    params.update(
        tab=data.draw(st.sampled_from(list(TABS))),
        sort=data.draw(st.sampled_from(SORTS)),
        page_size=20,
        page=data.draw(st.sampled_from([1, 1, 2, 3])),
    )
    now = timezone.now()
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(timezone, "now", lambda: now)  # both paths resolve presets at the same moment
        response = client.get(URL, params)
        shop_models = Shop.objects.filter(pk__in=[shop.pk for shop in shops]).order_by("name")
        expected_ids, expected_counts = _reference(user, params, shop_models, now, lambda: rf.get(URL))
    if expected_ids is None:  # the filters are not valid: a 400 that says why
        assert response.status_code == 400 and response.context["errors"], params
        return
    if response.status_code == 400:  # a page past the last: the reference has no rows there either
        assert response.context.get("page") is None and expected_ids == [] and params["page"] > 1, params
        return
    assert response.status_code == 200, (params, response.context.get("errors"))
    assert [o.pk for o in response.context["page"].rows] == expected_ids, params
    assert dict(response.context["counts"]) == expected_counts, params
