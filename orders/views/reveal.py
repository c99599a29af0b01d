"""“Show buyer details”: an explicit, recorded click that unmasks one order's PII for a few minutes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import requires
from accounts.models import AuditKind
from accounts.roles import Perm
from accounts.services import audit
from orders.masking import REVEAL_MINUTES, PiiAccess, remember_reveal
from orders.selectors.order_detail import order_for


@require_POST
@requires(Perm.VIEW_ORDERS)
def reveal_buyer(request, order_id: int):
    order = order_for(request.user, order_id)  # 404 for another shop's order
    access = PiiAccess.for_user(request.user)
    if not access.may_reveal(order):
        raise PermissionDenied(f"Your role in {order.shop.name} may not see buyer details.")
    fields = "name, e-mail, phone, addresses" if order.shop_id in access.pii_shop_ids else "shipping address"
    audit.record(
        AuditKind.PII_REVEALED,
        request=request,
        shop=order.shop,
        target=f"order {order.pk}",
        summary=f"Buyer details of order {order.pk} shown ({fields})",
        fields=fields,
    )
    remember_reveal(request.session, order.pk)
    messages.info(request, f"Buyer details are shown for {REVEAL_MINUTES} minutes; this was recorded.")
    return redirect("order_detail", order_id=order.pk)
