"""What an export covers: the order filters, within the shops where the user may export."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone

from accounts.models import Shop
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.filters import OrderFilter
from orders.selectors.visibility import orders_visible_to

from ..columns import Format, Layout
from ..sql import ExportQuery, build

# Parameters of the list page that are not filters.
NOT_FILTERS = frozenset({"page", "page_size", "size", "sort", "format", "layout", "shops", "csrfmiddlewaretoken", "query"})


@dataclass
class Scope:
    filterset: OrderFilter
    shops: list
    masked: bool

    @property
    def queryset(self):
        return self.filterset.qs


def filter_params(data: QueryDict) -> dict:
    """The filters of a query string, as stored on a job (lists, as a QueryDict holds them)."""
    return {key: data.getlist(key) for key in data if key not in NOT_FILTERS and any(data.getlist(key))}


def scope_for(user, params: dict, now=None) -> Scope:
    """The filterset an export runs: `params` = {"filters": {...}, "shops": [codes]}.

    Read when the export runs, so a role removed in the meantime exports nothing from that shop."""
    shops = shops_with_permission(user, Perm.EXPORT_ORDERS).order_by("name")
    if params.get("shops"):
        shops = shops.filter(code__in=params["shops"])
    shops = list(shops)
    data = QueryDict(mutable=True)
    for key, values in (params.get("filters") or {}).items():
        data.setlist(key, values)
    data.setdefault("tab", "all")
    data.setdefault("date_field", "created")
    pii_shop_ids = set(shops_with_permission(user, Perm.VIEW_BUYER_PII).values_list("pk", flat=True))
    shop_ids = [shop.pk for shop in shops]
    filterset = OrderFilter(data, queryset=orders_visible_to(user, Perm.EXPORT_ORDERS).filter(shop_id__in=shop_ids),
                            shops=Shop.objects.filter(pk__in=shop_ids), now=now or timezone.now(),
                            pii_shop_ids=pii_shop_ids)
    masked = not all(shop.pk in pii_shop_ids for shop in shops)
    return Scope(filterset, shops, masked)


def export_query(scope: Scope, layout: Layout, fmt: Format, vendor: str) -> ExportQuery:
    zones = {shop.pk: shop.time_zone for shop in scope.shops}
    return build(scope.queryset, layout, fmt, vendor=vendor, masked=scope.masked, zones=zones)


def describe(scope: Scope, fmt: Format, layout: Layout) -> str:
    names = ", ".join(s.name for s in scope.shops[:3]) + (f" and {len(scope.shops) - 3} more" if len(scope.shops) > 3
                                                          else "")
    return f"{Format(fmt).label}, {Layout(layout).label.lower()}: {names or 'no shop'}"



# Filters whose values are buyer data: kept out of the audit trail, which Administrators read.
PII_FILTERS = frozenset({"buyer", "q"})


def audited_filters(params: dict) -> dict:
    filters = {key: (["[buyer data, not recorded]"] if key in PII_FILTERS else values)
               for key, values in (params.get("filters") or {}).items()}
    return {**params, "filters": filters}
