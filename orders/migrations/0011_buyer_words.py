"""Buyer-name words clustered by word (orders/buyer_words.py) replace the FTS5 index of 0006 on SQLite.

FTS5 found a common first name's orders in a millisecond, but the list then looked each one up for
its shop, status and created time: 8,111 look-ups for one name at 1,000,000 orders, most of the
page's time. Here those columns sit beside each word, in word order. Triggers keep the table in step:
new and deleted orders, renamed buyers, and the status (shop and created time never change, but are
copied again if they do). PostgreSQL kept searching the name column. Migration 0012 replaced the
triggers with ones in plain SQL and brought the table to PostgreSQL.
"""

import importlib

from django.db import migrations

from orders.migrations._buyer_words_frozen import FUNCTION, TABLE, register_function

fts = importlib.import_module("orders.migrations.0006_buyer_name_search")

INSERT_WORDS = (
    f"INSERT INTO {TABLE} (word, order_id, shop_id, status, created_at) "
    f"SELECT w.value, {{o}}.id, {{o}}.shop_id, {{o}}.status, {{o}}.created_at "
    f"FROM json_each({FUNCTION}({{o}}.buyer_name, {{o}}.buyer_nickname)) w"
)
CREATE = [
    f"""CREATE TABLE {TABLE} (
            word text NOT NULL, order_id bigint NOT NULL, shop_id bigint NOT NULL, status varchar(32) NOT NULL,
            created_at datetime NOT NULL, PRIMARY KEY (word, order_id)) WITHOUT ROWID""",
    f"CREATE INDEX {TABLE}_order ON {TABLE} (order_id)",
    # in word order: the table's b-tree is then written front to back
    INSERT_WORDS.replace("{o}.", "o.").replace("FROM json_each", "FROM orders_order o, json_each") + " ORDER BY 1, 2",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON orders_order BEGIN
            {INSERT_WORDS.replace("{o}", "new")};
        END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON orders_order BEGIN
            DELETE FROM {TABLE} WHERE order_id = old.id;
        END""",
    f"""CREATE TRIGGER {TABLE}_rename AFTER UPDATE OF buyer_name, buyer_nickname ON orders_order BEGIN
            DELETE FROM {TABLE} WHERE order_id = old.id;
            {INSERT_WORDS.replace("{o}", "new")};
        END""",
    f"""CREATE TRIGGER {TABLE}_status AFTER UPDATE OF status, shop_id, created_at ON orders_order BEGIN
            UPDATE {TABLE} SET status = new.status, shop_id = new.shop_id, created_at = new.created_at
            WHERE order_id = new.id;
        END""",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{kind}" for kind in ("insert", "delete", "rename", "status")] + [
    f"DROP TABLE IF EXISTS {TABLE}"
]


def with_function(step):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            register_function(schema_editor.connection)
        step(apps, schema_editor)

    return apply


class Migration(migrations.Migration):
    dependencies = [("orders", "0010_order_id_shop_status_created")]
    operations = [
        migrations.RunPython(with_function(fts.run(CREATE + fts.DROP)), fts.run(DROP + fts.CREATE)),
    ]
