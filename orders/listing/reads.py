"""The reads that carry a plan out: page keys, capped counts, tab counts. Bounded queries only.

Which of them runs is decided in plan.py; how a column is written for each database in dialects.py.
Every function takes the filtered queryset, already within the visible orders."""

import heapq
import itertools
from collections import Counter
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections

from orders.pending import orders_with_open_requests
from orders.tabs import TABS, tab_statuses

from . import limits
from .dialects import dialect_for
from .plan import NULLABLE_COLUMNS

# sort key -> (the column it sorts on, descending?)
SORT_COLUMNS = {
    "-created": ("created_at", True),
    "created": ("created_at", False),
    "-paid": ("paid_at", True),
    "paid": ("paid_at", False),
    "ship_by": ("rts_sla_at", False),
    "-ship_by": ("rts_sla_at", True),
    "-total": ("total", True),
    "total": ("total", False),
}
SORT_LABELS = {
    "-created": "Newest first",
    "created": "Oldest first",
    "-paid": "Paid: newest",
    "paid": "Paid: oldest",
    "ship_by": "Ship-by: soonest",
    "-ship_by": "Ship-by: latest",
    "-total": "Total: highest",
    "total": "Total: lowest",
}


def ordering(sort: str):
    """ORDER BY for a sort key, with the id as tie-break (the indexes end in it implicitly)."""
    column, descending = SORT_COLUMNS[sort]
    return (f"-{column}", "-id") if descending else (column, "id")


def capped_count(queryset, cap: int) -> int:
    """COUNT(*) over at most cap+1 rows: "1,000+" is as useful as an exact figure and stays cheap.

    The rows counted are read as their shop id, which leads every index, rather than the order id,
    which none holds (it is not SQLite's rowid): the count then reads the index alone."""
    return queryset.order_by().values("shop_id")[: cap + 1].count()


def raw(queryset) -> list[tuple]:
    """The rows as the database driver returns them, without Django's per-value converters: sort keys
    are only compared, and converting tens of thousands of them cost more than reading them."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. an id list that came out empty: Django would not ask the database either
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _keys(queryset, sort: str, limit: int) -> list[tuple]:
    """The first `limit` (value, id) pairs in sort order, rows without a value last: two index range
    reads instead of one ORDER BY ... NULLS LAST, which no index can serve."""
    column, _ = SORT_COLUMNS[sort]
    key = dialect_for(queryset.db).key(column)
    ordered = queryset.order_by(*ordering(sort))
    if column not in NULLABLE_COLUMNS:
        return raw(ordered.values_list(key, "pk")[:limit])
    keys = raw(ordered.filter(**{f"{column}__isnull": False}).values_list(key, "pk")[:limit])
    if len(keys) < limit:
        rest = queryset.filter(**{f"{column}__isnull": True}).order_by(ordering(sort)[1])
        keys += raw(rest.values_list(key, "pk")[: limit - len(keys)])
    return keys


def _sort_key(descending):
    if descending:
        return lambda row: (row[0] is not None, row[0], row[1])  # rows without a value last
    return lambda row: (row[0] is None, row[0], row[1])


def sorted_page(keys, sort: str, offset: int, size: int) -> list[int]:
    """Ids of one page of (sort value, id) keys sorted here, rows without a value last."""
    column, descending = SORT_COLUMNS[sort]
    # (value, id) pairs compare as the key does when no value can be missing: sorted as they are, in C
    rows = sorted(keys, key=_sort_key(descending) if column in NULLABLE_COLUMNS else None, reverse=descending)
    return [pk for _, pk in rows[offset : offset + size]]


def unordered_keys(queryset, sort: str) -> list[tuple]:
    """Every match's (sort value, id), read without ORDER BY so the filters' own indexes serve it."""
    return raw(queryset.order_by().values_list(dialect_for(queryset.db).key(SORT_COLUMNS[sort][0]), "pk"))


def one_shop_page(queryset, sort: str, offset: int, size: int) -> list[int]:
    return [pk for _, pk in _keys(queryset, sort, offset + size)[offset:]]


def per_shop_merged_page(queryset, shop_ids, sort: str, offset: int, size: int) -> list[int]:
    """Each shop's first offset + size keys in order, merged here (a nullable column: NULLS LAST)."""
    streams = [_keys(queryset.filter(shop_id=shop_id), sort, offset + size) for shop_id in shop_ids]
    merged = heapq.merge(*streams, key=_sort_key(SORT_COLUMNS[sort][1]), reverse=SORT_COLUMNS[sort][1])
    return [pk for _, pk in itertools.islice(merged, offset, offset + size)]


def database_merged_page(queryset, shop_ids, sort: str, offset: int, size: int) -> list[int]:
    """Each shop's first offset + size keys from its own ordered index range, merged and cut to the page
    by the database in one statement: only the page comes back (a single `shop IN (...) ORDER BY` would
    sort every match; carrying 6 x 10,000 keys here to merge them cost more than the merge)."""
    column, descending = SORT_COLUMNS[sort]
    key = dialect_for(queryset.db).key(column)
    arms, params = [], []
    for n, shop_id in enumerate(shop_ids):
        arm = queryset.filter(shop_id=shop_id).order_by(*ordering(sort)).values_list(key, "pk")
        try:
            sql, arm_params = arm[: offset + size].query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:
            continue
        arms.append(f"SELECT * FROM ({sql}) shop{n}")
        params += arm_params
    if not arms:
        return []
    direction = "DESC" if descending else "ASC"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"{' UNION ALL '.join(arms)} ORDER BY 1 {direction}, 2 {direction} LIMIT %s OFFSET %s",
            [*params, size, offset],
        )
        return [pk for _, pk in cursor.fetchall()]


def probes(queryset, columns, parts) -> list | None:
    """Several probes of one filtered queryset in one statement: each part is (SQL over `{matches}`,
    its own params), and `{matches}` stands for the queryset's rows (`columns` of them, alias m),
    compiled once and folded into each part by the database. None when the queryset can match nothing.
    (At 1,000,000 orders the ORM's work on a dozen separate probes cost more than the database's.)"""
    try:
        sql, params = queryset.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:
        return None
    matches = f"({sql}) m"
    select = ", ".join(part.format(matches=matches) for part, _ in parts)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT {select}", [value for _, extra in parts for value in (*params, *extra)])
        return list(cursor.fetchone())


def shops_with_matches(queryset, shop_ids, seen=frozenset()) -> list[int]:
    """The shops with at least one matching order (a payment method or a total range often matches
    nothing in some shops: leaving those out spares every later read a fruitless walk through them).
    `seen`: shops already known to have matches, not asked again."""
    if len(shop_ids) <= 1:
        return list(shop_ids)
    unseen = [shop_id for shop_id in shop_ids if shop_id not in seen]
    if not unseen:
        return list(shop_ids)
    found = probes(
        queryset,
        ("shop_id",),
        [("EXISTS(SELECT 1 FROM {matches} WHERE m.shop_id = %s)", [shop_id]) for shop_id in unseen],
    ) or [False] * len(unseen)
    has = {shop_id for shop_id, yes in zip(unseen, found, strict=True) if yes}
    return [shop_id for shop_id in shop_ids if shop_id in seen or shop_id in has]


def tab_counts(queryset, all_count=None) -> dict[str, int]:
    """Count per tab under the other filters, capped at TAB_COUNT_CAP (`all_count`: "All"'s, if known).
    The status tabs are counted in one statement; "Returns/Refunds" (requests, not statuses) alone."""
    cap = limits.TAB_COUNT_CAP
    counted = [key for key in TABS if tab_statuses(key) is not None or (key == "all" and all_count is None)]
    parts = []
    for key in counted:
        statuses = sorted(tab_statuses(key) or ())
        where = f"WHERE m.status IN ({', '.join(['%s'] * len(statuses))})" if statuses else ""
        parts.append((f"(SELECT COUNT(*) FROM (SELECT 1 FROM {{matches}} {where} LIMIT {cap + 1}) c)", statuses))
    found = probes(queryset, ("shop_id", "status"), parts) or [0] * len(parts)
    counts = dict(zip(counted, found, strict=True))
    if all_count is not None:
        counts["all"] = min(all_count, cap + 1)
    counts["after_sales"] = capped_count(dialect_for(queryset.db).in_after_sales(queryset), cap)
    return {key: counts[key] for key in TABS}


def match_rows(queryset, sort: str, limit: int, keyed: bool) -> list[tuple]:
    """At most limit + 1 matches' (shop, status), with (sort value, id) when `keyed`, unordered."""
    columns = ("shop_id", "status") + ((dialect_for(queryset.db).key(SORT_COLUMNS[sort][0]), "pk") if keyed else ())
    return raw(queryset.order_by().values_list(*columns)[: limit + 1])


def counts_from_rows(queryset, shop_ids, rows, keyed: bool):
    """(shops, tab counts) from every match's (shop, status[, key, id]) read: only "Returns/Refunds"
    (requests, not statuses) may still be counted by the database."""
    cap = limits.TAB_COUNT_CAP
    matched = set(map(itemgetter(0), rows))
    shops = list(shop_ids) if len(shop_ids) <= 1 else [shop_id for shop_id in shop_ids if shop_id in matched]
    per_status = Counter(map(itemgetter(1), rows))
    # With every match's id at hand, "Returns/Refunds" is the matches among the few orders with an open
    # request: counting it in the database would look each of thousands of matches up again.
    after_sales = _after_sales_among(map(itemgetter(3), rows)) if keyed else None
    counts = {}
    for key in TABS:
        statuses = tab_statuses(key)
        if key == "all":
            counts[key] = min(len(rows), cap + 1)
        elif statuses is not None:
            counts[key] = min(sum(n for status, n in per_status.items() if status in statuses), cap + 1)
        elif after_sales is not None:
            counts[key] = min(after_sales, cap + 1)
        else:
            scoped = queryset.filter(shop_id__in=shops)
            counts[key] = capped_count(dialect_for(queryset.db).in_after_sales(scoped), cap)
    return shops, counts


def _after_sales_among(order_ids) -> int | None:
    """How many of these orders are in "Returns/Refunds", or None when the orders with an open request
    are too many to read here (then the tab is counted by the database)."""
    pending = orders_with_open_requests(limits.SORT_HERE_LIMIT)  # what condition("after_sales") selects
    return None if pending is None else len(pending.intersection(order_ids))


def tab_keys(rows, tab: str):
    """The (sort value, id) keys of a tab's orders among every match read (keyed rows), or None when the
    tab is not a set of statuses ("Returns/Refunds" depends on requests)."""
    if tab == "all":
        return list(map(itemgetter(2, 3), rows))
    statuses = tab_statuses(tab)
    if statuses is None:
        return None
    return [row[2:] for row in rows if row[1] in statuses]
