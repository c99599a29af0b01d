"""Fast inserts for the demo seed: tuples straight to the driver, no model instances.

Building a million model instances costs more than writing them; the seed writes ~10 rows per
order, so it hands plain tuples to the driver. On PostgreSQL they stream through psycopg 3's
`COPY ... FROM STDIN` (text format, one `write_row` per tuple): the server parses one stream per
table and batch instead of planning and executing one INSERT per row. SQLite has no COPY; there
`executemany` reuses one prepared statement, which is its fast path.

Datetimes are naive UTC: Django's SQLite adapter writes them in its own format, and PostgreSQL
reads them in the UTC session Django opens (text COPY parses them as the INSERT did). Decimals and
the status enums (str subclasses) go through the drivers' own adapters, so both paths store the
same values.

A writer knows nothing of orders: any table (a future words table too) is loaded the same way,
from a model and the names of the fields its tuples hold.
"""

import time
from datetime import UTC, datetime

from django.db import connection


class TableWriter:
    """Writes rows (tuples in `fields` order) into one model's table; counts rows and seconds."""

    def __init__(self, model, fields):
        quote = connection.ops.quote_name
        self.model, self.fields = model, list(fields)
        self.table = model._meta.db_table
        self.columns = [model._meta.get_field(name).column for name in fields]
        column_list = ", ".join(quote(column) for column in self.columns)
        placeholders = ", ".join(["%s"] * len(fields))
        self.insert_sql = f"INSERT INTO {quote(self.table)} ({column_list}) VALUES ({placeholders})"
        self.copy_sql = f"COPY {quote(self.table)} ({column_list}) FROM STDIN"
        self.rows = 0
        self.seconds = 0.0

    def write(self, cursor, rows):
        """`cursor` is a Django cursor; its connection's vendor picks COPY or executemany."""
        if not rows:
            return
        started = time.monotonic()
        if cursor.db.vendor == "postgresql":
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.insert_sql, rows)
        self.rows += len(rows)
        self.seconds += time.monotonic() - started


def naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
