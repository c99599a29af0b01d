"""A full-text index of buyer names for the order list's buyer filter, on SQLite.

FTS5 answers "names with a word starting with …" in under a millisecond where LIKE '%…%' reads
every order. Triggers keep it in step with the orders table (bulk inserts of the seed included).
PostgreSQL keeps the plain case-insensitive search.
"""

from django.db import migrations

FTS = "orders_buyer_fts"
CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
            buyer_name, buyer_nickname, content='orders_order', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON orders_order BEGIN
            INSERT INTO {FTS}(rowid, buyer_name, buyer_nickname) VALUES (new.id, new.buyer_name, new.buyer_nickname);
        END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON orders_order BEGIN
            INSERT INTO {FTS}({FTS}, rowid, buyer_name, buyer_nickname)
            VALUES ('delete', old.id, old.buyer_name, old.buyer_nickname);
        END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF buyer_name, buyer_nickname ON orders_order BEGIN
            INSERT INTO {FTS}({FTS}, rowid, buyer_name, buyer_nickname)
            VALUES ('delete', old.id, old.buyer_name, old.buyer_nickname);
            INSERT INTO {FTS}(rowid, buyer_name, buyer_nickname) VALUES (new.id, new.buyer_name, new.buyer_nickname);
        END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
DROP = [f"DROP TRIGGER IF EXISTS {FTS}_{kind}" for kind in ("insert", "delete", "update")] + [
    f"DROP TABLE IF EXISTS {FTS}"
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_order_carrier")]
    operations = [migrations.RunPython(run(CREATE), run(DROP))]
