"""The buyer-name words table (SQLite): words folded alike when stored and typed, kept in step with the
orders by triggers, and read as one range with each order's shop, status and created time."""

import pytest
from django.db import connection

from orders import buyer_words
from orders.models import Order
from orders.statuses import OrderStatus
from tests.factories import OrderFactory, ShopFactory

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the words table is SQLite's")


@pytest.mark.parametrize(("text", "words"), [
    ("Nguyễn Thị Quý", ["nguyen", "thi", "quy"]),
    ("ĐỖ Văn Đức", ["do", "van", "duc"]),  # đ has no decomposition: mapped
    ("Zoë O'Brien-Smith", ["zoe", "o", "brien", "smith"]),
    ("Søren Łukasz Æsir", ["soren", "lukasz", "aesir"]),
    ("STRASSE straße", ["strasse", "strasse"]),
    ("สมศักดิ์ ใจดี", ["สมศกด", "ใจด"]),  # Thai: its vowel and tone marks dropped alike when typed
    ("snake_case 42", ["snake", "case", "42"]),
    ("", []),
    ("—", []),
])
def test_fold(text, words):
    assert buyer_words.fold(text) == words


def _stored(order_id):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, shop_id, status, created_at FROM {buyer_words.TABLE} WHERE order_id = %s "
                       "ORDER BY word", [order_id])
        return cursor.fetchall()


@sqlite_only
@pytest.mark.django_db
def test_triggers_keep_the_words_in_step_with_the_order():
    order = OrderFactory(buyer_name="Alice Walker", buyer_nickname="ali_w", status=OrderStatus.AWAITING_SHIPMENT)
    rows = _stored(order.pk)
    assert [row[0] for row in rows] == ["ali", "alice", "w", "walker"]
    assert {row[1:3] for row in rows} == {(order.shop_id, "AWAITING_SHIPMENT")}
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.IN_TRANSIT)
    assert {row[2] for row in _stored(order.pk)} == {"IN_TRANSIT"}
    order.refresh_from_db()
    order.buyer_name = "Zoë Stone"
    order.save()  # a save writes every column: the words are rebuilt, the status kept
    assert [(row[0], row[2]) for row in _stored(order.pk)] == [
        ("ali", "IN_TRANSIT"), ("stone", "IN_TRANSIT"), ("w", "IN_TRANSIT"), ("zoe", "IN_TRANSIT")]
    stored_created = _stored(order.pk)[0][3]
    with connection.cursor() as cursor:
        cursor.execute("SELECT created_at FROM orders_order WHERE id = %s", [order.pk])
        assert cursor.fetchone()[0] == stored_created  # the same text: keys sort as the orders' index does
    order.delete()
    assert _stored(order.pk) == []


@sqlite_only
@pytest.mark.django_db
def test_read_keys_reads_each_matching_order_once_within_the_shops():
    shop, other = ShopFactory(), ShopFactory(name="Other")
    both = OrderFactory(shop=shop, buyer_name="Quý Quỳnh")  # two words start with "quy": one row
    one = OrderFactory(shop=shop, buyer_name="Trần Quý", status=OrderStatus.CANCELLED)
    OrderFactory(shop=other, buyer_name="Quý Lê")  # another shop
    OrderFactory(shop=shop, buyer_name="Lê Văn")
    rows = buyer_words.read_keys(["quy"], [shop.pk], 10, using="default")
    assert sorted(row[3] for row in rows) == sorted([both.pk, one.pk])
    assert {row[3]: row[:2] for row in rows}[one.pk] == (shop.pk, "CANCELLED")
    assert len(buyer_words.read_keys(["quy"], [shop.pk], 1, using="default")) == 1
    assert [row[3] for row in buyer_words.read_keys(["quy", "tran"], [shop.pk], 10, using="default")] == [one.pk]
    assert buyer_words.read_keys(["quy"], [], 10, using="default") == []


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_every_new_connection_can_run_the_triggers():
    connection.close()  # the next query opens a new connection, which registers the function again
    order = OrderFactory(buyer_name="Mai Anh", buyer_nickname="")
    assert [row[0] for row in _stored(order.pk)] == ["anh", "mai"]
