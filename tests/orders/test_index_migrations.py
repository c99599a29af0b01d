"""Migrations 0008 to 0010 give their new index planner statistics on a SQLite database that keeps them."""

import importlib

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
MIGRATIONS = [  # (module, the index's table, its model)
    ("orders.migrations.0008_line_order_search_index", "orders_lineitem", "LineItem"),
    ("orders.migrations.0009_order_shop_status_city", "orders_order", "Order"),
    ("orders.migrations.0010_order_id_shop_status_created", "orders_order", "Order"),
]


class _Editor:
    def __init__(self, conn):
        self.connection = conn


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite planner statistics")
@pytest.mark.parametrize(("name", "table", "model"), MIGRATIONS)
@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        ("others", True),  # the table's other indexes have statistics: the new one gets its own
        ("none", False),  # the table has none (never analysed, or rebuilt): statistics for it alone would mislead
    ],
)
def test_new_index_analysed_only_where_the_table_is(name, table, model, keep, expected):
    from tests.factories import LineItemFactory

    migration = importlib.import_module(name)
    LineItemFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if keep == "others":
            cursor.execute("DELETE FROM sqlite_stat1 WHERE idx = %s", [migration.NEW])
        else:
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        migration.analyse_new_index(None, _Editor(connection))
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        assert (migration.NEW in {row[0] for row in cursor.fetchall()}) == expected


@pytest.mark.parametrize(("name", "table", "model"), MIGRATIONS)
def test_new_index_is_the_models(name, table, model):
    from django.apps import apps

    indexes = apps.get_model("orders", model)._meta.indexes
    assert importlib.import_module(name).NEW in {index.name for index in indexes}
