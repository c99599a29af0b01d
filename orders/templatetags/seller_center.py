"""Template helpers: times in the shop's zone (with the zone named), money, status badges."""

from django import template
from django.utils.html import format_html

from accounts.templatetags.shop_time import shoptime
from orders.statuses import OrderStatus

register = template.Library()

STATUS_TONE = {
    OrderStatus.UNPAID: "grey",
    OrderStatus.ON_HOLD: "amber",
    OrderStatus.AWAITING_SHIPMENT: "orange",
    OrderStatus.PARTIALLY_SHIPPING: "orange",
    OrderStatus.AWAITING_COLLECTION: "blue",
    OrderStatus.IN_TRANSIT: "blue",
    OrderStatus.DELIVERED: "green",
    OrderStatus.COMPLETED: "green",
    OrderStatus.CANCELLED: "red",
}


register.filter("shoptime", shoptime)  # one definition, in accounts


# Currencies whose prices have no minor unit in practice.
WHOLE_UNIT_CURRENCIES = frozenset({"IDR", "VND", "JPY", "KRW", "CLP"})


@register.filter
def money(amount, currency):
    if amount is None:
        return "—"
    return f"{currency} {amount:,.0f}" if currency in WHOLE_UNIT_CURRENCIES else f"{currency} {amount:,.2f}"


@register.filter
def status_badge(status):
    try:
        value = OrderStatus(status)
    except ValueError:
        return status
    return format_html('<span class="badge tone-{}">{}</span>', STATUS_TONE[value], value.label)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
