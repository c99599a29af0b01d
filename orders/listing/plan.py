"""The choice of plan: pure functions of what is known about a request's matches, so that tests can
state which plan each case takes without a database, and no caller decides it by itself.

Counting (the shops with matches and each tab's capped count):
- READ_MATCHES: read the matches' (shop, status[, sort key, id]) once, up to the cap or a search's bound;
  the shops and status tabs follow from them here. Over the limit, it falls back to PROBE_COUNTS.
- PROBE_COUNTS: a lone search already found more than the cap: which shops match and each tab's capped
  count are asked in one statement each (reads.probes), "All" is over the cap.

Paging:
- FROM_MATCHES: every match's key was read for the counts: sort them here, read nothing more.
- SORT_HERE: few matches (under the tab cap, a search's bound or the sort limit): read their keys
  without ORDER BY, through the filters' own indexes, and sort here.
- PROBE_SORT_LIMIT: a sort other than created time over many matches: count up to the sort limit first,
  then choose again with the answer.
- ONE_SHOP: the shop's (shop, column) index range in order, cut at the page.
- DATABASE_MERGE: each shop's ordered range, one arm of a UNION ALL, merged and cut by the database.
- PER_SHOP_MERGE: as DATABASE_MERGE, merged here: a column that may be empty sorts NULLS LAST, which
  takes two ordered reads per shop.
"""

from dataclasses import dataclass
from enum import Enum

from . import limits

NULLABLE_COLUMNS = frozenset({"paid_at", "rts_sla_at"})


class CountPlan(Enum):
    READ_MATCHES = "read the matches"
    PROBE_COUNTS = "probe each shop and count each tab"


class PagePlan(Enum):
    FROM_MATCHES = "sort the matches read"
    SORT_HERE = "read the keys and sort them here"
    PROBE_SORT_LIMIT = "count up to the sort limit, then choose"
    ONE_SHOP = "one ordered range"
    DATABASE_MERGE = "ordered ranges merged by the database"
    PER_SHOP_MERGE = "ordered ranges merged here"


@dataclass(frozen=True)
class CountFacts:
    bound: int | None  # the searches' bound on the matches (None: unknown)
    floor: int  # a lone search found at least this many
    sort_column: str
    has_reader: bool  # a lone search can read its matches' keys from its own table


@dataclass(frozen=True)
class CountChoice:
    plan: CountPlan
    limit: int = 0  # READ_MATCHES: read at most limit + 1 rows
    keyed: bool = False  # read each match's sort key and id too (for FROM_MATCHES)
    from_reader: bool = False  # read them through the search's own reader


def choose_count_plan(facts: CountFacts) -> CountChoice:
    if facts.bound is None and facts.floor > limits.TAB_COUNT_CAP:
        return CountChoice(CountPlan.PROBE_COUNTS)
    keyed = facts.bound is not None
    return CountChoice(
        CountPlan.READ_MATCHES,
        limit=max(limits.TAB_COUNT_CAP, facts.bound or 0),
        keyed=keyed,
        from_reader=keyed and facts.has_reader and facts.sort_column == "created_at",
    )


@dataclass(frozen=True)
class PageFacts:
    keys_read: bool  # every match's sort key was read while counting
    tab_count: int  # the tab's capped count
    bound: int | None
    sort_column: str
    shop_count: int
    up_to_sort_limit: int | None = None  # the matches counted up to SORT_HERE_LIMIT + 1, once asked


def choose_page_plan(facts: PageFacts) -> PagePlan:
    if facts.keys_read:
        return PagePlan.FROM_MATCHES
    if facts.tab_count <= limits.TAB_COUNT_CAP or (facts.bound is not None and facts.bound <= limits.SORT_HERE_LIMIT):
        return PagePlan.SORT_HERE
    if facts.sort_column != "created_at":
        # e.g. "To ship" by ship-by deadline: the column's index would be walked through every older order
        # to find the few thousand that match; reading those and sorting them is cheaper
        if facts.up_to_sort_limit is None:
            return PagePlan.PROBE_SORT_LIMIT
        if facts.up_to_sort_limit <= limits.SORT_HERE_LIMIT:
            return PagePlan.SORT_HERE
    if facts.shop_count <= 1:
        return PagePlan.ONE_SHOP
    if facts.sort_column in NULLABLE_COLUMNS:
        return PagePlan.PER_SHOP_MERGE
    return PagePlan.DATABASE_MERGE
