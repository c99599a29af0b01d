"""Keyset comparisons written as SQL row values: `(created_at, id) < (%s, %s)`.

Django's tuple lookups fall back to `a < x OR (a = x AND b < y)` on SQLite, which SQLite answers by
scanning the index instead of seeking into it (figures in DESIGN.md and bench/RESULTS.md).
SQLite (3.15+) and PostgreSQL both understand row values, so these always write them.
"""

from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.db.models.lookups import GreaterThan, LessThan


class RowBefore(TupleLessThan):
    def as_sql(self, compiler, connection):
        return LessThan.as_sql(self, compiler, connection)


class RowAfter(TupleGreaterThan):
    def as_sql(self, compiler, connection):
        return GreaterThan.as_sql(self, compiler, connection)
