"""The one choke point for order visibility: every list, detail, action, export and API call starts here."""

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from orders.models import Order


def orders_visible_to(user, perm: Perm = Perm.VIEW_ORDERS):
    """Orders of the shops in which `user` holds `perm`; nothing for anyone else."""
    return Order.objects.filter(shop__in=shops_with_permission(user, perm).values("pk"))
