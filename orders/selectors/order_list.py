"""Reads for Manage Orders: one page of rows, capped counts, tab counts. Bounded queries only."""

import heapq
import itertools
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, F, Func, Prefetch
from django.db.models.expressions import RawSQL

from orders.models import LineItem, Order, Package
from orders.pending import orders_with_open_requests
from orders.tabs import TABS, condition, tab_statuses

COUNT_CAP = 10_000  # rows the pager reaches
TAB_COUNT_CAP = 1_000  # tab badges read "1,000+" beyond this: seven counts per page view stay cheap
SORT_HERE_LIMIT = 20_000  # up to this many matches, a non-default sort reads their keys and sorts in Python
PAGE_SIZES = (20, 50, 100)
# sort key -> (the column it sorts on, descending?)
SORT_COLUMNS = {
    "-created": ("created_at", True), "created": ("created_at", False),
    "-paid": ("paid_at", True), "paid": ("paid_at", False),
    "ship_by": ("rts_sla_at", False), "-ship_by": ("rts_sla_at", True),
    "-total": ("total", True), "total": ("total", False),
}
SORT_LABELS = {"-created": "Newest first", "created": "Oldest first", "-paid": "Paid: newest", "paid": "Paid: oldest",
               "ship_by": "Ship-by: soonest", "-ship_by": "Ship-by: latest", "-total": "Total: highest",
               "total": "Total: lowest"}


NULLABLE_COLUMNS = frozenset({"paid_at", "rts_sla_at"})


def ordering(sort: str):
    """ORDER BY for a sort key, with the id as tie-break (the indexes end in it implicitly)."""
    column, descending = SORT_COLUMNS[sort]
    return (f"-{column}", "-id") if descending else (column, "id")


def capped_count(queryset, cap: int) -> int:
    """COUNT(*) over at most cap+1 rows: "1,000+" is as useful as an exact figure and stays cheap.

    The rows counted are read as their shop id, which leads every index, rather than the order id,
    which none holds (it is not SQLite's rowid): the count then reads the index alone."""
    return queryset.order_by().values("shop_id")[: cap + 1].count()


@dataclass
class Page:
    """One page of rows. `count` is the tab's capped count, shown as "1,000+" beyond TAB_COUNT_CAP;
    whether a next page exists is read by fetching one row more, not by counting."""

    rows: list
    number: int
    size: int
    count: int
    has_next: bool

    @property
    def count_is_capped(self):
        return self.count > TAB_COUNT_CAP

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def start_index(self):
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self):
        return (self.number - 1) * self.size + len(self.rows)

    @property
    def last_number(self):
        """The last page when the count is exact; None when it is capped."""
        return None if self.count_is_capped else max(1, -(-self.count // self.size))


class PageOutOfRange(ValueError):
    def __init__(self, number, reason):
        super().__init__(reason)
        self.number = number


def max_page(size: int) -> int:
    return COUNT_CAP // size


def _raw(queryset) -> list[tuple]:
    """The rows as the database driver returns them, without Django's per-value converters.

    Sort keys are only compared, never shown: on SQLite a time is its stored ISO text, which orders
    exactly as the index does, and converting tens of thousands of them to datetimes (a deep page
    sorted by paid time merges 6 x 10,000 keys) cost more than reading them. PostgreSQL's driver returns datetimes."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. an id list that came out empty: Django would not ask the database either
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _AsStored(Func):
    """A column as stored. On SQLite `+column`: the same value, but an expression has no declared type,
    so the driver does not parse every time read as a key into a datetime (its converters go by the
    declared type); the text orders as the index does. Elsewhere the plain column."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _key(column):
    return _AsStored(F(column), output_field=Order._meta.get_field(column))


def _keys(queryset, sort: str, limit: int) -> list[tuple]:
    """The first `limit` (value, id) pairs in sort order, rows without a value last.

    Two index range reads instead of one ORDER BY ... NULLS LAST, which no index can serve."""
    column, _ = SORT_COLUMNS[sort]
    ordered = queryset.order_by(*ordering(sort))
    if column not in NULLABLE_COLUMNS:
        return _raw(ordered.values_list(_key(column), "pk")[:limit])
    keys = _raw(ordered.filter(**{f"{column}__isnull": False}).values_list(_key(column), "pk")[:limit])
    if len(keys) < limit:
        rest = queryset.filter(**{f"{column}__isnull": True}).order_by(ordering(sort)[1])
        keys += _raw(rest.values_list(_key(column), "pk")[: limit - len(keys)])
    return keys


def _sort_key(descending):
    if descending:
        return lambda row: (row[0] is not None, row[0], row[1])  # rows without a value last
    return lambda row: (row[0] is None, row[0], row[1])


def _sorted_page(keys, sort: str, offset: int, size: int) -> list[int]:
    """Ids of one page of (sort value, id) keys sorted here, rows without a value last."""
    column, descending = SORT_COLUMNS[sort]
    # (value, id) pairs compare as the key does when no value can be missing: sorted as they are, in C
    # (a common buyer name has thousands of matches; a key function per element cost more than the sort)
    rows = sorted(keys, key=_sort_key(descending) if column in NULLABLE_COLUMNS else None, reverse=descending)
    return [pk for _, pk in rows[offset: offset + size]]


def page_ids(queryset, shop_ids, sort: str, offset: int, size: int, few: bool = False) -> list[int]:
    """Ids of one page.

    `few` (the capped count says at most TAB_COUNT_CAP rows match): read the matching keys without
    ORDER BY, so the database uses the filters' own indexes, and sort them here. Otherwise, across
    several shops, each shop's (shop, column) index yields its first offset+size keys in order and
    they are merged (by the database; here when rows may lack a value: NULLS LAST takes two reads per
    shop); a single `shop IN (...) ORDER BY` would sort every match.
    """
    column, descending = SORT_COLUMNS[sort]
    if few:
        return _sorted_page(_raw(queryset.order_by().values_list(_key(column), "pk")), sort, offset, size)
    if len(shop_ids) <= 1:
        return [pk for _, pk in _keys(queryset, sort, offset + size)[offset:]]
    if column not in NULLABLE_COLUMNS:
        return _merged_by_the_database(queryset, shop_ids, sort, offset, size)
    streams = [_keys(queryset.filter(shop_id=shop_id), sort, offset + size) for shop_id in shop_ids]
    merged = heapq.merge(*streams, key=_sort_key(descending), reverse=descending)
    return [pk for _, pk in itertools.islice(merged, offset, offset + size)]


def _merged_by_the_database(queryset, shop_ids, sort: str, offset: int, size: int) -> list[int]:
    """page_ids() across shops in one statement: each shop's first offset + size keys from its own
    ordered index range, merged and cut to the page by the database. Only the page comes back: a deep
    page used to carry 6 x 10,000 keys here to merge them."""
    column, descending = SORT_COLUMNS[sort]
    arms, params = [], []
    for n, shop_id in enumerate(shop_ids):
        arm = queryset.filter(shop_id=shop_id).order_by(*ordering(sort)).values_list(_key(column), "pk")
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
        cursor.execute(f"{' UNION ALL '.join(arms)} ORDER BY 1 {direction}, 2 {direction} LIMIT %s OFFSET %s",
                       [*params, size, offset])
        return [pk for _, pk in cursor.fetchall()]


def order_page(queryset, *, shop_ids, sort: str, number: int, size: int, count: int, bound=None,
               keys=None) -> Page:
    """Rows of one page with what the list shows of them; a fixed number of queries whatever the size.

    `keys`: the (sort value, id) of every order the queryset matches, already read (matches_keys()).
    `bound`: a search says at most this many orders match; up to SORT_HERE_LIMIT, their keys are read
    once and sorted here rather than looked up again by each shop's ordered read."""
    if number > max_page(size):
        raise PageOutOfRange(number, f"Only the first {COUNT_CAP:,} matches can be paged through; "
                                     "narrow the filters to reach the others.")
    few = count <= TAB_COUNT_CAP or (bound is not None and bound <= SORT_HERE_LIMIT)
    if not few and SORT_COLUMNS[sort][0] != "created_at":
        # e.g. "To ship" by ship-by deadline: the sort column's index would be walked through every
        # older order to find the few thousand that match; reading those and sorting them is cheaper.
        few = capped_count(queryset, SORT_HERE_LIMIT) <= SORT_HERE_LIMIT
    if keys is not None:
        ids = _sorted_page(keys, sort, (number - 1) * size, size + 1)
    else:
        ids = page_ids(queryset, shop_ids, sort, (number - 1) * size, size + 1, few=few)
    has_next, ids = len(ids) > size, ids[:size]
    if not ids and number > 1:
        raise PageOutOfRange(number, f"Page {number:,} is past the last page.")
    rows = list(
        Order.objects.filter(pk__in=ids).select_related("shop").prefetch_related(
            Prefetch("lines", queryset=LineItem.objects.only(
                "id", "order_id", "product_name", "sku_name", "quantity", "seller_sku").order_by("id")),
            Prefetch("packages", queryset=Package.objects.only(
                "id", "order_id", "carrier", "tracking_number", "created_at").order_by("created_at")),
        )
    )
    position = {pk: i for i, pk in enumerate(ids)}
    rows.sort(key=lambda order: position[order.pk])
    return Page(rows, number, size, count, has_next and number < max_page(size))


def probes(queryset, columns, parts) -> list | None:
    """Several probes of one filtered queryset in one statement: each part is (SQL over `{matches}`,
    its own params), and `{matches}` stands for the queryset's rows (`columns` of them, alias m),
    compiled once and folded into each part by the database. None when the queryset can match
    nothing.

    Beyond the tab-count cap a page asked up to six "does this shop have any?" and six capped counts,
    each a query of its own: at 1,000,000 orders the ORM's work on each cost more than the database's."""
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
    """The shops with at least one matching order. A filter such as a payment method or a total range
    often matches nothing in some shops (another country, another currency); leaving those out spares
    every later count and page query a fruitless walk through that shop's orders.
    `seen`: shops already known to have matches (read among them), not asked again."""
    if len(shop_ids) <= 1:
        return list(shop_ids)
    unseen = [shop_id for shop_id in shop_ids if shop_id not in seen]
    if not unseen:
        return list(shop_ids)
    found = probes(queryset, ("shop_id",), [("EXISTS(SELECT 1 FROM {matches} WHERE m.shop_id = %s)", [shop_id])
                                            for shop_id in unseen]) or [False] * len(unseen)
    has = {shop_id for shop_id, yes in zip(unseen, found, strict=True) if yes}
    return [shop_id for shop_id in shop_ids if shop_id in seen or shop_id in has]


def tab_counts(queryset, all_count=None) -> dict[str, int]:
    """Count per tab under the other filters, capped at TAB_COUNT_CAP (`all_count`: "All"'s, if known).
    The status tabs are counted in one statement; "Returns/Refunds" (requests, not statuses) alone."""
    limit = f"LIMIT {TAB_COUNT_CAP + 1}"
    counted = [key for key in TABS if tab_statuses(key) is not None or (key == "all" and all_count is None)]
    parts = []
    for key in counted:
        statuses = sorted(tab_statuses(key) or ())
        where = f"WHERE m.status IN ({', '.join(['%s'] * len(statuses))})" if statuses else ""
        parts.append((f"(SELECT COUNT(*) FROM (SELECT 1 FROM {{matches}} {where} {limit}) c)", statuses))
    found = probes(queryset, ("shop_id", "status"), parts) or [0] * len(parts)
    counts = dict(zip(counted, found, strict=True))
    for key in TABS:
        if key == "all" and all_count is not None:
            counts[key] = min(all_count, TAB_COUNT_CAP + 1)
        elif key not in counts:
            counts[key] = capped_count(_in_tab(queryset, key), TAB_COUNT_CAP)
    return {key: counts[key] for key in TABS}


def shops_and_tab_counts(queryset, shop_ids, bound=None, sort=None, floor=0, read=None):
    """shops_with_matches() and tab_counts() of the shops with matches, in as few queries as may be.

    One read of at most TAB_COUNT_CAP + 1 matches' (shop, status), or bound + 1 when a search says at
    most `bound` orders match (BOUNDED_LIMIT): when that is all of them (a search by SKU, tracking
    number, order id, buyer name ...), which shops match and each status tab's count follow from it
    here, where a dozen queries would each look up the same matches again; only the "Returns/Refunds"
    count (requests, not statuses) is still counted. Otherwise "All" is known to be over the cap and
    the rest is counted as before.

    `floor`: a search found at least this many matches (OrderFilter.match_floor). Beyond the cap, the
    read would only confirm that "All" is over it, at the price of a tab count (a product name matching
    one order in ten probes ~10,000 orders for it): it is left out.

    Returns (shops, counts, matches). With a bound and a `sort`, the read also takes each match's sort
    key: `matches` is then [(shop, status, sort value, id)] of every match (None if they were not all read),
    from which matches_keys() gives a status tab's page without reading them again. `read`: the one
    search's own reader of those rows (OrderFilter.match_reader), used for the created-time sorts."""
    if not shop_ids:
        return shops_with_matches(queryset, shop_ids), tab_counts(queryset.filter(shop_id__in=shop_ids)), None
    if bound is None and floor > TAB_COUNT_CAP:
        shops = shops_with_matches(queryset, shop_ids)
        return shops, tab_counts(queryset.filter(shop_id__in=shops), all_count=floor), None
    scoped = queryset.filter(shop_id__in=shop_ids)
    limit = max(TAB_COUNT_CAP, bound or 0)
    keyed = bound is not None and sort is not None
    columns = ("shop_id", "status") + ((_key(SORT_COLUMNS[sort][0]), "pk") if keyed else ())
    if keyed and read is not None and SORT_COLUMNS[sort][0] == "created_at":
        rows = read(list(shop_ids), limit + 1, using=queryset.db)
    else:
        rows = _raw(scoped.order_by().values_list(*columns)[: limit + 1])
    matched = set(map(itemgetter(0), rows))
    if len(rows) > limit:
        shops = shops_with_matches(queryset, shop_ids, seen=matched)
        return shops, tab_counts(queryset.filter(shop_id__in=shops), all_count=len(rows)), None
    shops = list(shop_ids) if len(shop_ids) <= 1 else [shop_id for shop_id in shop_ids if shop_id in matched]
    per_status = Counter(map(itemgetter(1), rows))
    # With every match's id at hand, "Returns/Refunds" is the matches among the few orders with an open
    # request: counting it in the database would look each of thousands of matches up again.
    after_sales = _after_sales_among(map(itemgetter(3), rows)) if keyed else None
    counts = {}
    for key in TABS:
        statuses = tab_statuses(key)
        if key == "all":
            counts[key] = min(len(rows), TAB_COUNT_CAP + 1)
        elif statuses is not None:
            counts[key] = min(sum(n for status, n in per_status.items() if status in statuses), TAB_COUNT_CAP + 1)
        elif key == "after_sales" and after_sales is not None:
            counts[key] = min(after_sales, TAB_COUNT_CAP + 1)
        else:
            counts[key] = capped_count(_in_tab(queryset.filter(shop_id__in=shops), key), TAB_COUNT_CAP)
    return shops, counts, rows if keyed else None


def _in_tab(queryset, key: str):
    """queryset.filter(condition(key)). On SQLite "Returns/Refunds" (the orders with an open request) is
    matched by rowid: an index range the filters walk holds each order's rowid, not its id, so matching
    ids read the table row of every order walked (a common city's 5,000 orders at 1,000,000: ~4 ms,
    against ~1 ms); the few open requests' rowids come from the (id, ...) index alone."""
    if key != "after_sales" or connections[queryset.db].vendor != "sqlite":
        return queryset.filter(condition(key))
    table = connections[queryset.db].ops.quote_name(Order._meta.db_table)
    pending = Order.objects.filter(condition(key)).annotate(row=RawSQL(f"{table}.rowid", [])).values("row")
    sql, params = pending.query.sql_with_params()
    return queryset.filter(RawSQL(f"{table}.rowid IN ({sql})", params, output_field=BooleanField()))


def _after_sales_among(order_ids) -> int | None:
    """How many of these orders are in the "Returns/Refunds" tab, or None when the orders with an open
    request are too many to read here (then the tab is counted by the database)."""
    pending = orders_with_open_requests(SORT_HERE_LIMIT)  # what condition("after_sales") selects
    return None if pending is None else len(pending.intersection(order_ids))


def matches_keys(matches, tab: str):
    """The (sort value, id) keys of a tab's orders among all the matches read, or None when the tab is
    not a set of statuses ("Returns/Refunds" depends on requests) or the matches were not all read."""
    if matches is None:
        return None
    if tab == "all":
        return list(map(itemgetter(2, 3), matches))
    statuses = tab_statuses(tab)
    if statuses is None:
        return None
    return [row[2:] for row in matches if row[1] in statuses]
