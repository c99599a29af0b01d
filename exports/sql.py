"""One SELECT per export (run with parameters, so a literal percent sign is written %%): the filtered
orders, in list order, joined to their shop, lines and packages; labels, formula neutralisation, ids
as text and hidden addresses done in the database. Times (into each shop's zone) and money text are
cheaper in Python, per row, with a cache (exports/shaping.py).
"""

from dataclasses import dataclass
from django.core.exceptions import EmptyResultSet

from .columns import Column, Format, Kind, Layout, Pii
from .writers import FORMULA_STARTS

HIDDEN = "***"
ADDRESS_HIDDEN_STATUSES = ("UNPAID", "ON_HOLD")


@dataclass(frozen=True)
class ExportQuery:
    sql: str
    params: tuple
    count_inner: str  # one row per export row: counted, capped or not
    count_params: tuple
    columns: list[Column]
    masked_columns: dict  # column index -> Pii kind, to mask in Python (names, e-mails, phones)


class Dialect:
    def __init__(self, vendor: str):
        self.vendor = vendor
        self.sqlite = vendor == "sqlite"
        self.agg = "group_concat" if self.sqlite else "string_agg"

    def text(self, expr):
        return f"CAST({expr} AS TEXT)"

    def money_number(self, expr):
        return f"ROUND({expr}, 2)" if self.sqlite else f"CAST({expr} AS DOUBLE PRECISION)"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def neutralised(expr: str, dialect: "Dialect") -> str:
    """A leading apostrophe for text that a spreadsheet would read as a formula."""
    code = "char" if dialect.sqlite else "chr"  # PostgreSQL's name for it
    starts = ", ".join(f"{code}({ord(c)})" if c in "\t\r\n" else _quote(c) for c in FORMULA_STARTS)
    return f"CASE WHEN substr({expr}, 1, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


def column_sql(column: Column, fmt: Format, dialect: Dialect, masked: bool) -> str:
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
        expr = dialect.money_number(expr)  # CSV writes it with two decimals (exports/shaping.py)
    elif column.kind is Kind.TIME:
        pass  # shifted into the shop's zone in Python (exports/shaping.py): cheaper than per-cell SQL
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


def build(queryset, layout: Layout, fmt: Format, *, vendor: str, masked: bool) -> ExportQuery:
    """The export's SELECT over the orders `queryset` selects (its filters, scope and all)."""
    dialect = Dialect(vendor)
    try:
        ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
        # The rows come in list order straight from the (created_at, id) index: the orders, ordered, lead the
        # join, so the database never sorts a million wide rows (only the lines within one order).
        ordered_sql, ordered_params = queryset.order_by("created_at", "id").values_list(
            "id", "created_at").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. a search without a hit): an empty export
        ids_sql, ids_params = "SELECT id FROM orders_order WHERE 1 = 0", ()
        ordered_sql, ordered_params = "SELECT id, created_at FROM orders_order WHERE 1 = 0", ()
    columns = layout.columns
    select = ",\n  ".join(column_sql(c, fmt, dialect, masked) for c in columns)
    orders = f"({ordered_sql}) f JOIN orders_order o ON o.id = f.id JOIN accounts_shop s ON s.id = o.shop_id"
    if layout is Layout.LINES:
        source = f"{orders} JOIN orders_lineitem l ON l.order_id = o.id LEFT JOIN orders_package p ON p.id = l.package_id"
        order_by = "f.created_at, f.id, l.id"
        count_inner = f"SELECT 1 FROM orders_lineitem WHERE order_id IN ({ids_sql})"
    else:
        source = orders
        order_by = "f.created_at, f.id"
        count_inner = ids_sql
    sql = f"SELECT\n  {select}\nFROM {source}\nORDER BY {order_by}"
    masked_columns = {i: c.pii for i, c in enumerate(columns)
                      if masked and c.pii in (Pii.NAME, Pii.EMAIL, Pii.PHONE)}
    return ExportQuery(sql, tuple(ordered_params), count_inner, tuple(ids_params), columns, masked_columns)
