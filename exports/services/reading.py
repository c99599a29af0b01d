"""Reading an export's rows: in the request for small ones, on a connection of its own for jobs.

A job reads on its own connection so that its progress updates (on the default connection)
commit at once and never hold SQLite's write lock for the length of the export. One moment in
time: on PostgreSQL the read runs in a REPEATABLE READ, READ ONLY transaction through a server-side
cursor (memory stays flat); on SQLite (WAL) the count and the SELECT share one deferred read transaction, one snapshot, while writers carry on.
"""

import uuid
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections

from ..sql import ExportQuery

CHUNK = 2_000  # rows fetched, written and reported at a time


def batches(cursor, query: ExportQuery):
    """The query's rows in lists of CHUNK: memory stays flat, and the writers work a list at a time."""
    cursor.execute(query.sql, query.params)
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            return
        yield batch


def count_rows(cursor, query: ExportQuery, cap: int | None = None) -> int:
    """Rows the export will have; with `cap`, counting stops at cap + 1."""
    limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
    cursor.execute(f"SELECT COUNT(*) FROM ({query.count_inner}{limit}) counted", query.count_params)
    return cursor.fetchone()[0]


@contextmanager
def request_cursor():
    """The request's own connection: small exports, read while the response streams."""
    with connection.cursor() as cursor:
        yield connection.vendor, cursor, cursor


@contextmanager
def snapshot_cursors():
    """(vendor, cursor for counting, cursor for the rows) on a new connection, closed afterwards."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        wrapper.ensure_connection()
        if wrapper.vendor == "postgresql":
            wrapper.set_autocommit(False)
            counter = wrapper.cursor()
            counter.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            rows = wrapper.connection.cursor(name=f"export_{uuid.uuid4().hex}")  # server-side
            rows.itersize = CHUNK
            try:
                yield wrapper.vendor, counter, rows
            finally:
                rows.close()
                wrapper.rollback()
        else:
            # A deferred read transaction (never IMMEDIATE: that would take the write lock): the count and
            # the rows share one WAL snapshot while other connections keep writing.
            cursor = wrapper.cursor()
            cursor.execute("BEGIN DEFERRED")
            try:
                yield wrapper.vendor, cursor, cursor
            finally:
                cursor.execute("ROLLBACK")
    finally:
        wrapper.close()
