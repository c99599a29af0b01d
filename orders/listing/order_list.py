"""OrderList: the one entry point of every order list (as Django admin's ChangeList is of its lists).

    listing = OrderList(request.GET, user=request.user, access=PiiAccess.for_request(request))
    listing.errors              # what is wrong with the request, as "Label: message"; nothing ran
    listing.matching()          # every matching order (an export, a bulk action), within the visible ones
    result = listing.run()      # the capped tab counts and one page of rows

It parses the request once into a ListSpec, builds the filters over the orders visible to the user
with the permission asked (orders_visible_to: the one choke point), asks plan.py which reads to run
and runs them (reads.py). Rows are always fetched through the visible queryset: no plan can show
another shop's order."""

from dataclasses import dataclass, replace

from django.db.models import Prefetch
from django.utils import timezone

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.models import LineItem, Package
from orders.selectors.visibility import orders_visible_to

from . import limits, reads
from .matches import SearchFacts
from .plan import CountFacts, CountPlan, PageFacts, PagePlan, choose_count_plan, choose_page_plan
from .spec import ListSpec


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
        return self.count > limits.TAB_COUNT_CAP

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
        self.counts = None


@dataclass
class ListResult:
    counts: dict  # tab -> capped count
    page: Page
    shop_ids: list  # the shops with matches
    count_plan: CountPlan
    page_plan: PagePlan


def _errors_of(form) -> list[str]:
    """ "Label: message" for each field error (form-wide ones under "Filters")."""
    if form.is_valid():
        return []
    return [
        f"{form.fields[name].label or name.replace('_', ' ').title() if name in form.fields else 'Filters'}: "
        f"{' '.join(messages)}"
        for name, messages in form.errors.items()
    ]


class OrderList:
    def __init__(self, query, *, user, perm=Perm.VIEW_ORDERS, access=None, now=None, shop_codes=None):
        """`query`: the list's URL parameters (a QueryDict). `perm`: the permission the orders are listed
        for (viewing, exporting, shipping): only the shops where the user holds it. `access`: the
        user's PiiAccess (who may search by buyer data). `shop_codes`: only these of those shops."""
        from orders.filters import OrderFilter
        from orders.forms import ListControlsForm
        from orders.masking import PiiAccess

        shops = shops_with_permission(user, perm).order_by("name")
        if shop_codes:
            shops = shops.filter(code__in=shop_codes)
        self.shop_queryset, self.shops = shops, list(shops)
        shop_ids = [shop.pk for shop in self.shops]
        self.visible = (
            orders_visible_to(user, perm).filter(shop_id__in=shop_ids) if shop_codes else orders_visible_to(user, perm)
        )
        access = access or PiiAccess.for_user(user)
        self.controls = ListControlsForm(query)
        number, size, sort = (
            self.controls.cleaned() if self.controls.is_valid() else (1, limits.PAGE_SIZES[0], "-created")
        )
        self.spec = ListSpec.of(
            query,
            sort=sort,
            number=number,
            size=size,
            shop_ids=tuple(shop_ids),
            pii_shop_ids=tuple(sorted(access.pii_shop_ids)),
            now=now or timezone.now(),
        )
        self._filterset_class = OrderFilter
        self.filterset = self._filters(self.spec.data(), ordered=True)
        self.errors = _errors_of(self.filterset.form) + _errors_of(self.controls)
        if self.spec.data().get("buyer") and not access.pii_shop_ids:
            self.errors.append("Buyer: your role may not search by buyer details (they are masked for you).")

    def _filters(self, data, ordered=False, searches=None):
        return self._filterset_class(
            data,
            queryset=self.visible,
            shops=self.shop_queryset,
            now=self.spec.now,
            ordered=ordered,
            pii_shop_ids=self.spec.pii_shop_ids,
            searches=searches,
        )

    @property
    def tab(self) -> str:
        return self.spec.tab

    def matching(self):
        """Every order the filters match (the tab's), within the visible ones: what an export writes or a
        bulk action acts on. Unordered; the caller orders and limits it."""
        return self.filterset.qs

    def run(self) -> ListResult:
        """The capped tab counts and one page of rows. Raises PageOutOfRange past the reachable pages."""
        spec = self.spec
        # the tab counts: the same filters with each tab in turn; a search reads its matches once for both
        every = self._filters(spec.data(tab="all"), searches=self.filterset.searches)
        facts = every.search_facts
        scope = self.filterset.scope_shop_ids()
        count_plan, shop_ids, counts, rows = count_tabs(every.qs, scope, spec.sort, facts)
        try:
            page_plan, page = self._page(
                self.filterset.qs.filter(shop_id__in=shop_ids), shop_ids, counts[spec.tab], facts.bound, rows
            )
        except PageOutOfRange as out_of_range:
            out_of_range.counts = counts  # the tabs are still worth showing
            raise
        return ListResult(counts, page, shop_ids, count_plan, page_plan)

    def _page(self, queryset, shop_ids, count, bound, rows):
        spec = self.spec
        if spec.number > limits.max_page(spec.size):
            raise PageOutOfRange(
                spec.number,
                f"Only the first {limits.COUNT_CAP:,} matches can be paged through; "
                "narrow the filters to reach the others.",
            )
        keys = reads.tab_keys(rows, spec.tab) if rows is not None else None
        facts = PageFacts(keys is not None, count, bound, reads.SORT_COLUMNS[spec.sort][0], len(shop_ids))
        plan = choose_page_plan(facts)
        if plan is PagePlan.PROBE_SORT_LIMIT:
            probed = reads.capped_count(queryset, limits.SORT_HERE_LIMIT)
            plan = choose_page_plan(replace(facts, up_to_sort_limit=probed))
        # one row more than the page: is there a next page?
        ids = page_ids(queryset, shop_ids, spec.sort, (spec.number - 1) * spec.size, spec.size + 1, plan, keys)
        has_next, ids = len(ids) > spec.size, ids[: spec.size]
        if not ids and spec.number > 1:
            raise PageOutOfRange(spec.number, f"Page {spec.number:,} is past the last page.")
        return plan, Page(
            self._rows(ids), spec.number, spec.size, count, has_next and spec.number < limits.max_page(spec.size)
        )

    def _rows(self, ids):
        """The page's orders with what the list shows of them, in page order, through the visible queryset."""
        rows = list(
            self.visible.filter(pk__in=ids)
            .select_related("shop")
            .prefetch_related(
                Prefetch(
                    "lines",
                    queryset=LineItem.objects.only(
                        "id", "order_id", "product_name", "sku_name", "quantity", "seller_sku"
                    ).order_by("id"),
                ),
                Prefetch(
                    "packages",
                    queryset=Package.objects.only(
                        "id", "order_id", "carrier", "tracking_number", "created_at"
                    ).order_by("created_at"),
                ),
            )
        )
        position = {pk: i for i, pk in enumerate(ids)}
        rows.sort(key=lambda order: position[order.pk])
        return rows


def count_tabs(queryset, scope, sort: str, facts: SearchFacts):
    """(plan, shops with matches, capped tab counts, every match's keyed row or None) of the filtered
    `queryset` (tab "All") within the shops `scope`."""
    if facts.within is not None:  # a search knows which shops can match: no other is asked
        scope = [shop_id for shop_id in scope if shop_id in facts.within]
    if not scope:
        return CountPlan.PROBE_COUNTS, [], reads.tab_counts(queryset.filter(shop_id__in=[])), None
    choice = choose_count_plan(
        CountFacts(facts.bound, facts.floor, reads.SORT_COLUMNS[sort][0], facts.read_keys is not None)
    )
    if choice.plan is CountPlan.PROBE_COUNTS:
        shops = reads.shops_with_matches(queryset, scope, seen=facts.shops or frozenset())
        return choice.plan, shops, reads.tab_counts(queryset.filter(shop_id__in=shops), all_count=facts.floor), None
    if choice.from_reader:
        rows = facts.read_keys(list(scope), choice.limit + 1, using=queryset.db)
    else:
        rows = reads.match_rows(queryset.filter(shop_id__in=scope), sort, choice.limit, choice.keyed)
    if len(rows) > choice.limit:  # more than the cap: "All" is over it, the rest is probed
        shops = reads.shops_with_matches(queryset, scope, seen={row[0] for row in rows})
        return (
            CountPlan.PROBE_COUNTS,
            shops,
            reads.tab_counts(queryset.filter(shop_id__in=shops), all_count=len(rows)),
            None,
        )
    shops, counts = reads.counts_from_rows(queryset, scope, rows, choice.keyed)
    return choice.plan, shops, counts, rows if choice.keyed else None


def page_ids(queryset, shop_ids, sort: str, offset: int, size: int, plan: PagePlan, keys=None) -> list[int]:
    """Ids of one page of the filtered `queryset` read the way `plan` says (`keys`: for FROM_MATCHES)."""
    if plan is PagePlan.FROM_MATCHES:
        return reads.sorted_page(keys, sort, offset, size)
    if plan is PagePlan.SORT_HERE:
        return reads.sorted_page(reads.unordered_keys(queryset, sort), sort, offset, size)
    if plan is PagePlan.ONE_SHOP:
        return reads.one_shop_page(queryset, sort, offset, size)
    if plan is PagePlan.DATABASE_MERGE:
        return reads.database_merged_page(queryset, shop_ids, sort, offset, size)
    if plan is PagePlan.PER_SHOP_MERGE:
        return reads.per_shop_merged_page(queryset, shop_ids, sort, offset, size)
    raise ValueError(f"{plan} reads no page")
