"""The order filters, defined once: the list page, the export and the dashboard all use them."""

import re

import django_filters as df
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import Shop

from .date_ranges import MAX_RANGE_DAYS, Preset, days_to_utc, preset_range
from .models import CancellationRequest, Order, Package, ReturnRequest
from .pending import PENDING, pending_condition
from .search import buyer_condition, package_matches, product_condition, search_condition, split_order_ids
from .services.shipping import CARRIERS
from .statuses import OPEN_RETURN_STATUSES, CancellationStatus, OrderStatus, PaymentMethod, ReturnStatus
from .tabs import TABS, condition

DATE_FIELDS = {"created": "created_at", "paid": "paid_at", "updated": "updated_at"}
TEXT = {"max_length": 100}


def _between(field, start, end) -> Q:
    cond = Q()
    if start:
        cond &= Q(**{f"{field}__gte": start})
    if end:
        cond &= Q(**{f"{field}__lt": end})
    return cond


class AfterSale:
    CHOICES = [
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
    preset = df.ChoiceFilter(choices=Preset.choices, method="noop", label="Range")
    date_from = df.DateFilter(method="noop", label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = df.DateFilter(method="noop", label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    order_ids = df.CharFilter(method="filter_order_ids", label="Order ID(s)", max_length=2100)
    product = df.CharFilter(method="filter_product", label="Product name, SKU ID or seller SKU", **TEXT)
    buyer = df.CharFilter(method="filter_buyer", label="Buyer name, e-mail or phone", **TEXT)
    tracking = df.CharFilter(method="filter_tracking", label="Tracking number", **TEXT)
    total_min = df.NumberFilter(field_name="total", lookup_expr="gte", label="Total from", min_value=0)
    total_max = df.NumberFilter(field_name="total", lookup_expr="lte", label="Total to", min_value=0)
    payment_method = df.MultipleChoiceFilter(choices=PaymentMethod.choices, label="Payment method", distinct=False,
                                             widget=forms.CheckboxSelectMultiple)
    country = df.CharFilter(method="filter_country", label="Ship-to country", max_length=2)
    state = df.CharFilter(field_name="ship_state", method="filter_lower", label="State/province", **TEXT)
    city = df.CharFilter(field_name="ship_city", method="filter_lower", label="City", **TEXT)
    carrier = df.ChoiceFilter(choices=[(c, c) for c in CARRIERS], method="filter_carrier", label="Carrier")
    has_message = df.BooleanFilter(method="filter_has_message", label="Has buyer message")
    billing_differs = df.BooleanFilter(method="filter_billing_differs", label="Billing differs from shipping")
    after_sale = df.ChoiceFilter(choices=AfterSale.CHOICES, method="filter_after_sale", label="After-sale")
    pending = df.ChoiceFilter(choices=list(PENDING.items()), method="filter_pending", label="Needs attention")

    class Meta:
        model = Order
        fields = []
        form = OrderFilterForm

    def __init__(self, data=None, queryset=None, *, shops=None, now=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.shops = shops if shops is not None else Shop.objects.none()
        self.now = now or timezone.now()
        self.filters["shop"].queryset = self.shops
        self.form.fields["shop"].queryset = self.shops

    # -- the date range, per shop in its own time zone ---------------------------------------------
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
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
        exact = Q(pk__in=[])
        for shop_id, bounds in per_shop.items():
            exact |= Q(shop_id=shop_id) & _between(field, bounds.start, bounds.end)
        # The outer bounds (the union of the shops' days) let the database use a (shop, time) index range;
        # the per-shop terms then cut each shop's own days in its own zone.
        starts = [b.start for b in per_shop.values()]
        ends = [b.end for b in per_shop.values()]
        outer = _between(field, None if None in starts else min(starts), None if None in ends else max(ends))
        return queryset.filter(outer, exact)

    def noop(self, queryset, name, value):
        return queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(ship_country=value.strip().upper())

    def filter_lower(self, queryset, name, value):
        # Case-insensitive through the LOWER(column) expression indexes, not an unindexable LIKE.
        return queryset.filter(**{f"{name}__lower": value.strip().lower()})  # name: the filter's field_name

    # -- one method per filter that is more than a column lookup ------------------------------------
    def filter_tab(self, queryset, name, value):
        cond = condition(value)
        return queryset.filter(cond) if cond is not None else queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_condition(value))

    def filter_order_ids(self, queryset, name, value):
        return queryset.filter(pk__in=split_order_ids(value))  # validated by the form's clean_order_ids

    def filter_product(self, queryset, name, value):
        return queryset.filter(product_condition(value.strip(), self.shops))

    def filter_buyer(self, queryset, name, value):
        return queryset.filter(buyer_condition(value.strip()))

    def filter_tracking(self, queryset, name, value):
        return queryset.filter(package_matches(tracking_number=re.sub(r"[\s-]", "", value).upper()))

    def filter_carrier(self, queryset, name, value):
        # Most orders of a shop go with one of its few carriers: probe each order's packages
        # while walking the list in order, instead of collecting every matching package first.
        return queryset.filter(Exists(Package.objects.filter(order=OuterRef("pk"), carrier=value)))

    def filter_has_message(self, queryset, name, value):
        return queryset.exclude(buyer_message="") if value else queryset.filter(buyer_message="")

    def filter_billing_differs(self, queryset, name, value):
        same = Q(bill_line1="") | (
            Q(bill_country=F("ship_country")) & Q(bill_postcode=F("ship_postcode"))
            & Q(bill_line1=F("ship_line1"))
        )
        return queryset.exclude(same) if value else queryset.filter(same)

    def filter_after_sale(self, queryset, name, value):
        returns = ReturnRequest.objects.values("order_id")
        cancellations = CancellationRequest.objects.values("order_id")
        conditions = {
            "cancellation_pending": Q(pk__in=cancellations.filter(status=CancellationStatus.PENDING)),
            "return_pending": Q(pk__in=returns.filter(status__in=OPEN_RETURN_STATUSES)),
            "refunded": Q(refunded_amount__gt=0),
            "return_rejected": Q(pk__in=returns.filter(status=ReturnStatus.REJECT)),
            "any": Q(pk__in=returns) | Q(pk__in=cancellations),
        }
        return queryset.filter(conditions[value])

    def filter_pending(self, queryset, name, value):
        return queryset.filter(pending_condition(value, self.now))
