"""The buyer-name words table (both databases): words folded alike when stored and typed, kept in step
with the orders by triggers in plain SQL and catch_up(), read as one range with each order's shop,
status and created time."""

import importlib
import shutil
import sqlite3
import subprocess

import pytest
from django.db import connection

from orders import buyer_words
from orders.models import Order
from orders.statuses import OrderStatus
from tests.factories import OrderFactory, ShopFactory

frozen = importlib.import_module("orders.migrations._buyer_words_frozen")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Nguyễn Thị Quý", ["nguyen", "thi", "quy"]),
        ("ĐỖ Văn Đức", ["do", "van", "duc"]),  # đ has no decomposition: mapped
        ("Zoë O'Brien-Smith", ["zoe", "o", "brien", "smith"]),
        ("Søren Łukasz Æsir", ["soren", "lukasz", "aesir"]),
        ("STRASSE straße", ["strasse", "strasse"]),
        ("สมศักดิ์ ใจดี", ["สมศกด", "ใจด"]),  # Thai: its vowel and tone marks dropped alike when typed
        ("snake_case 42", ["snake", "case", "42"]),
        ("", []),
        ("—", []),
    ],
)
def test_fold(text, words):
    assert buyer_words.fold(text) == words
    assert frozen.fold(text) == words  # the migrations' frozen copy still builds the same words


def _stored(order_id):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word, shop_id, status, created_at FROM {buyer_words.TABLE} WHERE order_id = %s ORDER BY word",
            [order_id],
        )
        return cursor.fetchall()


def _queued():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT order_id FROM {buyer_words.STALE} ORDER BY order_id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_triggers_queue_new_and_renamed_orders_and_copy_status_changes():
    order = OrderFactory(buyer_name="Alice Walker", buyer_nickname="ali_w", status=OrderStatus.AWAITING_SHIPMENT)
    assert order.pk in _queued() and _stored(order.pk) == []
    assert buyer_words.catch_up() >= 1
    assert _queued() == []
    rows = _stored(order.pk)
    assert [row[0] for row in rows] == ["ali", "alice", "w", "walker"]
    assert {row[1:3] for row in rows} == {(order.shop_id, "AWAITING_SHIPMENT")}
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.IN_TRANSIT)
    assert {row[2] for row in _stored(order.pk)} == {"IN_TRANSIT"}  # copied in SQL, nothing queued
    assert _queued() == []
    order.refresh_from_db()
    order.seller_note = "fragile"
    order.save()  # a save writes every column: an unchanged name is not queued again
    assert _queued() == []
    order.buyer_name = "Zoë Stone"
    order.save()
    assert _queued() == [order.pk]
    buyer_words.catch_up()
    assert [(row[0], row[2]) for row in _stored(order.pk)] == [
        ("ali", "IN_TRANSIT"),
        ("stone", "IN_TRANSIT"),
        ("w", "IN_TRANSIT"),
        ("zoe", "IN_TRANSIT"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT created_at FROM orders_order WHERE id = %s", [order.pk])
        assert cursor.fetchone()[0] == _stored(order.pk)[0][3]  # the same value: keys sort as the orders' index
    order.delete()
    assert _stored(order.pk) == [] and _queued() == []


@pytest.mark.django_db
def test_catch_up_takes_batches_until_the_queue_is_empty():
    orders = OrderFactory.create_batch(5, buyer_name="Mai Anh", buyer_nickname="")
    assert buyer_words.catch_up(batch=2) == 5
    assert all([row[0] for row in _stored(order.pk)] == ["anh", "mai"] for order in orders)
    assert buyer_words.catch_up() == 0


@pytest.mark.django_db
def test_read_keys_reads_each_matching_order_once_within_the_shops():
    shop, other = ShopFactory(), ShopFactory(name="Other")
    both = OrderFactory(shop=shop, buyer_name="Quý Quỳnh")  # two words start with "quy": one row
    one = OrderFactory(shop=shop, buyer_name="Trần Quý", status=OrderStatus.CANCELLED)
    OrderFactory(shop=other, buyer_name="Quý Lê")  # another shop
    OrderFactory(shop=shop, buyer_name="Lê Văn")
    buyer_words.catch_up()
    rows = buyer_words.read_keys(["quy"], [shop.pk], 10, using="default")
    assert sorted(row[3] for row in rows) == sorted([both.pk, one.pk])
    assert {row[3]: row[:2] for row in rows}[one.pk] == (shop.pk, "CANCELLED")
    assert len(buyer_words.read_keys(["quy"], [shop.pk], 1, using="default")) == 1
    assert [row[3] for row in buyer_words.read_keys(["quy", "tran"], [shop.pk], 10, using="default")] == [one.pk]
    assert buyer_words.read_keys(["quy"], [], 10, using="default") == []


COPY_ORDER = "INSERT INTO orders_order ({columns}) SELECT {values} FROM orders_order WHERE id = {source}"


def _plain_sql_copy(source: Order, new_id: int, name: str) -> str:
    """SQL that any writer can run: a copy of `source` under a new id and buyer name."""
    columns = [field.column for field in Order._meta.concrete_fields]
    values = [
        str(new_id) if column == "id" else f"'{name}'" if column == "buyer_name" else column for column in columns
    ]
    return COPY_ORDER.format(columns=", ".join(columns), values=", ".join(values), source=source.pk)


@pytest.mark.django_db(transaction=True)
def test_a_writer_outside_django_inserts_and_renames_orders_and_the_search_finds_them():
    """No trigger needs anything but SQL: the sqlite3 shell (or the plain driver), psql's driver."""
    from orders.search import buyer_condition

    source = OrderFactory(buyer_name="Someone Else")
    new_id = source.pk + 1
    statements = [
        _plain_sql_copy(source, new_id, "Plainsql Writer"),
        f"UPDATE orders_order SET status = 'CANCELLED' WHERE id = {new_id}",
        f"UPDATE orders_order SET buyer_nickname = 'renamed_outside' WHERE id = {source.pk}",
    ]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if shutil.which("sqlite3"):
            subprocess.run(
                ["sqlite3", settings["NAME"], ";\n".join(statements) + ";"], check=True, capture_output=True, timeout=30
            )
        else:
            with sqlite3.connect(settings["NAME"]) as plain:
                for sql in statements:
                    plain.execute(sql)
    else:
        import psycopg

        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as plain:
            for sql in statements:
                plain.execute(sql)
    assert set(Order.objects.filter(buyer_condition("plainsql").condition).values_list("pk", flat=True)) == {new_id}
    assert {row[2] for row in _stored(new_id)} == {"CANCELLED"}
    assert list(Order.objects.filter(buyer_condition("renamed").condition).values_list("pk", flat=True)) == [source.pk]
