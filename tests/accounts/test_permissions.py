import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, ShopUserPermission
from accounts.roles import Perm, Role
from accounts.services.permissions import shops_with_permission, sync_shop_permissions
from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def granted(user, shop):
    return set(
        ShopUserPermission.objects.filter(user=user, content_object=shop).values_list("permission__codename", flat=True)
    )


def test_saving_a_membership_grants_its_role(shop):
    membership = MembershipFactory(shop=shop, role=Role.FULFILLMENT)
    assert granted(membership.user, shop) == {"view_orders", "view_shipping_address", "arrange_shipment"}


def test_changing_the_role_replaces_the_grants(shop):
    membership = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR)
    membership.role = Role.VIEWER
    membership.save()
    assert granted(membership.user, shop) == {"view_orders"}


def test_deleting_a_membership_revokes_everything(shop):
    membership = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR)
    membership.delete()
    assert granted(membership.user, shop) == set()


def test_bulk_delete_revokes_too(shop):
    membership = MembershipFactory(shop=shop, role=Role.ACCOUNTANT)
    Membership.objects.filter(pk=membership.pk).delete()
    assert granted(membership.user, shop) == set()


def test_moving_a_membership_to_another_shop_moves_the_grants(shop, other_shop):
    membership = MembershipFactory(shop=shop, role=Role.ACCOUNTANT)
    membership.shop = other_shop
    membership.save()
    assert granted(membership.user, shop) == set()
    assert granted(membership.user, other_shop) == {"view_orders", "export_orders", "view_analytics"}


def test_grants_roll_back_with_a_failed_membership_save(shop):
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        MembershipFactory(user=user, shop=shop, role=Role.ADMINISTRATOR)
        raise RuntimeError("the admin form failed later in the same request")
    assert granted(user, shop) == set()


def test_one_role_per_person_and_shop(shop):
    membership = MembershipFactory(shop=shop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, shop=shop, role=Role.ADMINISTRATOR)


def test_unknown_role_is_refused_by_the_database(shop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), shop=shop, role="owner")


def test_sync_repairs_drifted_grants(shop):
    membership = MembershipFactory(shop=shop, role=Role.VIEWER)
    ShopUserPermission.objects.filter(user=membership.user).delete()
    sync_shop_permissions(membership.user_id, shop.pk)
    assert granted(membership.user, shop) == {"view_orders"}


def test_a_person_may_hold_different_roles_in_different_shops(shop, other_shop):
    user = UserFactory()
    MembershipFactory(user=user, shop=shop, role=Role.ADMINISTRATOR)
    MembershipFactory(user=user, shop=other_shop, role=Role.VIEWER)
    assert user.has_perm(Perm.EXPORT_ORDERS.full_name, shop)
    assert not user.has_perm(Perm.EXPORT_ORDERS.full_name, other_shop)
    assert set(shops_with_permission(user, Perm.EXPORT_ORDERS)) == {shop}
    assert set(shops_with_permission(user, Perm.VIEW_ORDERS)) == {shop, other_shop}


def test_inactive_users_and_superusers(shop):
    user = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR).user
    user.is_active = False
    user.save()
    assert not shops_with_permission(user, Perm.VIEW_ORDERS).exists()
    root = UserFactory(is_superuser=True)
    ShopFactory()
    assert shops_with_permission(root, Perm.VIEW_ORDERS).count() == 2
