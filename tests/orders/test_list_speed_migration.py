"""Migration 0007 gives its new indexes planner statistics on a SQLite database that keeps them."""

import importlib

import pytest
from django.db import connection

migration = importlib.import_module("orders.migrations.0007_list_speed_indexes")
pytestmark = pytest.mark.django_db


class _Editor:
    def __init__(self, conn):
        self.connection = conn


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite planner statistics")
def test_new_indexes_get_statistics_where_the_database_keeps_them():
    from tests.factories import OrderFactory

    OrderFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(
            f"DELETE FROM sqlite_stat1 WHERE idx IN ({', '.join(['%s'] * len(migration.NEW))})", migration.NEW
        )
        migration.analyse_new_indexes(None, _Editor(connection))
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'orders_order'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert set(migration.NEW) <= analysed


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite planner statistics")
def test_no_statistics_for_only_the_new_indexes_where_the_table_has_none():
    from tests.factories import OrderFactory

    OrderFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'orders_order'")  # as after a table rebuild
        migration.analyse_new_indexes(None, _Editor(connection))
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orders_order'")
        assert cursor.fetchone()[0] == 0


def test_new_indexes_are_the_models():
    from orders.models import Order

    assert set(migration.NEW) <= {index.name for index in Order._meta.indexes}
