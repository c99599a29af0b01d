"""One SELECT per export (run with parameters, so a literal percent sign is written %%): the filtered
orders' ids as a subquery, and per column either the finished text (labels, ids, formula-guarded
text; for CSV also quoted and joined with its neighbours into one string) or the raw value that
Python finishes (times, money, masked buyer data: exports/shaping.py says why). The shop id comes
last, for the time zone.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet

from accounts.spreadsheet import FORMULA_STARTS
from orders.masking import ADDRESS_HIDDEN_STATUSES, HIDDEN  # the screen's rules, defined once

from .columns import Column, Format, Kind, Layout, Pii
from .shaping import Finish, Output

PII_FINISH = {Pii.NAME: Finish.NAME, Pii.EMAIL: Finish.EMAIL, Pii.PHONE: Finish.PHONE}


@dataclass(frozen=True)
class ExportQuery:
    sql: str
    params: tuple
    count_inner: str  # one row per export row: counted, capped or not
    count_params: tuple
    columns: list[Column]
    outputs: list[Output]  # the SELECT's columns (the shop id follows them) and Python's part
    zones: dict  # shop id -> time zone name


class Dialect:
    def __init__(self, vendor: str):
        self.vendor = vendor
        self.sqlite = vendor == "sqlite"
        self.agg = "group_concat" if self.sqlite else "string_agg"
        self.char = "char" if self.sqlite else "chr"

    def text(self, expr):
        return f"CAST({expr} AS TEXT)"

    def money_number(self, expr):
        return f"ROUND({expr}, 2)" if self.sqlite else f"CAST({expr} AS DOUBLE PRECISION)"

    def money_raw(self, expr):
        # SQLite: a bare decimal column would go through Django's converter; an expression does not
        return f"({expr} + 0)" if self.sqlite else expr

    def csv_field(self, expr):
        """RFC 4180: in quotes, quotes doubled (SQLite's printf %w doubles them in one step); NULL as
        an empty field."""
        if self.sqlite:
            return f"printf('\"%%w\"', COALESCE({expr}, ''))"
        return f"('\"' || replace(COALESCE({expr}, ''), '\"', '\"\"') || '\"')"

    def csv_text(self, expr):
        """Free text as its CSV field, formula-guarded: one printf on SQLite (cheaper than a CASE
        around the text and a replace)."""
        if not self.sqlite:
            return self.csv_field(neutralised(expr, self))
        starts = ", ".join(str(ord(c)) for c in FORMULA_STARTS)
        return (
            f"printf(CASE WHEN unicode({expr}) IN ({starts}) THEN '\"''%%w\"' ELSE '\"%%w\"' END, COALESCE({expr}, ''))"
        )

    def utc_text(self, expr):
        """UTC as "YYYY-MM-DD HH:MM:SS" (SQLite stores it so, maybe with a fraction after)."""
        if self.sqlite:
            return f"substr({expr}, 1, 19)"
        return f"to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def neutralised(expr: str, dialect: Dialect) -> str:
    """A leading apostrophe for text that a spreadsheet would read as a formula."""
    starts = ", ".join(f"{dialect.char}({ord(c)})" if c in "\t\r\n" else _quote(c) for c in FORMULA_STARTS)
    return f"CASE WHEN substr({expr}, 1, 1) IN ({starts}) THEN '''' || {expr} ELSE {expr} END"


def csv_literal(text: str) -> str:
    return _quote('"' + text.replace('"', '""') + '"')


def column_output(column: Column, fmt: Format, dialect: Dialect, masked: bool) -> Output:
    """The column's SELECT expression, finished in the database where that is cheap. For CSV, a
    finished field is already quoted (never NULL)."""
    csv = fmt is not Format.XLSX
    expr = column.sql.replace("{agg}", dialect.agg)
    finish, field = Finish.DONE, dialect.csv_field if csv else (lambda text: text)
    literal = csv_literal if csv else _quote
    if column.kind is Kind.ID:
        expr = dialect.text(expr)
        if fmt is Format.CSV_EXCEL:  # Excel keeps it as text, exactly as written
            expr = f"'=\"' || {expr} || '\"'"
        expr = field(expr)
    elif column.kind is Kind.LABEL and column.choices:
        # each label as its finished field; a subquery is not repeated in ELSE: SQLite would run it
        # twice per row (its values are all known)
        whens = " ".join(f"WHEN {_quote(value)} THEN {literal(str(text))}" for value, text in column.choices)
        fallback = literal("") if expr.startswith("(SELECT") else field(expr)
        expr = f"CASE {expr} {whens} ELSE {fallback} END"
    elif column.kind is Kind.LABEL:
        expr = field(expr)
    elif column.kind is Kind.MONEY:
        expr, finish = (dialect.money_raw(expr) if csv else dialect.money_number(expr)), Finish.MONEY
    elif column.kind is Kind.INT:
        expr = f"COALESCE({dialect.text(expr)}, '')" if csv else expr
    elif column.kind is Kind.TIME:
        expr, finish = dialect.utc_text(expr), Finish.TIME
    elif column.kind is Kind.TEXT:
        if masked and column.pii is Pii.HIDDEN:
            expr = field(f"CASE WHEN {expr} <> '' THEN '{HIDDEN}' ELSE '' END")
        elif masked and column.pii in PII_FINISH:
            finish = PII_FINISH[column.pii]  # masked in Python, then formula-guarded and quoted there
        else:  # XLSX cells are written as strings, never formulas
            expr = dialect.csv_text(expr) if csv else expr
    if column.address:
        statuses = ", ".join(_quote(s) for s in ADDRESS_HIDDEN_STATUSES)
        hidden = literal(HIDDEN) if finish is Finish.DONE else _quote(HIDDEN)
        expr = f"CASE WHEN o.status IN ({statuses}) THEN {hidden} ELSE {expr} END"
    return Output(expr, finish)


def csv_outputs(outputs: list[Output]) -> list[Output]:
    """Neighbouring finished fields joined into one string by the database: fewer values for
    Python to fetch and join."""
    joined, run = [], []
    for output in outputs:
        if output.finish is Finish.DONE:
            run.append(output.sql)
            continue
        if run:
            joined.append(Output(" || ',' || ".join(run)))
            run = []
        joined.append(output)
    if run:
        joined.append(Output(" || ',' || ".join(run)))
    return joined


def build(queryset, layout: Layout, fmt: Format, *, vendor: str, masked: bool, zones: dict) -> ExportQuery:
    """The export's SELECT over the orders `queryset` selects (its filters, scope and all).
    `zones`: shop id -> time zone name."""
    dialect = Dialect(vendor)
    try:
        ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (e.g. a search without a hit): an empty export
        ids_sql, ids_params = "SELECT id FROM orders_order WHERE 1 = 0", ()
    columns = layout.columns
    outputs = [column_output(c, fmt, dialect, masked) for c in columns]
    if fmt is not Format.XLSX:
        outputs = csv_outputs(outputs)
    select = ",\n  ".join([o.sql for o in outputs] + ["o.shop_id"])
    if layout is Layout.LINES:
        source = (
            "orders_lineitem l JOIN orders_order o ON o.id = l.order_id JOIN accounts_shop s ON s.id = o.shop_id"
            " LEFT JOIN orders_package p ON p.id = l.package_id"
        )
        order_by = "o.created_at, o.id, l.id"
        count_inner = f"SELECT 1 FROM orders_lineitem WHERE order_id IN ({ids_sql})"
    else:
        source = "orders_order o JOIN accounts_shop s ON s.id = o.shop_id"
        order_by = "o.created_at, o.id"
        count_inner = ids_sql
    sql = f"SELECT\n  {select}\nFROM {source}\nWHERE o.id IN ({ids_sql})\nORDER BY {order_by}"
    return ExportQuery(sql, tuple(ids_params), count_inner, tuple(ids_params), columns, outputs, dict(zones))
