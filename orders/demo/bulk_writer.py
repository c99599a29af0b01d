"""Fast inserts for the demo seed: tuples straight into executemany, no model instances.

Building a million model instances costs more than writing them; the seed writes ~10 rows per
order, so it hands plain tuples to the driver. Datetimes are naive UTC: Django's SQLite adapter
writes them in its own format, and PostgreSQL reads them in the UTC session Django opens.
Decimals go through the drivers' own adapters.
"""

from datetime import UTC, datetime

from django.db import connection


class TableWriter:
    """Inserts rows (tuples in `fields` order) into one model's table."""

    def __init__(self, model, fields):
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"

    def write(self, cursor, rows):
        if rows:
            cursor.executemany(self.sql, rows)


def tune_for_bulk_load(cursor):
    """A bigger page cache keeps SQLite's index updates in memory during the load."""
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
