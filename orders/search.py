"""The one search box: recognises order ids, tracking numbers and SKUs, as the platform's does."""

import re
from functools import partial

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from . import buyer_words
from .listing import limits
from .listing.dialects import dialect_for
from .listing.matches import Match
from .models import LineItem, Package, Product

MAX_ORDER_IDS = 100
ORDER_ID = re.compile(r"^\d{15,19}$")
MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in the database
SEPARATORS = re.compile(r"[\s,;]+")


def split_order_ids(text: str) -> list[int]:
    """'576…, 577… 578…' -> ids. Raises ValueError with a reason the user can act on."""
    tokens = [t for t in SEPARATORS.split(text.strip()) if t]
    if len(tokens) > MAX_ORDER_IDS:
        raise ValueError(f"At most {MAX_ORDER_IDS} order ids at once; you gave {len(tokens)}.")
    bad = [t for t in tokens if not ORDER_ID.match(t) or int(t) > MAX_ID]
    if bad:
        raise ValueError(f"“{bad[0][:30]}” is not an order id (order ids are 15 to 19 digits).")
    return [int(t) for t in tokens]


def _probe(model, lookups, dialect) -> Q:
    """The lookups of an EXISTS probed by order id. On SQLite each probe is then one range of the
    (order, ...) index, the columns checked there: an IN list on an indexed column would otherwise
    be sought once per value, and another index might be chosen over the order's."""
    cond = Q()
    for key, value in lookups.items():
        name, _, lookup = key.partition("__")
        field = model._meta.get_field(name)
        cond &= Q(field.get_lookup(lookup or "exact")(dialect.checked(name, field), value))
    return cond


def _orders_of(model, shop_ids, shops=None, **lookups) -> Match:
    """Orders of these shops whose lines/packages match, in three sizes:

    - up to MATERIALISE_LIMIT orders: read first and written as literal ids, fetched by key;
    - up to BOUNDED_LIMIT lines: `id IN (the lines' order ids)`, bounded by the number of lines, so the
      list reads every match's (shop, status, key) once, driven from the lines' own index, instead of
      probing orders for each tab count (a product in 15,000 orders: one read, not six);
    - more: a correlated EXISTS, probed by order id while the list walks its index in order, that knows
      how many orders it found at least and which shops hold them, so that no other shop is asked (at a
      million orders, a shop without a match is walked whole).

    `shops`: the shops known to hold every match (a catalogue product's): its lines are then read
    without a join to the orders, which cost more than the read itself on PostgreSQL."""
    lines = model.objects.filter(**lookups).order_by()  # no default-ordering join
    found = lines if shops is not None else lines.filter(order__shop_id__in=shop_ids)
    ids = list(found.values_list("order_id", flat=True).distinct()[: limits.MATERIALISE_LIMIT + 1])
    if len(ids) <= limits.MATERIALISE_LIMIT:
        return Match.ids(ids)
    rows = lines[: limits.BOUNDED_LIMIT + 1].count()  # at least as many lines as orders: a bound
    if rows <= limits.BOUNDED_LIMIT:
        return Match(Q(pk__in=lines.values("order_id")), bound=rows, shops=None if shops is None else frozenset(shops))
    if shops is None:
        shops = found.values_list("order__shop_id", flat=True).distinct()
    probe = _probe(model, lookups, dialect_for(found.db))
    # more than MATERIALISE_LIMIT orders of these shops were found: at least that many match
    return Match(Q(Exists(model.objects.filter(probe, order=OuterRef("pk")))), floor=len(ids), shops=frozenset(shops))


def line_matches(shop_ids, shops=None, **lookups) -> Match:
    """Orders of these shops with a matching line (another shop's SKUs never decide anything here)."""
    return _orders_of(LineItem, shop_ids, shops, **lookups)


def package_matches(shop_ids, **lookups) -> Match:
    return _orders_of(Package, shop_ids, **lookups)


def tracking_condition(shop_ids, number: str) -> Match:
    """Orders of these shops with a package under this tracking number (as stored: no spaces, upper case)."""
    return package_matches(shop_ids, tracking_number=number)


def product_condition(text: str, shop_ids) -> Match:
    """Product name (in the shops' catalogue), SKU id or seller SKU."""
    for lookup in ({"sku_id": text}, {"seller_sku": text}, {"seller_sku": text.upper()}):
        if LineItem.objects.filter(order__shop_id__in=shop_ids, **lookup).exists():
            return line_matches(shop_ids, **lookup)
    products = list(
        Product.objects.filter(shop_id__in=shop_ids, name__icontains=text).values_list("shop_id", "product_id")
    )  # a catalogue: hundreds of rows, not millions
    if products:
        # a product belongs to one shop: only the shops whose catalogue holds it can have sold it
        shops = sorted({shop_id for shop_id, _ in products})
        return line_matches(shops, shops=shops, product_id__in=[product_id for _, product_id in products])
    # Not in the catalogue (renamed or removed products): the names the orders were sold under.
    return line_matches(shop_ids, product_name__icontains=text)


def buyer_condition(text: str, using: str = DEFAULT_DB_ALIAS) -> Match:
    """Buyer e-mail or phone (exact, through their indexes), or name/nickname.

    A name matches when every word typed starts a word of the name or nickname ("ali walk" finds
    Alice Walker), accents and case folded, on both databases alike, through the words table
    (orders.buyer_words). A bounded match also carries its reader of the matches' keys (Match.read_keys)."""
    if "@" in text:
        return Match(Q(buyer_email=text) | Q(buyer_email=text.lower()))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) - 3:
        return Match(Q(buyer_phone=text) | Q(buyer_phone__contains=text))
    folded = buyer_words.fold(text)
    if not folded:  # nothing but marks, punctuation and underscores
        return Match.ids([])
    buyer_words.catch_up(using)  # orders written since the last search (by any writer) are searchable
    # Counted in the table first: a common first name's thousands of ids are never carried here.
    count = buyer_words.count_orders(folded, limits.BOUNDED_LIMIT, using=using)
    if count <= limits.MATERIALISE_LIMIT:
        return Match.ids(buyer_words.order_ids(folded, using=using))  # the ids, distinct: the exact count
    cond = Q(pk__in=RawSQL(*buyer_words.matching(folded)))
    if count > limits.BOUNDED_LIMIT:
        return Match(cond)
    return Match(cond, bound=count, read_keys=partial(buyer_words.read_keys, folded))


def search_condition(text: str, shop_ids) -> Match:
    """What one search box query means: order ids, a tracking number, a SKU id or a seller SKU."""
    text = text.strip()
    try:
        ids = split_order_ids(text)
    except ValueError:
        ids = None
    if ids and len(ids) > 1:
        return Match.ids(ids)
    compact = re.sub(r"[\s-]", "", text).upper()
    parts = [
        package_matches(shop_ids, tracking_number=compact),
        line_matches(shop_ids, seller_sku=text),
        line_matches(shop_ids, sku_id=text),
    ] + ([Match.ids(ids)] if ids else [])
    return Match.any_of(parts)
