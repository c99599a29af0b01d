"""The dashboard's range: shop(s), a preset of the order list or custom days, grouping, comparison."""

from datetime import date

from django import forms

from orders.date_ranges import MAX_RANGE_DAYS, Preset

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
PRESETS = [(value, label) for value, label in Preset.choices if value != Preset.LAST_24_HOURS]  # days only
GRAINS = [("auto", "Automatic"), ("day", "Day"), ("week", "Week"), ("month", "Month")]
COMPARES = [("previous", "Previous period"), ("last_year", "Same period last year")]


class RangeForm(forms.Form):
    shop = forms.ModelChoiceField(queryset=None, to_field_name="code", required=False, empty_label="All my shops")
    preset = forms.ChoiceField(choices=PRESETS, required=False, label="Range")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(choices=GRAINS, required=False, label="Group by")
    compare = forms.ChoiceField(choices=COMPARES, required=False, label="Compare with")

    def __init__(self, data, *, shops):
        super().__init__(data)
        self.fields["shop"].queryset = shops

    def clean(self):
        data = super().clean()
        preset = data.get("preset") or ""
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Choose a date between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}.")
                return data
        if (start or end) and preset not in ("", Preset.CUSTOM):
            self.add_error("preset", "Choose “Custom” to give your own dates, or clear the dates.")
        elif start or end or preset == Preset.CUSTOM:
            if not (start and end):
                self.add_error("date_from", "A custom range needs both a start and an end date.")
            elif end < start:
                self.add_error("date_to", "The end date is before the start date.")
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("date_to", f"A range may span at most {MAX_RANGE_DAYS} days.")
            else:
                data["preset"] = Preset.CUSTOM
        if not data.get("preset"):
            data["preset"] = Preset.LAST_30_DAYS
        data["grain"] = data.get("grain") or "auto"
        data["compare"] = data.get("compare") or "previous"
        return data
