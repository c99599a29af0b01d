"""Forms of the order pages: list controls (page, size, sort) and one form per seller action."""

from django import forms

from .listing.limits import PAGE_SIZES
from .listing.reads import SORT_LABELS
from .models import NoteColor
from .services.shipping import CARRIERS
from .statuses import CANCEL_REASONS, OrderStatus

MAX_PAGE = 100_000


class ListControlsForm(forms.Form):
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        error_messages={
            "min_value": "Page numbers start at 1.",
            "max_value": "That page number is far past the last page.",
            "invalid": "The page must be a whole number.",
        },
    )
    page_size = forms.TypedChoiceField(
        choices=[(n, f"{n} / page") for n in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=PAGE_SIZES[0],
        label="Rows",
    )
    sort = forms.ChoiceField(choices=list(SORT_LABELS.items()), required=False, label="Sort by")

    def cleaned(self):
        data = self.cleaned_data
        return data.get("page") or 1, data.get("page_size") or PAGE_SIZES[0], data.get("sort") or "-created"


class ActionForm(forms.Form):
    """Every action form carries the status the user saw, so a stale form is refused, not applied."""

    expected_status = forms.ChoiceField(choices=OrderStatus.choices, widget=forms.HiddenInput)


class ArrangeShipmentForm(ActionForm):
    carrier = forms.ChoiceField(choices=[(c, c) for c in CARRIERS])
    tracking_number = forms.CharField(max_length=60)
    line_ids = forms.TypedMultipleChoiceField(coerce=int, required=False, label="Items in this package")

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields["line_ids"].choices = [
                (line.pk, f"{line.product_name} ({line.sku_name}) × {line.quantity}")
                for line in order.lines.all()
                if line.package_id is None
            ]


class CancelForm(ActionForm):
    reason = forms.ChoiceField(choices=[(r, r) for r in CANCEL_REASONS])


class RefundForm(ActionForm):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0.01)
    reason = forms.CharField(max_length=200)


class RequestAnswerForm(ActionForm):
    request_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=200, required=False)


class NoteForm(ActionForm):
    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    color = forms.ChoiceField(choices=NoteColor.choices, initial=NoteColor.GREY)


class MessageForm(ActionForm):
    body = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Message")


class BulkShipForm(forms.Form):
    carrier = forms.ChoiceField(choices=[(c, c) for c in CARRIERS])
