from django import forms
from django.conf import settings

from accounts.models import Shop
from orders.date_ranges import Preset
from orders.statuses import OrderStatus

from .columns import Format, Layout

FORMAT_CHOICES = [(f.value, f.label) for f in Format]
LAYOUT_CHOICES = [(lay.value, lay.label) for lay in Layout]


class FormatLayoutForm(forms.Form):
    format = forms.ChoiceField(
        choices=FORMAT_CHOICES,
        initial=Format.CSV_EXCEL.value,
        error_messages={"invalid_choice": "Choose CSV for Excel, plain CSV or XLSX."},
    )
    layout = forms.ChoiceField(
        choices=LAYOUT_CHOICES,
        initial=Layout.LINES.value,
        error_messages={"invalid_choice": "Choose one row per order line or per order."},
    )


class ExportForm(FormatLayoutForm):
    """The Exports page: a date range (required, at most EXPORT_MAX_RANGE_DAYS), shops, statuses."""

    shops = forms.ModelMultipleChoiceField(
        queryset=Shop.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: all the shops you may export.",
    )
    date_field = forms.ChoiceField(
        choices=[("created", "Created time"), ("paid", "Paid time")], initial="created", label="Date"
    )
    preset = forms.ChoiceField(choices=[("", "Choose a range"), *Preset.choices], label="Range", required=False)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.MultipleChoiceField(
        choices=OrderStatus.choices,
        required=False,
        label="Statuses",
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every status.",
    )
    field_order = ["shops", "date_field", "preset", "date_from", "date_to", "status", "format", "layout"]

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shops"].queryset = shops

    def clean(self):
        data = super().clean()
        preset, start, end = data.get("preset"), data.get("date_from"), data.get("date_to")
        limit = settings.EXPORT_MAX_RANGE_DAYS
        if self.errors:
            return data
        if not preset:
            self.add_error("preset", "Choose a date range (a preset or Custom with two dates).")
        elif preset == Preset.CUSTOM:
            if not (start and end):
                self.add_error("date_from", "A custom range needs a start and an end date.")
            elif end < start:
                self.add_error("date_to", "The end date is before the start date.")
            elif (end - start).days + 1 > limit:
                self.add_error("date_to", f"An export covers at most {limit} days; split it into several.")
        elif start or end:
            self.add_error("preset", "Choose “Custom” to give your own dates, or clear the dates.")
        return data

    def filter_params(self) -> dict:
        data = self.cleaned_data
        filters = {"date_field": [data["date_field"]], "preset": [data["preset"]]}
        if data["preset"] == Preset.CUSTOM:
            filters.update(date_from=[data["date_from"].isoformat()], date_to=[data["date_to"].isoformat()])
        if data["status"]:
            filters["status"] = list(data["status"])
        return {"filters": filters, "shops": [shop.code for shop in data["shops"]]}
