"""Applied filters as removable chips."""

from dataclasses import dataclass

from django.http import QueryDict

NOT_CHIPS = {"tab", "date_field", "page", "page_size", "sort"}
DATE_PARTS = ("preset", "date_from", "date_to")


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def _display(field, value):
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, (list, tuple)):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "name"):  # a Shop
        return value.name
    return str(choices.get(value, value))


def chips_for(filterset, query: QueryDict) -> list[Chip]:
    chips = []
    data = filterset.form.cleaned_data
    for name, value in data.items():
        if name in NOT_CHIPS or value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        remaining = query.copy()
        # A date chip removes the whole range: a custom range without its dates would be refused.
        for key in DATE_PARTS if name in DATE_PARTS else (name,):
            remaining.pop(key, None)
        remaining.pop("page", None)
        if name in ("preset", "date_from", "date_to"):
            label_field = "created" if not data.get("date_field") else data["date_field"]
            label = f"{field.label} ({label_field} time): {_display(field, value)}"
        else:
            label = f"{field.label}: {_display(field, value)}"
        chips.append(Chip(label, "?" + remaining.urlencode()))
    return chips
