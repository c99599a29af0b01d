"""The choice of plan, as a table: what is known of the matches -> how the list counts and pages."""

import pytest

from orders.listing.plan import (
    CountFacts,
    CountPlan,
    PageFacts,
    PagePlan,
    choose_count_plan,
    choose_page_plan,
)

C, P = CountPlan, PagePlan


@pytest.mark.parametrize(
    ("facts", "plan", "limit", "keyed", "from_reader"),
    [
        (CountFacts(None, 0, "created_at", False), C.READ_MATCHES, 1_000, False, False),  # no search
        (CountFacts(None, 5_000, "created_at", False), C.PROBE_COUNTS, 0, False, False),  # a common SKU alone
        (CountFacts(None, 900, "created_at", False), C.READ_MATCHES, 1_000, False, False),  # its floor under the cap
        (CountFacts(30, 0, "created_at", False), C.READ_MATCHES, 1_000, True, False),  # ids read first
        (CountFacts(8_000, 0, "created_at", True), C.READ_MATCHES, 8_000, True, True),  # a common first name alone
        (CountFacts(8_000, 0, "total", True), C.READ_MATCHES, 8_000, True, False),  # the words hold no totals
    ],
)
def test_count_plan(facts, plan, limit, keyed, from_reader):
    choice = choose_count_plan(facts)
    assert (choice.plan, choice.limit, choice.keyed, choice.from_reader) == (plan, limit, keyed, from_reader)


@pytest.mark.parametrize(
    ("facts", "plan"),
    [
        (PageFacts(True, 1_001, 8_000, "created_at", 6), P.FROM_MATCHES),
        (PageFacts(False, 40, None, "created_at", 6), P.SORT_HERE),  # few: under the tab cap
        (PageFacts(False, 1_001, 15_000, "created_at", 6), P.SORT_HERE),  # a bound under the sort limit
        (PageFacts(False, 1_001, None, "created_at", 1), P.ONE_SHOP),
        (PageFacts(False, 1_001, None, "created_at", 6), P.DATABASE_MERGE),
        (PageFacts(False, 1_001, None, "total", 6), P.PROBE_SORT_LIMIT),  # another sort: count first
        (PageFacts(False, 1_001, None, "total", 6, up_to_sort_limit=5_000), P.SORT_HERE),
        (PageFacts(False, 1_001, None, "total", 6, up_to_sort_limit=20_001), P.DATABASE_MERGE),
        (PageFacts(False, 1_001, None, "paid_at", 6, up_to_sort_limit=20_001), P.PER_SHOP_MERGE),  # NULLS LAST
        (PageFacts(False, 1_001, None, "rts_sla_at", 1, up_to_sort_limit=20_001), P.ONE_SHOP),
    ],
)
def test_page_plan(facts, plan):
    assert choose_page_plan(facts) is plan
