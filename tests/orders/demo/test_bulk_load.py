"""The frame of a big load: indexes and foreign keys come back as they were, rules still hold, triggers fire."""

from datetime import datetime

import pytest
from django.db import IntegrityError, connection

from orders.demo import lifecycle as life
from orders.demo.bulk_load import bulk_load, foreign_keys, secondary_indexes
from orders.demo.bulk_writer import TableWriter
from orders.demo.seed import _writers
from orders.models import StatusHistory
from tests.factories.orders import OrderFactory, StatusHistoryFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its indexes during a load")
AT = datetime(2026, 5, 1, 10, 0)


def _history_rows(order_id, count=3, reason="placed"):
    return [(order_id, "", "UNPAID", AT, None, "BUYER", reason) for _ in range(count)]


def _order():
    """An order whose deferred foreign-key checks have run: PostgreSQL refuses to alter a table with
    checks still pending in the transaction (a seed runs in its own transaction and has none)."""
    order = OrderFactory()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return order


def _schema(tables):
    with connection.cursor() as cursor:
        return {table: (secondary_indexes(cursor, table), foreign_keys(cursor, table)) for table in tables}


def _seed_tables():
    return [writer.table for _, writer in _writers()]


def test_ids_written_explicitly_move_the_sequence_on(db):
    order = _order()
    writer = TableWriter(StatusHistory, ["id", *life.HISTORY_FIELDS])
    with bulk_load([writer], rebuild_indexes=False), connection.cursor() as cursor:
        writer.write(cursor, [(5000 + n, *row) for n, row in enumerate(_history_rows(order.pk))])
    assert writer.rows == 3
    assert StatusHistoryFactory(order=order).pk > 5002  # the next INSERT does not collide


@postgres_only
def test_a_rebuilt_load_leaves_the_same_indexes_and_foreign_keys(db):
    order = _order()
    tables = _seed_tables()
    before = _schema(tables)
    assert all(indexes for indexes, _ in before.values()) and before["orders_statushistory"][1]
    writer = TableWriter(StatusHistory, life.HISTORY_FIELDS)
    with bulk_load([w for _, w in _writers()], rebuild_indexes=True) as report, connection.cursor() as cursor:
        assert all(schema == ([], []) for schema in _schema(tables).values())  # really dropped for the load
        writer.write(cursor, _history_rows(order.pk))
    assert _schema(tables) == before
    assert StatusHistory.objects.filter(order=order, reason="placed").count() == 3
    assert any(name.startswith("create ") for name, _ in report.phases)


@postgres_only
def test_a_failed_load_leaves_the_tables_as_they_were(db):
    order = _order()
    before = _schema(_seed_tables())
    writer = TableWriter(StatusHistory, life.HISTORY_FIELDS)
    with pytest.raises(RuntimeError):
        with bulk_load([w for _, w in _writers()], rebuild_indexes=True), connection.cursor() as cursor:
            writer.write(cursor, _history_rows(order.pk))
            raise RuntimeError("the generator broke")
    assert _schema(_seed_tables()) == before
    assert not StatusHistory.objects.filter(order=order, reason="placed").exists()


@postgres_only
def test_foreign_keys_added_back_check_every_loaded_row(db):
    order = _order()
    before = _schema(_seed_tables())
    writer = TableWriter(StatusHistory, life.HISTORY_FIELDS)
    with pytest.raises(IntegrityError):
        with bulk_load([writer], rebuild_indexes=True), connection.cursor() as cursor:
            writer.write(cursor, _history_rows(order.pk) + _history_rows(order.pk + 1, count=1))  # no such order
    assert _schema(_seed_tables()) == before
    assert not StatusHistory.objects.filter(order=order, reason="placed").exists()


@postgres_only
def test_triggers_fire_for_every_row_of_a_rebuilt_load(db):
    """A trigger whose effect the data needs (a words table, say) is never skipped by the load."""
    order = _order()
    with connection.cursor() as cursor:
        cursor.execute("""CREATE FUNCTION pg_temp.sc_mark() RETURNS trigger AS $$
                          BEGIN NEW.reason := NEW.reason || ' (seen)'; RETURN NEW; END; $$ LANGUAGE plpgsql""")
        cursor.execute(
            "CREATE TRIGGER sc_mark BEFORE INSERT ON orders_statushistory "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.sc_mark()"
        )
    writer = TableWriter(StatusHistory, life.HISTORY_FIELDS)
    with bulk_load([writer], rebuild_indexes=True), connection.cursor() as cursor:
        writer.write(cursor, _history_rows(order.pk))
    assert list(StatusHistory.objects.filter(order=order).values_list("reason", flat=True)) == ["placed (seen)"] * 3
