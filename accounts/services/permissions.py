"""Keeps guardian's object permissions on a Shop in step with the user's Membership."""

from django.contrib.auth.models import Permission
from django.db import transaction

from accounts.models import Membership, Shop, ShopUserPermission
from accounts.roles import Perm, permissions_for


def _permission_rows():
    return {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts", codename__in=Perm.values)
    }


@transaction.atomic
def sync_shop_permissions(user_id: int, shop_id: int) -> None:
    """Grant exactly the permissions of the user's current role in the shop (none without a membership)."""
    role = Membership.objects.filter(user_id=user_id, shop_id=shop_id).values_list("role", flat=True).first()
    wanted = {p.value for p in permissions_for(role)} if role else set()
    rows = _permission_rows()
    ShopUserPermission.objects.filter(user_id=user_id, content_object_id=shop_id).exclude(
        permission__codename__in=wanted
    ).delete()
    have = set(
        ShopUserPermission.objects.filter(user_id=user_id, content_object_id=shop_id).values_list(
            "permission__codename", flat=True
        )
    )
    ShopUserPermission.objects.bulk_create(
        ShopUserPermission(user_id=user_id, content_object_id=shop_id, permission=rows[codename])
        for codename in sorted(wanted - have)
    )


def shops_with_permission(user, perm: Perm):
    """The shops in which `user` holds `perm` (every shop for an active superuser)."""
    if not user.is_authenticated or not user.is_active:
        return Shop.objects.none()
    if user.is_superuser:
        return Shop.objects.all()
    return Shop.objects.filter(shopuserpermission__user=user, shopuserpermission__permission__codename=perm.value)
