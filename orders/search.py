"""The one search box: recognises order ids, tracking numbers and SKUs, as the platform's does."""

import re

from django.db.models import Q

from .models import LineItem, Package

MAX_ORDER_IDS = 100
ORDER_ID = re.compile(r"^\d{15,19}$")
SEPARATORS = re.compile(r"[\s,;]+")


def split_order_ids(text: str) -> list[int]:
    """'576…, 577… 578…' -> ids. Raises ValueError with a reason the user can act on."""
    tokens = [t for t in SEPARATORS.split(text.strip()) if t]
    if len(tokens) > MAX_ORDER_IDS:
        raise ValueError(f"At most {MAX_ORDER_IDS} order ids at once; you gave {len(tokens)}.")
    bad = [t for t in tokens if not ORDER_ID.match(t)]
    if bad:
        raise ValueError(f"“{bad[0][:30]}” is not an order id (order ids are 15 to 19 digits).")
    return [int(t) for t in tokens]


def line_matches(**lookups) -> Q:
    """Orders with a line matching; a subquery on the line's own index, not a scan of the orders."""
    return Q(pk__in=LineItem.objects.filter(**lookups).values("order_id"))


def package_matches(**lookups) -> Q:
    return Q(pk__in=Package.objects.filter(**lookups).values("order_id"))


def search_condition(text: str) -> Q:
    """What one search box query means: order ids if it is only order ids, else an exact identifier."""
    text = text.strip()
    try:
        ids = split_order_ids(text)
    except ValueError:
        ids = None
    if ids:
        return Q(pk__in=ids)
    compact = re.sub(r"[\s-]", "", text).upper()
    return package_matches(tracking_number=compact) | line_matches(seller_sku=text) | line_matches(sku_id=text)
