"""The order list's export controls, rendered by the exports app (orders knows nothing of exports)."""

from django import template

from exports.forms import FormatLayoutForm

register = template.Library()


@register.inclusion_tag("exports/list_controls.html")
def export_controls():
    return {"form": FormatLayoutForm(auto_id="id_export_%s")}
