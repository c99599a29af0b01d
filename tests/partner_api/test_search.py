from datetime import timedelta

import pytest
from django.utils import timezone

from orders.statuses import ActorKind, FulfillmentType, OrderStatus
from tests.factories import CancellationRequestFactory, OrderFactory

from .client import ok

pytestmark = pytest.mark.django_db


def test_pages_through_every_order_while_new_ones_arrive(api, shop, other_shop):
    base = timezone.now() - timedelta(days=3)
    # pairs share a creation time to the microsecond: the id breaks the tie
    existing = [OrderFactory(shop=shop, created_at=base + timedelta(minutes=n // 2)) for n in range(23)]
    OrderFactory.create_batch(3, shop=other_shop)
    seen, token, first = [], "", None
    while True:
        data = ok(api.search(page_size=5, page_token=token))
        first = first or data
        seen += [o["id"] for o in data["orders"]]
        OrderFactory(shop=shop)  # a new order arrives between pages (newest: ahead of the cursor)
        OrderFactory(shop=shop, created_at=base - timedelta(days=1))  # an old one: still ahead, must be read
        token = data["next_page_token"]
        if not token:
            break
    assert first["total_count"] == 23
    assert len(seen) == len(set(seen)), "no duplicates"
    assert {str(o.pk) for o in existing} <= set(seen), "no gaps"
    assert [int(i) for i in seen[:23]] == [
        o.pk for o in sorted(existing, key=lambda o: (o.created_at, o.pk), reverse=True)
    ]


def test_total_count_is_carried_by_the_token(api, shop):
    OrderFactory.create_batch(3, shop=shop)
    data = ok(api.search(page_size=2))
    OrderFactory.create_batch(2, shop=shop)
    assert ok(api.search(page_size=2, page_token=data["next_page_token"]))["total_count"] == 3


def test_ascending_and_update_time_sorts(api, shop):
    now = timezone.now()
    a = OrderFactory(shop=shop, created_at=now - timedelta(hours=3), updated_at=now - timedelta(minutes=1))
    b = OrderFactory(shop=shop, created_at=now - timedelta(hours=2), updated_at=now - timedelta(hours=1))
    asc = ok(api.search(page_size=1, sort_order="ASC"))
    assert asc["orders"][0]["id"] == str(a.pk)
    assert ok(api.search(page_size=1, sort_order="ASC", page_token=asc["next_page_token"]))["orders"][0]["id"] == str(
        b.pk
    )
    by_update = ok(api.search(page_size=2, sort_field="update_time"))
    assert [o["id"] for o in by_update["orders"]] == [str(a.pk), str(b.pk)]
    assert by_update["next_page_token"] == ""


def ids(data):
    return {o["id"] for o in data["orders"]}


def test_filters(api, shop):
    now = timezone.now().replace(microsecond=0)
    unpaid = OrderFactory(shop=shop, status=OrderStatus.UNPAID, paid_at=None, created_at=now - timedelta(hours=10))
    shipped = OrderFactory(
        shop=shop,
        status=OrderStatus.IN_TRANSIT,
        created_at=now - timedelta(hours=5),
        fulfillment_type=FulfillmentType.BY_PLATFORM,
        buyer_user_id="7000000000000000042",
    )
    asking = OrderFactory(shop=shop, created_at=now - timedelta(hours=1))
    CancellationRequestFactory(order=asking, initiator=ActorKind.BUYER)
    assert ids(ok(api.search({"order_status": "UNPAID"}))) == {str(unpaid.pk)}
    start = int(shipped.created_at.timestamp())
    assert ids(ok(api.search({"create_time_ge": start}))) == {str(shipped.pk), str(asking.pk)}  # inclusive
    assert ids(ok(api.search({"create_time_lt": start}))) == {str(unpaid.pk)}  # exclusive
    assert ids(ok(api.search({"update_time_lt": int(unpaid.updated_at.timestamp()) + 1}))) == {str(unpaid.pk)}
    assert ids(ok(api.search({"update_time_ge": int(asking.updated_at.timestamp())}))) == {str(asking.pk)}
    assert ids(ok(api.search({"shipping_type": "TIKTOK"}))) == {str(shipped.pk)}
    assert ids(ok(api.search({"buyer_user_id": "7000000000000000042"}))) == {str(shipped.pk)}
    assert ids(ok(api.search({"is_buyer_request_cancel": True}))) == {str(asking.pk)}
    assert ids(ok(api.search({"is_buyer_request_cancel": False}))) == {str(unpaid.pk), str(shipped.pk)}


def test_another_shops_orders_never_appear(api, shop, other_shop):
    mine = OrderFactory(shop=shop)
    OrderFactory(shop=other_shop)
    data = ok(api.search())
    assert ids(data) == {str(mine.pk)} and data["total_count"] == 1


def test_pages_use_a_row_value_comparison(api, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    OrderFactory.create_batch(3, shop=shop)
    token = ok(api.search(page_size=1))["next_page_token"]
    with CaptureQueriesContext(connection) as captured:
        ok(api.search(page_size=1, page_token=token))
    assert any('("orders_order"."created_at", "orders_order"."id") <' in q["sql"] for q in captured), (
        "keyset pages must compare (created_at, id) as a row value, which SQLite seeks in the index"
    )
