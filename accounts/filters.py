"""Audit log filters, defined once for the page and its CSV download. Dates are UTC days, end inclusive."""

from datetime import UTC, datetime, time, timedelta

import django_filters as df
from django import forms
from django.core.validators import validate_ipv46_address

from accounts.models import AuditEvent, AuditKind, Shop

MAX_DAYS = 366


class AuditFilter(df.FilterSet):
    shop = df.ModelChoiceFilter(queryset=Shop.objects.none(), empty_label="All my shops")
    kind = df.ChoiceFilter(choices=AuditKind.choices, empty_label="Any event", label="Event")
    who = df.CharFilter(field_name="actor_name", lookup_expr="icontains", label="Who", max_length=150)
    target = df.CharFilter(lookup_expr="icontains", label="About", max_length=200)
    ip = df.CharFilter(
        field_name="ip_address",
        lookup_expr="exact",
        label="IP address",
        max_length=45,
        validators=[validate_ipv46_address],
    )
    date_from = df.DateFilter(method="filter_from", label="From (UTC)", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = df.DateFilter(
        method="filter_to", label="To (UTC, inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = []

    def __init__(self, *args, shops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["shop"].queryset = shops if shops is not None else Shop.objects.none()
        self.form.clean = self._clean_range

    def _clean_range(self):
        data = forms.Form.clean(self.form)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("The end date is before the start date.")
        if start and end and (end - start).days > MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {MAX_DAYS} days.")
        return data

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=datetime.combine(value, time.min, tzinfo=UTC))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=datetime.combine(value + timedelta(days=1), time.min, tzinfo=UTC))
