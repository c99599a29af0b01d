"""Order reads for the API: a keyset page of a shop's orders, and orders by id. Both start from
orders.selectors.visibility with the user who authorised the grant."""

from dataclasses import dataclass

from django.db.models import F

from orders.models import LineItem, Order, Package
from orders.selectors.visibility import orders_visible_to
from partner_api import cursor
from partner_api.rowvalues import RowAfter, RowBefore
from partner_api.search import SearchSpec, filter_q


@dataclass(frozen=True)
class Page:
    orders: list
    total: int
    next_token: str


def _shop_orders(grant, shop):
    return orders_visible_to(grant.authorised_by).filter(shop_id=shop.pk)


LINE_FIELDS = (
    "order_id",
    "id",
    "product_id",
    "product_name",
    "sku_id",
    "seller_sku",
    "sku_name",
    "quantity",
    "original_price",
    "sale_price",
    "seller_discount",
    "platform_discount",
    "status",
    "package_id",
)
PACKAGE_FIELDS = ("order_id", "id", "carrier", "tracking_number", "created_at")


def _grouped(queryset, fields) -> dict:
    """Rows as plain dicts by order id: building model instances (and prefetch managers) for every line
    costs more than the queries themselves."""
    grouped = {}
    for row in queryset.order_by("order_id", "id").values(*fields):
        grouped.setdefault(row["order_id"], []).append(row)
    return grouped


def _with_details(ids):
    """The orders in the order of `ids`, each with `api_lines` and `api_packages` (three queries)."""
    found = Order.objects.filter(pk__in=ids).in_bulk()
    lines = _grouped(LineItem.objects.filter(order_id__in=list(found)), LINE_FIELDS)
    packages = _grouped(Package.objects.filter(order_id__in=list(found)), PACKAGE_FIELDS)
    orders = [found[pk] for pk in ids if pk in found]
    for order in orders:
        order.api_lines = lines.get(order.pk, [])
        order.api_packages = sorted(packages.get(order.pk, []), key=lambda p: (p["created_at"], p["id"]))
    return orders


def search_page(grant, shop, spec: SearchSpec) -> Page:
    matching = _shop_orders(grant, shop).filter(filter_q(spec.body))
    fp = cursor.fingerprint(shop.pk, spec.body, spec.sort_field, spec.descending)
    if spec.page_token:
        position = cursor.decode(spec.page_token, fp)
        total = position.total
        after = RowBefore if spec.descending else RowAfter
        matching = matching.filter(after((F(spec.column), F("id")), (position.value, position.order_id)))
    else:
        total = matching.count()
    direction = "-" if spec.descending else ""
    # keys first, read from the index alone; the full rows only for the page
    keys = list(
        matching.order_by(f"{direction}{spec.column}", f"{direction}id").values_list(spec.column, "id")[
            : spec.page_size + 1
        ]
    )
    page_keys = keys[: spec.page_size]
    next_token = ""
    if len(keys) > spec.page_size:
        value, order_id = page_keys[-1]
        next_token = cursor.encode(cursor.Position(value, order_id, total), fp)
    return Page(_with_details([pk for _, pk in page_keys]), total, next_token)


def orders_by_id(grant, shop, ids: list[int]) -> list:
    wanted = list(_shop_orders(grant, shop).filter(pk__in=ids).values_list("id", flat=True))
    present = set(wanted)
    return _with_details([pk for pk in dict.fromkeys(ids) if pk in present])
