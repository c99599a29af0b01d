"""Reads for Manage Orders: one page of rows, capped counts, tab counts. Bounded queries only."""

from dataclasses import dataclass

from django.db.models import F, Prefetch

from orders.models import LineItem, Package
from orders.tabs import TABS, condition

COUNT_CAP = 10_000
PAGE_SIZES = (20, 50, 100)
SORTS = {
    "-created": ("-created_at", "-id"), "created": ("created_at", "id"),
    "-paid": (F("paid_at").desc(nulls_last=True), "-id"), "paid": (F("paid_at").asc(nulls_last=True), "id"),
    "ship_by": (F("rts_sla_at").asc(nulls_last=True), "id"), "-ship_by": (F("rts_sla_at").desc(nulls_last=True), "-id"),
    "-total": ("-total", "-id"), "total": ("total", "id"),
}
SORT_LABELS = {"-created": "Newest first", "created": "Oldest first", "-paid": "Paid: newest", "paid": "Paid: oldest",
               "ship_by": "Ship-by: soonest", "-ship_by": "Ship-by: latest", "-total": "Total: highest",
               "total": "Total: lowest"}


def capped_count(queryset) -> int:
    """COUNT(*) over at most COUNT_CAP+1 rows: "10,000+" is as useful as an exact figure and stays cheap."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


@dataclass
class Page:
    rows: list
    number: int
    size: int
    count: int  # capped at COUNT_CAP + 1

    @property
    def count_is_capped(self):
        return self.count > COUNT_CAP

    @property
    def last_number(self):
        return max(1, -(-min(self.count, COUNT_CAP) // self.size))

    @property
    def has_next(self):
        return self.number < self.last_number

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def start_index(self):
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self):
        return (self.number - 1) * self.size + len(self.rows)


class PageOutOfRange(ValueError):
    pass


def last_page(count: int, size: int) -> int:
    return max(1, -(-min(count, COUNT_CAP) // size))


def order_page(queryset, *, sort: str, number: int, size: int, count: int | None = None) -> Page:
    """Rows of one page with what the list shows of them: 4 queries whatever the page size."""
    count = capped_count(queryset) if count is None else count
    if number > last_page(count, size):
        raise PageOutOfRange(number)
    rows = list(
        queryset.select_related("shop")
        .prefetch_related(
            Prefetch("lines", queryset=LineItem.objects.only(
                "id", "order_id", "product_name", "sku_name", "quantity", "seller_sku").order_by("id")),
            Prefetch("packages", queryset=Package.objects.only(
                "id", "order_id", "carrier", "tracking_number", "created_at").order_by("created_at")),
        )
        .order_by(*SORTS[sort])[(number - 1) * size: number * size]
    )
    return Page(rows, number, size, count)


def tab_counts(queryset) -> dict[str, int]:
    """Capped count per tab, under the other filters."""
    counts = {}
    for key in TABS:
        cond = condition(key)
        counts[key] = capped_count(queryset.filter(cond) if cond is not None else queryset)
    return counts
