"""Bulk actions on the selected rows (or on everything the filters match, up to a limit)."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import requires
from accounts.roles import Perm
from orders.forms import BulkShipForm
from orders.listing.order_list import OrderList
from orders.search import MAX_ID
from orders.selectors.visibility import orders_visible_to
from orders.services.shipping import arrange_many

BULK_LIMIT = 500


@require_POST
@requires(Perm.ARRANGE_SHIPMENT)
def bulk_ship(request):
    query = request.POST.get("query", "")
    back = redirect(f"/orders/?{query}")
    form = BulkShipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a carrier for the shipment.")
        return back
    shippable = orders_visible_to(request.user, Perm.ARRANGE_SHIPMENT).select_related("shop")
    if request.POST.get("all_matching") == "1":
        # the list's own filters, within the shops where the user may ship
        listing = OrderList(QueryDict(query), user=request.user, perm=Perm.ARRANGE_SHIPMENT)
        if listing.errors:
            messages.error(request, "The filters are not valid any more; apply them again.")
            return back
        orders = list(listing.matching().select_related("shop").order_by("-created_at")[: BULK_LIMIT + 1])
    else:
        try:
            ids = [int(pk) for pk in request.POST.getlist("order")]
            if any(not 0 < pk <= MAX_ID for pk in ids):
                raise ValueError
        except ValueError:
            messages.error(request, "The selection holds something that is not an order id.")
            return back
        orders = list(shippable.filter(pk__in=ids[: BULK_LIMIT + 1]))
        if len(set(ids)) > BULK_LIMIT:
            messages.error(request, f"At most {BULK_LIMIT} orders at once; select fewer.")
            return back
        if len(orders) < len(set(ids)):
            messages.warning(
                request, f"{len(set(ids)) - len(orders)} selected orders are not yours to ship; they were left alone."
            )
    if not orders:
        messages.error(request, "Select at least one order that you may ship.")
        return back
    if len(orders) > BULK_LIMIT:
        messages.error(request, f"At most {BULK_LIMIT} orders at once; narrow the filters.")
        return back
    shipped, refused = arrange_many(orders, request.user, carrier=form.cleaned_data["carrier"])
    if shipped:
        messages.success(request, f"Shipment arranged for {len(shipped)} order{'s' if len(shipped) != 1 else ''}.")
    for order_id, reason in refused[:10]:
        messages.error(request, f"{order_id}: {reason}")
    if len(refused) > 10:
        messages.error(request, f"…and {len(refused) - 10} more orders could not be shipped.")
    return back
