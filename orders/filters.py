"""The order filters, defined once: the list page, the export and the dashboard all use them."""

import re
from datetime import date

import django_filters as df
from django import forms
from django.db import connection
from django.db.models import F, Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils import timezone

from accounts.models import Shop

from .date_ranges import MAX_RANGE_DAYS, Preset, days_to_utc, preset_range
from .models import CancellationRequest, Order, ReturnRequest
from .models.order import BILLING_DIFFERS, HAS_MESSAGE
from .pending import PENDING, open_cancellation_requests, open_return_requests, pending_condition
from .search import (
    bounded,
    buyer_condition,
    keys_reader,
    match_bound,
    match_floor,
    product_condition,
    search_condition,
    split_order_ids,
    tracking_condition,
)
from .services.shipping import CARRIERS
from .statuses import OrderStatus, PaymentMethod, ReturnStatus
from .tabs import TABS, condition

DATE_FIELDS = {"created": "created_at", "paid": "paid_at", "updated": "updated_at"}
TEXT = {"max_length": 100}
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


PROBE_ROWS = 2_000
UNNARROWING = frozenset({"shop", "date_field"})  # see OrderFilter.match_floor; a date field alone selects nothing


def is_wide(shop_ids, column, low, high, inclusive_end=False) -> bool:
    """More than PROBE_ROWS rows in range, counted on the (shop, column) index."""
    return Order.objects.filter(Q(shop_id__in=shop_ids), _between(column, low, high, inclusive_end)).order_by()[
        : PROBE_ROWS + 1].count() > PROBE_ROWS


def bypass_index(ordered, shop_ids, column, low, high, inclusive_end=False) -> bool:
    """Whether a range on `column` should be written so that no index serves it.

    Counting, the (shop, column) index serves well. Reading a page in list order, a narrow range
    should still lead the query, a wide one should not: the list is walked in created order and the
    range merely checked, else SQLite collects every row in range and sorts them. SQLite's planner
    cannot tell the two apart (no value histograms in this build), so a probe tells it; a wide range
    is then written on `+column`. PostgreSQL's planner keeps histograms of its own.
    """
    return ordered and connection.vendor == "sqlite" and is_wide(shop_ids, column, low, high, inclusive_end)


def _between(column, start, end, inclusive_end=False, unindexed=False) -> Q:
    target = Func(F(column), template="+%(expressions)s", output_field=Order._meta.get_field(column)) \
        if unindexed else F(column)
    cond = Q()
    if start is not None:
        cond &= Q(GreaterThanOrEqual(target, start))
    if end is not None:
        cond &= Q(LessThanOrEqual(target, end) if inclusive_end else LessThan(target, end))
    return cond


class AnyYesNo(forms.NullBooleanSelect):
    """"Any / Yes / No" rather than Django's "Unknown / Yes / No" for an optional yes-no filter."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", "Any"), ("true", "Yes"), ("false", "No"))


AFTER_SALE_CHOICES = [
    ("cancellation_pending", "Cancellation requested"),
    ("return_pending", "Return/refund requested"),
    ("refunded", "Refunded (fully or partly)"),
    ("return_rejected", "Return/refund rejected"),
    ("any", "Any after-sale record"),
]


class OrderFilterForm(forms.Form):
    def clean_order_ids(self):
        value = self.cleaned_data.get("order_ids")
        if value:
            try:
                split_order_ids(value)
            except ValueError as error:
                raise forms.ValidationError(str(error))
        return value

    def clean(self):
        data = super().clean()
        start, end, preset = data.get("date_from"), data.get("date_to"), data.get("preset")
        for name, day in (("date_from", start), ("date_to", end)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Choose a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}.")
                return data
        if (start or end) and preset and preset != Preset.CUSTOM:
            self.add_error("preset", "Choose “Custom” to give your own dates, or clear the dates.")
        if preset == Preset.CUSTOM and not (start or end):
            self.add_error("date_from", "Give a start date, an end date or both for a custom range.")
        if start and end:
            if end < start:
                self.add_error("date_to", "The end date is before the start date.")
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("date_to", f"A range may span at most {MAX_RANGE_DAYS} days.")
        low, high = data.get("total_min"), data.get("total_max")
        if low is not None and high is not None and high < low:
            self.add_error("total_max", "“Total to” is below “Total from”.")
        return data


class OrderFilter(df.FilterSet):
    shop = df.ModelChoiceFilter(queryset=Shop.objects.none(), to_field_name="code", empty_label="All my shops",
                                label="Shop")
    tab = df.ChoiceFilter(choices=[(k, label) for k, (label, _) in TABS.items()], method="filter_tab",
                          empty_label=None, label="Tab")
    q = df.CharFilter(method="filter_search", label="Search", **TEXT)
    # distinct=False: an IN on the order's own column cannot duplicate rows, and DISTINCT would
    # make every count sort whole rows.
    status = df.MultipleChoiceFilter(choices=OrderStatus.choices, label="Status", distinct=False,
                                     widget=forms.CheckboxSelectMultiple)
    date_field = df.ChoiceFilter(choices=[(k, f"{k.title()} time") for k in DATE_FIELDS], method="noop",
                                 empty_label=None, label="Date")
    preset = df.ChoiceFilter(choices=Preset.choices, method="noop", label="Range", empty_label="Any time")
    date_from = df.DateFilter(method="noop", label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = df.DateFilter(method="noop", label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    order_ids = df.CharFilter(method="filter_order_ids", label="Order ID(s)", max_length=2100)
    product = df.CharFilter(method="filter_product", label="Product name, SKU ID or seller SKU", **TEXT)
    buyer = df.CharFilter(method="filter_buyer", label="Buyer name, e-mail or phone", **TEXT)
    tracking = df.CharFilter(method="filter_tracking", label="Tracking number", **TEXT)
    total_min = df.NumberFilter(method="noop", label="Total from", min_value=0)
    total_max = df.NumberFilter(method="noop", label="Total to", min_value=0)
    payment_method = df.MultipleChoiceFilter(choices=PaymentMethod.choices, label="Payment method", distinct=False,
                                             widget=forms.CheckboxSelectMultiple)
    country = df.CharFilter(method="filter_country", label="Ship-to country", max_length=2)
    state = df.CharFilter(field_name="ship_state", method="filter_lower", label="State/province", **TEXT)
    city = df.CharFilter(field_name="ship_city", method="filter_lower", label="City", **TEXT)
    carrier = df.ChoiceFilter(choices=[(c, c) for c in CARRIERS], method="filter_carrier", label="Carrier",
                              empty_label="Any")
    has_message = df.BooleanFilter(method="filter_has_message", label="Has buyer message", widget=AnyYesNo)
    billing_differs = df.BooleanFilter(method="filter_billing_differs", label="Billing differs from shipping",
                                       widget=AnyYesNo)
    after_sale = df.ChoiceFilter(choices=AFTER_SALE_CHOICES, method="filter_after_sale", label="After-sale",
                                 empty_label="Any")
    pending = df.ChoiceFilter(choices=list(PENDING.items()), method="filter_pending", label="Needs attention",
                              empty_label="Any")

    class Meta:
        model = Order
        fields = []
        form = OrderFilterForm

    def __init__(self, data=None, queryset=None, *, shops=None, now=None, ordered=False, pii_shop_ids=None,
                 searches=None, **kwargs):
        """`ordered`: the queryset will be read in list order (a page), not counted.
        `pii_shop_ids`: shops where the user may search by buyer details (default: all `shops`).
        `searches`: another filterset's, to share: the list's page and tab-count filtersets then read
        a search's matches once, not twice (see _search)."""
        super().__init__(data, queryset, **kwargs)
        self.match_bound = None  # at most this many orders match, when a search read them first (see .qs)
        self._floors = []  # the searches' match_floor()s (see .match_floor)
        self._readers = []  # the searches' keys_reader()s (see .match_reader)
        self.searches = {} if searches is None else searches
        self.ordered = ordered
        self._pii_shop_ids = pii_shop_ids
        self.shops = shops if shops is not None else Shop.objects.none()
        self.now = now or timezone.now()
        self.filters["shop"].queryset = self.shops
        self.form.fields["shop"].queryset = self.shops

    # -- ranges: dates per shop in its own time zone, and the total ---------------------------------
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        low, high = data.get("total_min"), data.get("total_max")
        if low is not None or high is not None:
            unindexed = bypass_index(self.ordered, self.scope_shop_ids(), "total", low, high, inclusive_end=True)
            queryset = queryset.filter(_between("total", low, high, inclusive_end=True, unindexed=unindexed))
        return self._date_range(queryset, data)

    @property
    def pii_shop_ids(self):
        return [s.pk for s in self.shops] if self._pii_shop_ids is None else list(self._pii_shop_ids)

    def scope_shop_ids(self):
        """The shops the filters look at: the chosen shop, or all the user's shops."""
        chosen = self.form.cleaned_data.get("shop")
        return [chosen.pk] if chosen else [shop.pk for shop in self.shops]

    def _date_range(self, queryset, data):
        preset, start, end = data.get("preset"), data.get("date_from"), data.get("date_to")
        if not preset and not (start or end):
            return queryset
        field = DATE_FIELDS[data.get("date_field") or "created"]
        shops = [data["shop"]] if data.get("shop") else list(self.shops)
        if not shops:
            return queryset.none()
        per_shop = {}
        for shop in shops:
            if preset and preset != Preset.CUSTOM:
                per_shop[shop.pk] = preset_range(preset, shop.tzinfo, self.now)
            else:
                per_shop[shop.pk] = days_to_utc(start, end, shop.tzinfo)
        # The outer bounds (the union of the shops' days) let the database use a (shop, time) index range;
        # the per-shop terms then cut each shop's own days in its own zone.
        starts = [b.start for b in per_shop.values()]
        ends = [b.end for b in per_shop.values()]
        outer_start, outer_end = None if None in starts else min(starts), None if None in ends else max(ends)
        wide = field != "created_at" and bypass_index(self.ordered, list(per_shop), field, outer_start, outer_end)
        exact = Q(pk__in=[])
        for shop_id, bounds in per_shop.items():
            exact |= Q(shop_id=shop_id) & _between(field, bounds.start, bounds.end, unindexed=wide)
        return queryset.filter(_between(field, outer_start, outer_end, unindexed=wide), exact)

    def noop(self, queryset, name, value):
        return queryset

    def _search(self, build, *args):
        """build(*args), remembered: a search reads its matches first (ids, or whether there are many)."""
        key = (build.__name__, *(tuple(arg) if isinstance(arg, list) else arg for arg in args))
        if key not in self.searches:
            self.searches[key] = build(*args)
        return self.searches[key]

    @property
    def match_floor(self) -> int:
        """At least this many orders of scope_shop_ids() match (0: unknown): a search found that many
        there and no other filter narrows it (the shop chosen is where the search looked)."""
        return self._floors[0] if self._narrowing() == 1 and len(self._floors) == 1 else 0

    @property
    def match_reader(self):
        """reader(shop_ids, limit, using=alias) -> [(shop, status, created as stored, id)] of the matches,
        when one search is the only filter and reads them from its own table (a buyer name on SQLite:
        one range of words, not a look-up per order); else None."""
        return self._readers[0] if self._narrowing() == 1 and len(self._readers) == 1 else None

    def _narrowing(self) -> int:
        """How many filters narrow the orders down (the shop chosen is where the searches look)."""
        self.qs  # noqa: B018 -- the filters have run (building the queryset reads no orders)
        return len([name for name, value in self.form.cleaned_data.items()
                    if value not in (None, "", []) and name not in UNNARROWING and (name, value) != ("tab", "all")])

    def _bounded(self, cond):
        """Note a search's bound on the matches (the tightest of several): the list then reads them once."""
        self._floors.append(match_floor(cond))
        bound = match_bound(cond)
        if bound is not None:
            self.match_bound = bound if self.match_bound is None else min(self.match_bound, bound)
        return cond

    def filter_country(self, queryset, name, value):
        return queryset.filter(ship_country=value.strip().upper())

    def filter_lower(self, queryset, name, value):
        # Case-insensitive through the LOWER(column) expression indexes, not an unindexable LIKE.
        # SQLite's LOWER() folds ASCII letters only (Łódź stays Łódź): fold the value the same way.
        value = value.strip()
        folded = value.translate(ASCII_LOWER) if connection.vendor == "sqlite" else value.lower()
        return queryset.filter(**{f"{name}__lower": folded})  # name: the filter's field_name

    # -- one method per filter that is more than a column lookup ------------------------------------
    def filter_tab(self, queryset, name, value):
        cond = condition(value)
        return queryset.filter(cond) if cond is not None else queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(self._bounded(self._search(search_condition, value, self.scope_shop_ids())))

    def filter_order_ids(self, queryset, name, value):
        ids = split_order_ids(value)  # validated by the form's clean_order_ids
        return queryset.filter(self._bounded(bounded(Q(pk__in=ids), len(ids))))

    def filter_product(self, queryset, name, value):
        return queryset.filter(self._bounded(self._search(product_condition, value.strip(), self.scope_shop_ids())))

    def filter_buyer(self, queryset, name, value):
        # Only where the user may see buyer data: elsewhere the filter would uncover what is masked.
        cond = self._bounded(self._search(buyer_condition, value.strip()))
        read, pii = keys_reader(cond), set(self.pii_shop_ids)
        if read is not None:
            self._readers.append(lambda shop_ids, limit, using: read([s for s in shop_ids if s in pii], limit,
                                                                    using=using))
        return queryset.filter(cond, shop_id__in=self.pii_shop_ids)

    def filter_tracking(self, queryset, name, value):
        return queryset.filter(self._bounded(self._search(
            tracking_condition, self.scope_shop_ids(), re.sub(r"[\s-]", "", value).upper())))

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(carrier=value)  # one carrier per order, kept on the order

    def filter_has_message(self, queryset, name, value):
        return queryset.filter(HAS_MESSAGE) if value else queryset.exclude(HAS_MESSAGE)

    def filter_billing_differs(self, queryset, name, value):
        return queryset.filter(BILLING_DIFFERS) if value else queryset.exclude(BILLING_DIFFERS)

    def filter_after_sale(self, queryset, name, value):
        returns = ReturnRequest.objects.values("order_id")
        cancellations = CancellationRequest.objects.values("order_id")
        conditions = {
            "cancellation_pending": open_cancellation_requests(),
            "return_pending": open_return_requests(),
            "refunded": Q(refunded_amount__gt=0),
            "return_rejected": Q(pk__in=returns.filter(status=ReturnStatus.REJECT)),
            "any": Q(pk__in=returns) | Q(pk__in=cancellations),
        }
        return queryset.filter(conditions[value])

    def filter_pending(self, queryset, name, value):
        return queryset.filter(pending_condition(value, self.now))
