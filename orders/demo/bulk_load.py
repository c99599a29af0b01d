"""The frame around a big load of a few tables: settings, deferred index builds, fresh statistics.

On PostgreSQL the whole load is one transaction, so a load that fails leaves the tables as they
were, dropped indexes included (DDL is transactional). Inside it:
- `synchronous_commit = off` and a large `maintenance_work_mem` (index builds sort in memory);
- with `rebuild_indexes`, the tables' secondary indexes and foreign keys are dropped before the
  rows arrive and created again after: one sorted build per index instead of a million random
  b-tree insertions each, and one anti-join per foreign key instead of a deferred check per row.
  Re-adding a foreign key validates every row, and a unique index rebuilt checks uniqueness, so
  the data is held to the same rules as row by row. Primary keys and the indexes that constraints
  own stay (other tables' foreign keys depend on them), and so do CHECK constraints and triggers:
  COPY fires triggers as INSERT does, and nothing here disables one, so a trigger whose effect
  the data needs (a words table kept by trigger, say) still runs for every row;
- sequences of identity/serial columns that were written explicitly are moved past the largest
  value, so the next INSERT does not collide.
After the commit the loaded tables are vacuumed and the database analysed: the planner sees the
new sizes, and the visibility map lets index-only scans skip the heap from the first request on,
before autovacuum would get there (inside an outer transaction, as in tests, VACUUM cannot run and
the database is only analysed).

The rebuild takes ACCESS EXCLUSIVE locks on the loaded tables (and SHARE ROW EXCLUSIVE on the
tables their foreign keys reference) until the commit: readers wait for the load. It pays off
only for big loads; small ones keep the indexes and let other sessions read on. Inside an outer
transaction that already wrote to these tables, PostgreSQL refuses to drop their foreign keys
("pending trigger events"): run `SET CONSTRAINTS ALL IMMEDIATE` first, or load outside it.

On SQLite the frame only enlarges the page cache: its loads commit batch by batch as before.

The module is generic: it is given tables and the columns written to them, nothing of orders.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction


@dataclass
class LoadReport:
    """Seconds per phase, in the order they ran; what the seed command prints."""

    phases: list = field(default_factory=list)  # [(name, seconds)]

    def add(self, name: str, seconds: float):
        self.phases.append((name, seconds))

    @contextmanager
    def timed(self, name: str):
        started = time.monotonic()
        yield
        self.add(name, time.monotonic() - started)


@contextmanager
def bulk_load(writers, *, rebuild_indexes: bool, report: LoadReport | None = None):
    """Frames the load of the writers' tables (see the module's docstring); yields the report."""
    report = report or LoadReport()
    tables = list(dict.fromkeys(w.table for w in writers))
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB: index updates stay in memory
        yield report
        with report.timed("analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        dropped = _drop_secondary(cursor, tables) if rebuild_indexes else _Dropped()
        yield report
        for table in tables:
            built = [definition for owner, _, definition in dropped.indexes if owner == table]
            if built:
                with report.timed(f"create {len(built)} indexes on {table}"):
                    for definition in built:
                        cursor.execute(definition)
        if dropped.foreign_keys:
            with report.timed(f"add and validate {len(dropped.foreign_keys)} foreign keys"):
                for table, name, definition in dropped.foreign_keys:
                    cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        _advance_sequences(cursor, writers)
    with connection.cursor() as cursor:
        if not connection.in_atomic_block:  # VACUUM cannot run in a transaction block
            with report.timed("vacuum"):
                for table in tables:
                    cursor.execute(f"VACUUM {_q(table)}")
        with report.timed("analyze"):
            cursor.execute("ANALYZE")  # every table: rows written beside the load (a catalogue) too


@dataclass
class _Dropped:
    indexes: list = field(default_factory=list)  # [(table, name, CREATE INDEX statement)]
    foreign_keys: list = field(default_factory=list)  # [(table, name, definition)]


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """[(name, definition)] of the table's indexes that no constraint owns or depends on."""
    cursor.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = %s::regclass
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
           ORDER BY c.relname""",
        [_q(table)],
    )
    return cursor.fetchall()


def foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    """[(name, definition)] of the table's own foreign keys (those it holds, not those pointing at it)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [_q(table)],
    )
    return cursor.fetchall()


def _drop_secondary(cursor, tables) -> _Dropped:
    dropped = _Dropped()
    for table in tables:
        for name, definition in foreign_keys(cursor, table):
            cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")
            dropped.foreign_keys.append((table, name, definition))
        for name, definition in secondary_indexes(cursor, table):
            cursor.execute(f"DROP INDEX {_q(name)}")
            dropped.indexes.append((table, name, definition))
    return dropped


def _advance_sequences(cursor, writers):
    """setval past the largest value for each written column that a sequence feeds (identity, serial)."""
    for writer in writers:
        for column in writer.columns:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_q(writer.table), column])
            (sequence,) = cursor.fetchone()
            if sequence:
                cursor.execute(
                    f"SELECT setval(%s, COALESCE(MAX({_q(column)}), 1), MAX({_q(column)}) IS NOT NULL) "
                    f"FROM {_q(writer.table)}",
                    [sequence],
                )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)
