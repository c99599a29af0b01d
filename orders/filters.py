"""The order filters, defined once: the list page, the export and the dashboard all use them."""

import re
from dataclasses import replace
from datetime import date

import django_filters as df
from django import forms
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils import timezone

from accounts.models import Shop

from .date_ranges import MAX_RANGE_DAYS, Preset, days_to_utc, preset_range
from .listing.dialects import dialect_for
from .listing.matches import Match, SearchFacts
from .models import CancellationRequest, Order, ReturnRequest
from .models.order import BILLING_DIFFERS, HAS_MESSAGE
from .pending import PENDING, open_cancellation_requests, open_return_requests, pending_condition
from .search import (
    buyer_condition,
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
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def between(column, start, end, inclusive_end=False, target=None) -> Q:
    """start <= column < end (<= end when inclusive), either side open when None."""
    target = F(column) if target is None else target
    cond = Q()
    if start is not None:
        cond &= Q(GreaterThanOrEqual(target, start))
    if end is not None:
        cond &= Q(LessThanOrEqual(target, end) if inclusive_end else LessThan(target, end))
    return cond


def declare(filter_, narrows=True):
    """State what a filter is: `narrows` (True, False, or a function of its value) says whether it
    selects fewer orders. A search alone may then hand the list what it already knows of its matches
    (see SearchFacts). Undeclared filters narrow: the safe side, never a wrong count."""
    filter_.narrows = narrows
    return filter_


class AnyYesNo(forms.NullBooleanSelect):
    """ "Any / Yes / No" rather than Django's "Unknown / Yes / No" for an optional yes-no filter."""

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
                raise forms.ValidationError(str(error)) from None
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
    # the shop chosen is where the searches look: it does not narrow their matches
    shop = declare(
        df.ModelChoiceFilter(
            queryset=Shop.objects.none(), to_field_name="code", empty_label="All my shops", label="Shop"
        ),
        narrows=False,
    )
    tab = declare(
        df.ChoiceFilter(
            choices=[(k, label) for k, (label, _) in TABS.items()], method="filter_tab", empty_label=None, label="Tab"
        ),
        narrows=lambda value: value != "all",
    )
    q = df.CharFilter(method="filter_search", label="Search", **TEXT)
    # distinct=False: an IN on the order's own column cannot duplicate rows, and DISTINCT would
    # make every count sort whole rows.
    status = df.MultipleChoiceFilter(
        choices=OrderStatus.choices, label="Status", distinct=False, widget=forms.CheckboxSelectMultiple
    )
    # which time the range applies to: alone it selects nothing
    date_field = declare(
        df.ChoiceFilter(
            choices=[(k, f"{k.title()} time") for k in DATE_FIELDS], method="noop", empty_label=None, label="Date"
        ),
        narrows=False,
    )
    preset = df.ChoiceFilter(choices=Preset.choices, method="noop", label="Range", empty_label="Any time")
    date_from = df.DateFilter(method="noop", label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = df.DateFilter(method="noop", label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    order_ids = df.CharFilter(method="filter_order_ids", label="Order ID(s)", max_length=2100)
    product = df.CharFilter(method="filter_product", label="Product name, SKU ID or seller SKU", **TEXT)
    buyer = df.CharFilter(method="filter_buyer", label="Buyer name, e-mail or phone", **TEXT)
    tracking = df.CharFilter(method="filter_tracking", label="Tracking number", **TEXT)
    total_min = df.NumberFilter(method="noop", label="Total from", min_value=0)
    total_max = df.NumberFilter(method="noop", label="Total to", min_value=0)
    payment_method = df.MultipleChoiceFilter(
        choices=PaymentMethod.choices, label="Payment method", distinct=False, widget=forms.CheckboxSelectMultiple
    )
    country = df.CharFilter(method="filter_country", label="Ship-to country", max_length=2)
    state = df.CharFilter(field_name="ship_state", method="filter_lower", label="State/province", **TEXT)
    city = df.CharFilter(field_name="ship_city", method="filter_lower", label="City", **TEXT)
    carrier = df.ChoiceFilter(
        choices=[(c, c) for c in CARRIERS], method="filter_carrier", label="Carrier", empty_label="Any"
    )
    has_message = df.BooleanFilter(method="filter_has_message", label="Has buyer message", widget=AnyYesNo)
    billing_differs = df.BooleanFilter(
        method="filter_billing_differs", label="Billing differs from shipping", widget=AnyYesNo
    )
    after_sale = df.ChoiceFilter(
        choices=AFTER_SALE_CHOICES, method="filter_after_sale", label="After-sale", empty_label="Any"
    )
    pending = df.ChoiceFilter(
        choices=list(PENDING.items()), method="filter_pending", label="Needs attention", empty_label="Any"
    )

    class Meta:
        model = Order
        fields = []
        form = OrderFilterForm

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        shops=None,
        now=None,
        ordered=False,
        pii_shop_ids=None,
        searches=None,
        **kwargs,
    ):
        """`ordered`: the queryset will be read in list order (a page), not counted.
        `pii_shop_ids`: shops where the user may search by buyer details (default: all `shops`).
        `searches`: another filterset's, to share: the list's page and tab-count filtersets then read
        a search's matches once, not twice (see _search)."""
        super().__init__(data, queryset, **kwargs)
        self._matches = []  # what each search found out first (see search_facts)
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
            queryset = queryset.filter(self._range(queryset, "total", self.scope_shop_ids(), low, high, True))
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
        # the list is walked in created order: a range on created time always leads
        dialect = dialect_for(queryset.db)
        leads = field == "created_at" or dialect.range_leads(
            self.ordered, list(per_shop), field, outer_start, outer_end
        )
        target = F(field) if leads else dialect.unindexed(field)
        exact = Q(pk__in=[])
        for shop_id, bounds in per_shop.items():
            exact |= Q(shop_id=shop_id) & between(field, bounds.start, bounds.end, target=target)
        return queryset.filter(between(field, outer_start, outer_end, target=target), exact)

    def _range(self, queryset, column, shop_ids, low, high, inclusive_end=False) -> Q:
        """A range filter, written so that no index serves it when it should not lead (see range_leads)."""
        dialect = dialect_for(queryset.db)
        leads = dialect.range_leads(self.ordered, shop_ids, column, low, high, inclusive_end)
        return between(column, low, high, inclusive_end, target=None if leads else dialect.unindexed(column))

    def noop(self, queryset, name, value):
        return queryset

    def _search(self, build, *args):
        """build(*args), remembered: a search reads its matches first (ids, or whether there are many)."""
        key = (build.__name__, *(tuple(arg) if isinstance(arg, list) else arg for arg in args))
        if key not in self.searches:
            self.searches[key] = build(*args)
        return self.searches[key]

    @property
    def search_facts(self) -> SearchFacts:
        """What the searches found out first: a bound on the matches, and, for a search that is the only
        filter narrowing the orders, its floor and its own reader of the matches' keys."""
        self.qs  # noqa: B018 -- the filters have run (building the queryset reads no orders)
        return SearchFacts.of(self._matches, self._narrowing())

    def _narrowing(self) -> int:
        """How many filters narrow the orders down, as each filter declares (see declare)."""
        count = 0
        for name, value in self.form.cleaned_data.items():
            narrows = getattr(self.filters.get(name), "narrows", True)
            if value not in (None, "", []) and (narrows(value) if callable(narrows) else narrows):
                count += 1
        return count

    def _searched(self, match: Match) -> Q:
        self._matches.append(match)
        return match.condition

    def filter_country(self, queryset, name, value):
        return queryset.filter(ship_country=value.strip().upper())

    def filter_lower(self, queryset, name, value):
        # Case-insensitive through the LOWER(column) expression indexes, not an unindexable LIKE.
        # SQLite's LOWER() folds ASCII letters only (Łódź stays Łódź): fold the value the same way.
        folded = dialect_for(queryset.db).fold_case(value.strip())
        return queryset.filter(**{f"{name}__lower": folded})  # name: the filter's field_name

    # -- one method per filter that is more than a column lookup ------------------------------------
    def filter_tab(self, queryset, name, value):
        if value == "after_sales":  # open requests, not statuses: matched as the database does it best
            return dialect_for(queryset.db).in_after_sales(queryset)
        cond = condition(value)
        return queryset.filter(cond) if cond is not None else queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(self._searched(self._search(search_condition, value, self.scope_shop_ids())))

    def filter_order_ids(self, queryset, name, value):
        ids = split_order_ids(value)  # validated by the form's clean_order_ids
        return queryset.filter(self._searched(Match.ids(ids)))

    def filter_product(self, queryset, name, value):
        return queryset.filter(self._searched(self._search(product_condition, value.strip(), self.scope_shop_ids())))

    def filter_buyer(self, queryset, name, value):
        # Only where the user may see buyer data: elsewhere the filter would uncover what is masked.
        match, pii = self._search(buyer_condition, value.strip(), queryset.db), set(self.pii_shop_ids)
        if match.read_keys is not None:
            read = match.read_keys
            match = replace(
                match,
                read_keys=lambda shop_ids, limit, using: read(
                    [shop_id for shop_id in shop_ids if shop_id in pii], limit, using=using
                ),
            )
        return queryset.filter(self._searched(match), shop_id__in=self.pii_shop_ids)

    def filter_tracking(self, queryset, name, value):
        return queryset.filter(
            self._searched(self._search(tracking_condition, self.scope_shop_ids(), re.sub(r"[\s-]", "", value).upper()))
        )

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
