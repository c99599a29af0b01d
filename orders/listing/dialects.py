"""The database-specific strategies of the list, one object per backend, chosen by the queryset's
database (as exports/sql.py chooses its SQL). Nothing else in the list asks which database it runs on."""

from django.db import connections
from django.db.models import BooleanField, DateTimeField, F, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from orders.models import Order
from orders.pending import orders_with_open_requests
from orders.tabs import condition

from . import limits

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Unary(Func):
    """`+column` on SQLite: the same value, but no index serves it and the driver leaves it as stored."""

    template = "+%(expressions)s"


class Dialect:
    """PostgreSQL's (and the default): the planner keeps histograms and reads what it is given."""

    vendor = "postgresql"

    def __init__(self, alias: str):
        self.alias = alias

    def key(self, column: str):
        """A column read as a sort key: compared, never shown. A time is read as its UTC text, which
        orders as the times do (fractions without trailing zeros, then the zone): converting thousands
        of timestamps to datetimes cost more than reading them."""
        field = Order._meta.get_field(column)
        if isinstance(field, DateTimeField):
            return Cast(F(column), TextField())
        return F(column)

    def checked(self, column: str, field):
        """A column only checked, never sought through an index of its own."""
        return F(column)

    def unindexed(self, column: str):
        return F(column)

    def range_leads(self, ordered: bool, shop_ids, column: str, low, high, inclusive_end=False) -> bool:
        """Whether a range on `column` may lead the query (be sought through its index) when a page is
        read in list order. PostgreSQL's planner tells a narrow range from a wide one by itself."""
        return True

    def fold_case(self, value: str) -> str:
        """The value as LOWER(column) folds the column's text."""
        return value.lower()

    def in_after_sales(self, queryset):
        """The orders of `queryset` in "Returns/Refunds" (an open cancellation or return request).

        The requests are few: their orders' ids as literals are probed through the primary key, where
        `id IN (subquery) OR id IN (subquery)` made PostgreSQL hash both request tables per count."""
        pending = orders_with_open_requests(limits.SORT_HERE_LIMIT)
        if pending is None:
            return queryset.filter(condition("after_sales"))
        return queryset.filter(pk__in=sorted(pending))


class SQLite(Dialect):
    vendor = "sqlite"

    def key(self, column: str):
        # an expression has no declared type: the driver does not parse every time read into a datetime,
        # and the stored ISO text orders exactly as the index does
        return _Unary(F(column), output_field=Order._meta.get_field(column))

    def checked(self, column: str, field):
        return _Unary(F(column), output_field=field)

    def unindexed(self, column: str):
        return _Unary(F(column), output_field=Order._meta.get_field(column))

    def range_leads(self, ordered, shop_ids, column, low, high, inclusive_end=False) -> bool:
        """SQLite's planner has no value histograms in this build: reading a page in list order, a wide
        range led by its index collects every row in range and sorts them; a probe of the (shop, column)
        index tells narrow from wide."""
        if not ordered:
            return True
        from orders.filters import between  # the range as the filters write it

        in_range = Order.objects.using(self.alias).filter(
            Q(shop_id__in=shop_ids), between(column, low, high, inclusive_end)
        )
        return in_range.order_by()[: limits.PROBE_ROWS + 1].count() <= limits.PROBE_ROWS

    def fold_case(self, value: str) -> str:
        return value.translate(ASCII_LOWER)  # SQLite's LOWER() folds ASCII letters only (Łódź stays Łódź)

    def in_after_sales(self, queryset):
        """Matched by rowid: an index range the filters walk holds each order's rowid, not its id, so
        matching ids would read the table row of every order walked; the few open requests' rowids come
        from the (id, ...) index alone."""
        table = connections[self.alias].ops.quote_name(Order._meta.db_table)
        pending = Order.objects.filter(condition("after_sales")).annotate(row=RawSQL(f"{table}.rowid", []))
        sql, params = pending.values("row").query.sql_with_params()
        return queryset.filter(RawSQL(f"{table}.rowid IN ({sql})", params, output_field=BooleanField()))


def dialect_for(alias: str) -> Dialect:
    return SQLite(alias) if connections[alias].vendor == "sqlite" else Dialect(alias)
