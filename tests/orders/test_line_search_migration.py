"""Migration 0008 gives the line items' new index planner statistics on a SQLite database that keeps them."""

import importlib

import pytest
from django.db import connection

migration = importlib.import_module("orders.migrations.0008_line_order_search_index")
pytestmark = pytest.mark.django_db


class _Editor:
    def __init__(self, conn):
        self.connection = conn


def _analysed(cursor):
    cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'orders_lineitem'")
    return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite planner statistics")
@pytest.mark.parametrize(("keep", "expected"), [
    ("others", True),  # the table's other indexes have statistics: the new one gets its own
    ("none", False),  # the table has none (never analysed, or rebuilt): statistics for it alone would mislead
])
def test_new_index_analysed_only_where_the_table_is(keep, expected):
    from tests.factories import LineItemFactory

    LineItemFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if keep == "others":
            cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = %s", [migration.NEW])
        else:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'orders_lineitem'")
        migration.analyse_new_index(None, _Editor(connection))
        assert (migration.NEW in _analysed(cursor)) == expected


def test_new_index_is_the_models():
    from orders.models import LineItem

    assert migration.NEW in {index.name for index in LineItem._meta.indexes}
