"""Times in a shop's zone, with the zone named: used by every app's templates."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def shoptime(moment, shop):
    """`2026-11-20 14:03 PST` in the shop's zone; the IANA name in the tooltip and datetime attribute."""
    if not moment:
        return "—"
    local = moment.astimezone(shop.tzinfo)
    return format_html(
        '<time datetime="{}" title="{}">{} {}</time>',
        local.isoformat(),
        shop.time_zone,
        local.strftime("%Y-%m-%d %H:%M"),
        local.tzname(),
    )
