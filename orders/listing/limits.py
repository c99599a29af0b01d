"""The list's bounds, in one place: every count is capped and every read is limited. Read them as
limits.NAME at call time (tests lower them to reach every plan with a small data set)."""

COUNT_CAP = 10_000  # rows the pager reaches
TAB_COUNT_CAP = 1_000  # tab badges read "1,000+" beyond this: seven counts per page view stay cheap
SORT_HERE_LIMIT = 20_000  # up to this many matches, their keys are read and sorted in Python
PAGE_SIZES = (20, 50, 100)
MATERIALISE_LIMIT = 2_000  # a search matching up to this many orders hands on their ids
BOUNDED_LIMIT = 20_000  # up to this many buyer-name matches, the list reads them all once
PROBE_ROWS = 2_000  # a range over more rows than this is "wide" (see dialects.SQLite.range_leads)


def max_page(size: int) -> int:
    return COUNT_CAP // size
