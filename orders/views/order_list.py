"""Manage Orders: tabs, filters in the URL, capped counts, one page of rows."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import requires
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.filters import OrderFilter
from orders.forms import BulkShipForm, ListControlsForm
from orders.masking import PiiAccess
from orders.selectors.order_list import (
    TAB_COUNT_CAP,
    PageOutOfRange,
    matches_keys,
    order_page,
    shops_and_tab_counts,
)
from orders.selectors.visibility import orders_visible_to
from orders.tables import OrderTable
from orders.tabs import TABS

from .chips import chips_for


@require_GET
@requires(Perm.VIEW_ORDERS)
def order_list(request):
    now = timezone.now()
    shops = shops_with_permission(request.user, Perm.VIEW_ORDERS).order_by("name")
    data = request.GET.copy()
    for key, default in (("tab", "all"), ("date_field", "created")):
        if not data.get(key):  # missing or empty: the default tab / date field
            data[key] = default
    visible = orders_visible_to(request.user)
    access = PiiAccess.for_request(request)
    filterset = OrderFilter(data, queryset=visible, shops=shops, now=now, request=request, ordered=True,
                            pii_shop_ids=access.pii_shop_ids)
    controls = ListControlsForm(request.GET)
    context = {"filterset": filterset, "controls": controls, "tabs": TABS, "tab_count_cap": TAB_COUNT_CAP,
               "current_tab": data["tab"], "shops": shops,
               "bulk_form": BulkShipForm() if shops_with_permission(request.user, Perm.ARRANGE_SHIPMENT).exists()
               else None,
               "can_export": shops_with_permission(request.user, Perm.EXPORT_ORDERS).exists()}
    errors = _errors_of(filterset.form) + _errors_of(controls)
    if data.get("buyer") and not access.pii_shop_ids:
        errors.append("Buyer: your role may not search by buyer details (they are masked for you).")
    if errors:
        context["errors"] = errors
        return render(request, "orders/order_list.html", context, status=400)

    number, size, sort = controls.cleaned()
    every_tab = data.copy()
    every_tab["tab"] = "all"  # tab counts: the same filters, each tab in turn
    every = OrderFilter(every_tab, queryset=visible, shops=shops, now=now, pii_shop_ids=access.pii_shop_ids,
                        searches=filterset.searches)  # a search reads its matches once for both
    unscoped = every.qs
    # A search that read its matches first (SKU, tracking number, buyer name ...) bounds them: all of
    # them are then read once, for the shops, the tab counts and the page alike.
    shop_ids, counts, matches = shops_and_tab_counts(unscoped, filterset.scope_shop_ids(), bound=every.match_bound,
                                                     sort=sort, floor=every.match_floor, read=every.match_reader)
    try:
        page = order_page(filterset.qs.filter(shop_id__in=shop_ids), shop_ids=shop_ids, sort=sort, number=number,
                          size=size, count=counts[data["tab"]], bound=every.match_bound,
                          keys=matches_keys(matches, data["tab"]))
    except PageOutOfRange as out_of_range:
        context["errors"] = [str(out_of_range)]
        context["counts"] = counts
        return render(request, "orders/order_list.html", context, status=400)

    context.update({
        "page": page, "counts": counts, "chips": chips_for(filterset, request.GET),
        "table": OrderTable(page.rows, access=access, now=now,
                            selectable=context["bulk_form"] is not None or context["can_export"]),
        "sort": sort, "query": request.GET.urlencode(),
    })
    return render(request, "orders/order_list.html", context)



def _errors_of(form) -> list[str]:
    """ "Label: message" for each field error (form-wide ones under "Filters")."""
    if form.is_valid():
        return []
    return [f"{form.fields[name].label or name.replace('_', ' ').title() if name in form.fields else 'Filters'}: "
            f"{' '.join(messages)}" for name, messages in form.errors.items()]
