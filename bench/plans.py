"""Query plans of a benchmark case: captured, EXPLAINed, normalised, snapshotted and checked.

A case's page is requested once under CaptureQueriesContext; every SELECT it ran is EXPLAINed on the
same database (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (COSTS OFF)). The plan text is
normalised so that a snapshot only changes when the plan does: no costs, literals (ids, times,
terms) replaced by `?`, subquery numbers dropped, identical plans of one case written once.

A snapshot file (bench/plans/<vendor>/<case>.txt) starts with the indexes the case's plans use and
the big tables they read whole; `check` fails a case when an index of its snapshot is no longer
used or a new whole-table read appears: the sign that a change cost a case its index.
"""

import re
from pathlib import Path

BIG_TABLES = (
    "orders_order",
    "orders_lineitem",
    "orders_package",
    "orders_statushistory",
    "orders_trackingevent",
    "orders_returnrequest",
    "orders_cancellationrequest",
    "accounts_auditevent",
    "partner_api_webhookdelivery",
    "orders_buyer_word",
)
_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.$])-?\d+(?:\.\d+)?(?![\w$])")
_SUBQUERY = re.compile(r"((?:SUBQUERY|CO-ROUTINE|MATERIALIZE|SCALAR SUBQUERY|LIST SUBQUERY)) \d+")
_PG_NAMES = re.compile(r"\b(InitPlan|SubPlan|CTE|subquery|unnamed_subquery)[ _]?\d+")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def capture(client, url) -> list[str]:
    """The SQL of the SELECTs one request of `url` ran, in order, with their parameters written in."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]  # read before the log is cleared
    connection.queries_log.clear()
    return [sql for sql in statements if sql.lstrip("( ").upper().startswith(("SELECT", "WITH"))]


def explain(sql: str) -> list[str]:
    """The database's plan of one statement, as lines of text."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return _sqlite_tree(cursor.fetchall())
        cursor.execute("EXPLAIN (COSTS OFF) " + sql)
        return [row[0] for row in cursor.fetchall()]


def _sqlite_tree(rows) -> list[str]:
    """EXPLAIN QUERY PLAN's (id, parent, _, detail) rows as an indented tree."""
    depth, lines = {0: -1}, []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def normalise(line: str) -> str:
    line = _SUBQUERY.sub(r"\1", line)
    line = _PG_NAMES.sub(r"\1", line)
    line = _STRING.sub("?", line)
    line = _NUMBER.sub("?", line)
    line = re.sub(r"\(\?(?:, ?\?)+\)", "(?)", line)  # IN lists of any length
    line = re.sub(r"\{[?,]*\}", "{?}", line)  # PostgreSQL arrays: '{1,2,3}'
    return line.rstrip()


# Indexes of the small tables every request reads (session, user, second factor, shops): left out of
# a case's summary, which is about the big tables.
_SMALL = (
    "sqlite_autoindex_django_session",
    "sqlite_autoindex_accounts_securityprofile",
    "django_session",
    "auth_user",
    "otp_",
    "accounts_shop",
    "accounts_membership",
    "accounts_securityprofile",
)


def indexes_used(lines) -> set[str]:
    """The indexes named in the plan lines (a table read by its integer primary key as `<table>:rowid`, a
    WITHOUT ROWID table by its primary key as `<table>:pk`)."""
    found = set()
    for line in lines:
        found.update(
            f"{table}:pk" for table in re.findall(r"(\w+) USING (?:COVERING )?PRIMARY KEY", line) if table in BIG_TABLES
        )
        found.update(re.findall(r"USING (?:COVERING )?INDEX (\w+)", line))
        found.update(
            f"{table}:rowid" for table in re.findall(r"(\w+) USING INTEGER PRIMARY KEY", line) if table in BIG_TABLES
        )
        found.update(re.findall(r"(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\w+)", line))
    return {name for name in found if not name.startswith(_SMALL)}


def whole_reads(lines) -> set[str]:
    """Big tables read whole: SQLite's `SCAN table` without an index, PostgreSQL's Seq Scan."""
    found = set()
    for line in lines:
        match = re.search(r"\bSCAN (\w+)(?: AS \w+)?$", line.strip()) or re.search(r"Seq Scan on (\w+)", line)
        if match and match.group(1) in BIG_TABLES:
            found.add(match.group(1))
    return found


def case_plan(client, url) -> list[list[str]]:
    """The normalised plan of each distinct SELECT of one request (first occurrence order)."""
    plans, seen = [], set()
    for sql in capture(client, url):
        plan = [normalise(line) for line in explain(sql)]
        key = "\n".join(plan)
        if key not in seen:
            seen.add(key)
            plans.append(plan)
    return plans


def render(name, url, orders, plans) -> str:
    lines = [line for plan in plans for line in plan]
    head = [
        f"# case: {name}",
        f"# url: {normalise(url)}",
        f"# orders: {orders}",
        f"# indexes: {' '.join(sorted(indexes_used(lines)))}",
        f"# whole reads: {' '.join(sorted(whole_reads(lines)))}",
    ]
    body = []
    for number, plan in enumerate(plans, 1):
        body += [f"## plan {number}", *plan]
    return "\n".join(head + body) + "\n"


def read_header(text: str) -> tuple[set[str], set[str]]:
    fields = dict(
        line[2:].split(": ", 1) if ": " in line else (line[2:].rstrip(":"), "")
        for line in text.splitlines()
        if line.startswith("# ")
    )
    return set(fields.get("indexes", "").split()), set(fields.get("whole reads", "").split())


def snapshot_path(directory: Path, vendor: str, name: str) -> Path:
    return Path(directory) / vendor / f"{slug(name)}.txt"


def check(text_then: str, text_now: str) -> list[str]:
    """What got worse from the snapshot to now: indexes no longer used, new whole-table reads."""
    indexes_then, reads_then = read_header(text_then)
    indexes_now, reads_now = read_header(text_now)
    problems = [f"no longer uses index {name}" for name in sorted(indexes_then - indexes_now)]
    problems += [f"now reads all of {table}" for table in sorted(reads_now - reads_then)]
    return problems
