"""Manage Orders: tabs, filters in the URL, capped counts, one page of rows (through OrderList)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import requires
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.forms import BulkShipForm
from orders.listing import limits
from orders.listing.order_list import OrderList, PageOutOfRange
from orders.masking import PiiAccess
from orders.tables import OrderTable
from orders.tabs import TABS

from .chips import chips_for


@require_GET
@requires(Perm.VIEW_ORDERS)
def order_list(request):
    access = PiiAccess.for_request(request)
    listing = OrderList(request.GET, user=request.user, access=access)
    may_ship = shops_with_permission(request.user, Perm.ARRANGE_SHIPMENT).exists()
    context = {
        "filterset": listing.filterset,
        "controls": listing.controls,
        "tabs": TABS,
        "tab_count_cap": limits.TAB_COUNT_CAP,
        "current_tab": listing.tab,
        "shops": listing.shop_queryset,
        "bulk_form": BulkShipForm() if may_ship else None,
        "can_export": shops_with_permission(request.user, Perm.EXPORT_ORDERS).exists(),
    }
    if listing.errors:
        context["errors"] = listing.errors
        return render(request, "orders/order_list.html", context, status=400)
    try:
        result = listing.run()
    except PageOutOfRange as out_of_range:
        context["errors"] = [str(out_of_range)]
        context["counts"] = out_of_range.counts
        return render(request, "orders/order_list.html", context, status=400)
    context.update(
        {
            "page": result.page,
            "counts": result.counts,
            "chips": chips_for(listing.filterset, request.GET),
            "table": OrderTable(
                result.page.rows,
                access=access,
                now=listing.spec.now,
                selectable=context["bulk_form"] is not None or context["can_export"],
            ),
            "sort": listing.spec.sort,
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "orders/order_list.html", context)
