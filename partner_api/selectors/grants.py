"""What a grant may read: its shops, as long as the Administrator who authorised it still sees them."""

from accounts.models import Shop
from accounts.roles import Perm
from orders.selectors.visibility import visible_shop_ids
from partner_api.models import ApiApp, Grant


def granted_shops(grant: Grant):
    """The grant's shops in which its Administrator still holds View orders (read per request)."""
    return Shop.objects.filter(pk__in=visible_shop_ids(grant.authorised_by), api_grants=grant).order_by("name")


def apps_of(user):
    return ApiApp.objects.filter(created_by=user)


def grants_managed_by(user):
    """Grants covering at least one shop in which `user` may manage staff (who may then revoke them)."""
    managed = visible_shop_ids(user, Perm.MANAGE_STAFF)
    return (
        Grant.objects.filter(shops__in=managed)
        .distinct()
        .select_related("app", "authorised_by")
        .prefetch_related("shops")
    )
