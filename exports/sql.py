"""One SELECT per export (run with parameters, so a literal percent sign is written %%): the filtered orders' ids as a subquery, every column formatted in the
database (times in each shop's zone, money with two decimals, labels, formula neutralisation), so
that the writer's Python does as little as possible per row.

Time zones: the database gets, per shop, the UTC offsets in force over the span of the data and
the instants where they change (zoneinfo computes them here), as a CASE. SQLite has no time zone
database, and PostgreSQL's would answer the same; one method keeps both identical.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet

from accounts.spreadsheet import FORMULA_STARTS
from orders.masking import ADDRESS_HIDDEN_STATUSES, HIDDEN  # the screen's rules, defined once
from orders.zone_offsets import offsets

from .columns import Column, Format, Kind, Layout, Pii


@dataclass(frozen=True)
class ExportQuery:
    sql: str
    params: tuple
    count_inner: str  # one row per export row: counted, capped or not
    count_params: tuple
    columns: list[Column]
    masked_columns: dict  # column index -> Pii kind, to mask in Python (names, e-mails, phones)


def _suffix(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


class Dialect:
    def __init__(self, vendor: str):
        self.vendor = vendor
        self.sqlite = vendor == "sqlite"
        self.agg = "group_concat" if self.sqlite else "string_agg"

    def text(self, expr):
        return f"CAST({expr} AS TEXT)"

    def money_text(self, expr):
        return f"printf('%%.2f', {expr})" if self.sqlite else f"CAST(ROUND({expr}, 2) AS TEXT)"

    def money_number(self, expr):
        return f"ROUND({expr}, 2)" if self.sqlite else f"CAST({expr} AS DOUBLE PRECISION)"

    def instant(self, moment: datetime) -> str:
        text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        return f"'{text}'" if self.sqlite else f"TIMESTAMPTZ '{text}+00'"

    def shifted(self, expr, seconds: int) -> str:
        suffix = _suffix(seconds)
        if self.sqlite:
            # substr: whole seconds, as stored; strftime would round .9995 s up past an offset change
            return f"strftime('%%Y-%%m-%%dT%%H:%%M:%%S', substr({expr}, 1, 19), '{seconds:+d} seconds') || '{suffix}'"
        return (f"to_char(date_trunc('second', {expr} AT TIME ZONE 'UTC') + INTERVAL '{seconds} seconds', "
                f"'YYYY-MM-DD\"T\"HH24:MI:SS') || '{suffix}'")

    def local_time(self, expr, zones: dict) -> str:
        """`expr` in its shop's zone as ISO 8601 with the offset, e.g. 2026-11-20T06:03:00-08:00."""
        if not zones:  # no shop in scope: no rows either
            return "NULL"
        branches = []
        for shop_id, spans in zones.items():
            if len(spans) == 1:
                branches.append(f"WHEN {int(shop_id)} THEN {self.shifted(expr, spans[0][1])}")
                continue
            inner = " ".join(f"WHEN {expr} < {self.instant(until)} THEN {self.shifted(expr, seconds)}"
                             for until, seconds in spans[:-1])
            branches.append(f"WHEN {int(shop_id)} THEN CASE {inner} ELSE {self.shifted(expr, spans[-1][1])} END")
        return f"CASE WHEN {expr} IS NULL THEN NULL ELSE CASE o.shop_id {' '.join(branches)} END END"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def neutralised(expr: str, dialect: "Dialect") -> str:
    """A leading apostrophe for text that a spreadsheet would read as a formula."""
    code = "char" if dialect.sqlite else "chr"  # PostgreSQL's name for it
    starts = ", ".join(f"{code}({ord(c)})" if c in "\t\r\n" else _quote(c) for c in FORMULA_STARTS)
    return f"CASE WHEN substr({expr}, 1, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


def column_sql(column: Column, fmt: Format, dialect: Dialect, zones: dict, masked: bool) -> str:
    expr = column.sql.replace("{agg}", dialect.agg)
    if column.kind is Kind.ID:
        expr = dialect.text(expr)
        if fmt is Format.CSV_EXCEL:  # Excel keeps it as text, exactly as written
            expr = f"CASE WHEN {expr} IS NULL THEN NULL ELSE '=\"' || {expr} || '\"' END"
    elif column.kind is Kind.LABEL and column.choices:
        whens = " ".join(f"WHEN {_quote(value)} THEN {_quote(str(text))}" for value, text in column.choices)
        # a subquery is not repeated in ELSE: SQLite would run it twice per row (its values are all known)
        fallback = "''" if expr.startswith("(SELECT") else expr
        expr = f"CASE {expr} {whens} ELSE {fallback} END"
    elif column.kind is Kind.MONEY:
        expr = dialect.money_number(expr) if fmt is Format.XLSX else dialect.money_text(expr)
    elif column.kind is Kind.TIME:
        expr = dialect.local_time(expr, zones)
    elif column.kind is Kind.TEXT:
        if masked and column.pii is Pii.HIDDEN:
            expr = f"CASE WHEN {expr} <> '' THEN '{HIDDEN}' ELSE '' END"
        elif masked and column.pii is not None:
            pass  # masked in Python, then neutralised there (exports.writers.masker)
        elif fmt is not Format.XLSX:  # XLSX cells are written as strings, never formulas
            expr = neutralised(expr, dialect)
    if column.address:
        statuses = ", ".join(_quote(s) for s in ADDRESS_HIDDEN_STATUSES)
        expr = f"CASE WHEN o.status IN ({statuses}) THEN '{HIDDEN}' ELSE {expr} END"
    return expr


def build(queryset, layout: Layout, fmt: Format, *, vendor: str, masked: bool, zones: dict) -> ExportQuery:
    """The export's SELECT over the orders `queryset` selects (its filters, scope and all)."""
    dialect = Dialect(vendor)
    try:
        ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. a search without a hit): an empty export
        ids_sql, ids_params = "SELECT id FROM orders_order WHERE 1 = 0", ()
    columns = layout.columns
    select = ",\n  ".join(column_sql(c, fmt, dialect, zones, masked) for c in columns)
    if layout is Layout.LINES:
        source = ("orders_lineitem l JOIN orders_order o ON o.id = l.order_id JOIN accounts_shop s ON s.id = o.shop_id"
                  " LEFT JOIN orders_package p ON p.id = l.package_id")
        order_by = "o.created_at, o.id, l.id"
        count_inner = f"SELECT 1 FROM orders_lineitem WHERE order_id IN ({ids_sql})"
    else:
        source = "orders_order o JOIN accounts_shop s ON s.id = o.shop_id"
        order_by = "o.created_at, o.id"
        count_inner = ids_sql
    sql = f"SELECT\n  {select}\nFROM {source}\nWHERE o.id IN ({ids_sql})\nORDER BY {order_by}"
    masked_columns = {i: c.pii for i, c in enumerate(columns)
                      if masked and c.pii in (Pii.NAME, Pii.EMAIL, Pii.PHONE)}
    return ExportQuery(sql, tuple(ids_params), count_inner, tuple(ids_params), columns, masked_columns)


def zones_for(shops, start: datetime, end: datetime) -> dict:
    return {shop.pk: offsets(shop.time_zone, start, end) for shop in shops}
