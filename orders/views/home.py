from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import signed_in
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.listing import limits
from orders.listing.reads import capped_count
from orders.pending import PENDING, pending_condition
from orders.selectors.visibility import orders_visible_to


@require_GET
@signed_in
def home(request):
    """The Pending actions board for the chosen shop (or all the user's shops), each count a link."""
    now = timezone.now()
    shops = shops_with_permission(request.user, Perm.VIEW_ORDERS).order_by("name")
    code = request.GET.get("shop", "")
    shop = next((s for s in shops if s.code == code), None) if code else None
    orders = orders_visible_to(request.user)
    if shop:
        orders = orders.filter(shop=shop)
    board = [
        (key, label, capped_count(orders.filter(pending_condition(key, now)), limits.TAB_COUNT_CAP))
        for key, label in PENDING.items()
    ]
    memberships = request.user.memberships.select_related("shop").order_by("shop__name")
    return render(
        request,
        "orders/home.html",
        {
            "board": board,
            "memberships": memberships,
            "shops": shops,
            "shop": shop,
            "count_cap": limits.TAB_COUNT_CAP,
            "unknown_shop": bool(code) and shop is None,
        },
    )
