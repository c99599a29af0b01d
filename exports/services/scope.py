"""What an export covers: the order filters, within the shops where the user may export."""

from dataclasses import dataclass

from django.http import QueryDict

from accounts.roles import Perm
from orders.listing.order_list import OrderList
from orders.listing.spec import filter_params  # noqa: F401 -- the list's own reading of a query string
from orders.masking import PiiAccess

from ..columns import Format, Layout
from ..sql import ExportQuery, build


@dataclass
class Scope:
    listing: OrderList
    shops: list
    masked: bool

    @property
    def filterset(self):
        return self.listing.filterset

    @property
    def queryset(self):
        return self.listing.matching()


def scope_for(user, params: dict, now=None) -> Scope:
    """The orders an export writes: `params` = {"filters": {...}, "shops": [codes]}, listed as the order
    list lists them (OrderList) within the shops where the user may export.

    Read when the export runs, so a role removed in the meantime exports nothing from that shop."""
    data = QueryDict(mutable=True)
    for key, values in (params.get("filters") or {}).items():
        data.setlist(key, values)
    access = PiiAccess.for_user(user)
    listing = OrderList(
        data, user=user, perm=Perm.EXPORT_ORDERS, access=access, now=now, shop_codes=params.get("shops") or None
    )
    masked = not all(shop.pk in access.pii_shop_ids for shop in listing.shops)
    return Scope(listing, listing.shops, masked)


def export_query(scope: Scope, layout: Layout, fmt: Format, vendor: str) -> ExportQuery:
    zones = {shop.pk: shop.time_zone for shop in scope.shops}
    return build(scope.queryset, layout, fmt, vendor=vendor, masked=scope.masked, zones=zones)


def describe(scope: Scope, fmt: Format, layout: Layout) -> str:
    names = ", ".join(s.name for s in scope.shops[:3]) + (
        f" and {len(scope.shops) - 3} more" if len(scope.shops) > 3 else ""
    )
    return f"{Format(fmt).label}, {Layout(layout).label.lower()}: {names or 'no shop'}"


# Filters whose values are buyer data: kept out of the audit trail, which Administrators read.
PII_FILTERS = frozenset({"buyer", "q"})


def audited_filters(params: dict) -> dict:
    filters = {
        key: (["[buyer data, not recorded]"] if key in PII_FILTERS else values)
        for key, values in (params.get("filters") or {}).items()
    }
    return {**params, "filters": filters}
