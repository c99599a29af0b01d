"""The buyer-name words table on both databases, kept by triggers in plain SQL.

0011's SQLite triggers folded the words by calling a Python function that each Django connection
registered: any other writer (the sqlite3 shell, a script, another program) failed on "no such
function". Now a trigger only queues the order (new order, renamed buyer) or copies the status, shop
and created time onto its words in SQL; orders.buyer_words.catch_up() folds the queued orders' words
in Python before each buyer search. PostgreSQL gets the same table, so a buyer search means the same
there (it was an unindexed substring match): word >= 'quy' AND word < 'quy' || U+10FFFF over a
"C"-collated key (byte order, as SQLite's), the list's columns in the primary key's INCLUDE.

Not atomic: on PostgreSQL each step commits at once, so the triggers' brief lock on orders_order is
not held while the existing orders' words are built (a committed batch at a time; at 1,000,000 orders
see README "Migrations")."""

import importlib

from django.db import migrations, models

from orders.migrations._buyer_words_frozen import STALE, TABLE, build_queued, register_function

v0011 = importlib.import_module("orders.migrations.0011_buyer_words")

SQLITE = [
    *[f"DROP TRIGGER IF EXISTS {TABLE}_{kind}" for kind in ("insert", "delete", "rename", "status")],
    f"CREATE TABLE {STALE} (order_id integer PRIMARY KEY)",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON orders_order BEGIN
            INSERT OR IGNORE INTO {STALE} (order_id) VALUES (new.id);
        END""",
    f"""CREATE TRIGGER {TABLE}_rename AFTER UPDATE OF buyer_name, buyer_nickname ON orders_order
        WHEN old.buyer_name IS NOT new.buyer_name OR old.buyer_nickname IS NOT new.buyer_nickname BEGIN
            INSERT OR IGNORE INTO {STALE} (order_id) VALUES (new.id);
        END""",
    f"""CREATE TRIGGER {TABLE}_copy AFTER UPDATE OF status, shop_id, created_at ON orders_order
        WHEN old.status IS NOT new.status OR old.shop_id IS NOT new.shop_id OR old.created_at IS NOT new.created_at
        BEGIN
            UPDATE {TABLE} SET status = new.status, shop_id = new.shop_id, created_at = new.created_at
            WHERE order_id = new.id;
        END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON orders_order BEGIN
            DELETE FROM {TABLE} WHERE order_id = old.id;
            DELETE FROM {STALE} WHERE order_id = old.id;
        END""",
]
SQLITE_BACK = (
    [f"DROP TRIGGER IF EXISTS {TABLE}_{kind}" for kind in ("insert", "rename", "copy", "delete")]
    + [f"DROP TABLE IF EXISTS {STALE}"]
    + [sql for sql in v0011.CREATE if sql.lstrip().startswith("CREATE TRIGGER")]
)


def _function(name, body):
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {body} RETURN NULL; END $$"""


def _trigger(name, event, function, when=""):
    return f"CREATE TRIGGER {name} AFTER {event} ON orders_order {when} EXECUTE FUNCTION {function}()"


CHANGED = "OLD.{0} IS DISTINCT FROM NEW.{0}"
POSTGRESQL = [
    f"""CREATE TABLE {TABLE} (
            word text COLLATE "C" NOT NULL, order_id bigint NOT NULL, shop_id bigint NOT NULL,
            status varchar(32) NOT NULL, created_at timestamp with time zone NOT NULL,
            PRIMARY KEY (word, order_id) INCLUDE (shop_id, status, created_at))""",
    f"CREATE INDEX {TABLE}_order ON {TABLE} (order_id)",
    f"CREATE TABLE {STALE} (order_id bigint PRIMARY KEY)",
    _function(f"{TABLE}_queue", f"INSERT INTO {STALE} (order_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;"),
    _function(
        f"{TABLE}_copy",
        f"UPDATE {TABLE} SET status = NEW.status, shop_id = NEW.shop_id, "
        "created_at = NEW.created_at WHERE order_id = NEW.id;",
    ),
    _function(
        f"{TABLE}_forget", f"DELETE FROM {TABLE} WHERE order_id = OLD.id; DELETE FROM {STALE} WHERE order_id = OLD.id;"
    ),
    _function(f"{TABLE}_truncate", f"TRUNCATE {TABLE}, {STALE};"),
    _trigger(f"{TABLE}_insert", "INSERT", f"{TABLE}_queue", "FOR EACH ROW"),
    _trigger(
        f"{TABLE}_rename",
        "UPDATE OF buyer_name, buyer_nickname",
        f"{TABLE}_queue",
        f"FOR EACH ROW WHEN ({CHANGED.format('buyer_name')} OR {CHANGED.format('buyer_nickname')})",
    ),
    _trigger(
        f"{TABLE}_copy",
        "UPDATE OF status, shop_id, created_at",
        f"{TABLE}_copy",
        f"FOR EACH ROW WHEN ({' OR '.join(CHANGED.format(c) for c in ('status', 'shop_id', 'created_at'))})",
    ),
    _trigger(f"{TABLE}_delete", "DELETE", f"{TABLE}_forget", "FOR EACH ROW"),
    _trigger(f"{TABLE}_truncate", "TRUNCATE", f"{TABLE}_truncate", "FOR EACH STATEMENT"),
    f"INSERT INTO {STALE} (order_id) SELECT id FROM orders_order ON CONFLICT DO NOTHING",
]
POSTGRESQL_BACK = [
    *[
        f"DROP TRIGGER IF EXISTS {TABLE}_{kind} ON orders_order"
        for kind in ("insert", "rename", "copy", "delete", "truncate")
    ],
    *[f"DROP FUNCTION IF EXISTS {TABLE}_{kind}()" for kind in ("queue", "copy", "forget", "truncate")],
    f"DROP TABLE IF EXISTS {STALE}",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    for sql in SQLITE if connection.vendor == "sqlite" else POSTGRESQL:
        schema_editor.execute(sql, params=None)
    if connection.vendor == "postgresql":
        build_queued(connection)  # the orders already there, a committed batch at a time
        schema_editor.execute(f"ANALYZE {TABLE}", params=None)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        register_function(connection)
    for sql in SQLITE_BACK if connection.vendor == "sqlite" else POSTGRESQL_BACK:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("orders", "0011_buyer_words")]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.CreateModel(
            name="BuyerWord",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "word", "order_id", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("word", models.TextField()),
                ("order_id", models.BigIntegerField()),
                ("shop_id", models.BigIntegerField()),
                ("status", models.CharField(max_length=32)),
                ("created_at", models.DateTimeField()),
            ],
            options={"db_table": "orders_buyer_word", "managed": False},
        ),
        migrations.CreateModel(
            name="StaleBuyerWords",
            fields=[("order_id", models.BigIntegerField(primary_key=True, serialize=False))],
            options={"db_table": "orders_buyer_word_stale", "managed": False},
        ),
    ]
