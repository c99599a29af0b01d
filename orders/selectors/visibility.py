"""The one choke point for order visibility: every list, detail, action, export and API call starts here."""

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.models import Order


def visible_shop_ids(user, perm: Perm = Perm.VIEW_ORDERS) -> list[int]:
    return list(shops_with_permission(user, perm).values_list("pk", flat=True))


def orders_visible_to(user, perm: Perm = Perm.VIEW_ORDERS):
    """Orders of the shops in which `user` holds `perm`; nothing for anyone else.

    The shop ids are read now (one small query) and written into the SQL as literals: with a
    subquery there, SQLite's planner scans the whole orders table instead of using its indexes.
    Read per request, so a revoked membership applies on the very next request.
    """
    return Order.objects.filter(shop_id__in=visible_shop_ids(user, perm))
