"""Every role against every permission, written out by hand so that a change to roles.py shows here."""

import pytest

from accounts.roles import ROLES_REQUIRING_2FA, Perm, Role, permissions_for

P = Perm
R = Role
Y, N = True, False

#                        view  pii  ship_addr ship cancel after contact export staff analytics
EXPECTED = {
    R.ADMINISTRATOR: (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    R.CUSTOMER_SERVICE: (Y, Y, Y, N, Y, Y, Y, N, N, N),
    R.FULFILLMENT: (Y, N, Y, Y, N, N, N, N, N, N),
    R.ACCOUNTANT: (Y, N, N, N, N, N, N, Y, N, Y),
    R.VIEWER: (Y, N, N, N, N, N, N, N, N, N),
}
COLUMNS = (
    P.VIEW_ORDERS,
    P.VIEW_BUYER_PII,
    P.VIEW_SHIPPING_ADDRESS,
    P.ARRANGE_SHIPMENT,
    P.CANCEL_ORDERS,
    P.HANDLE_AFTER_SALES,
    P.CONTACT_BUYERS,
    P.EXPORT_ORDERS,
    P.MANAGE_STAFF,
    P.VIEW_ANALYTICS,
)

CASES = [(role, perm, row[i]) for role, row in EXPECTED.items() for i, perm in enumerate(COLUMNS)]


def test_the_table_covers_every_role_and_permission():
    assert set(EXPECTED) == set(Role)
    assert set(COLUMNS) == set(Perm)


@pytest.mark.parametrize(("role", "perm", "allowed"), CASES, ids=[f"{r.value}-{p.value}" for r, p, _ in CASES])
def test_role_permissions_in_code(role, perm, allowed):
    assert (perm in permissions_for(role)) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "perm", "allowed"), CASES, ids=[f"{r.value}-{p.value}" for r, p, _ in CASES])
def test_member_holds_exactly_the_role_permissions_in_their_shop_only(role, perm, allowed, shop, other_shop, member_of):
    user = member_of(shop, role)
    assert user.has_perm(perm.full_name, shop) is allowed
    assert user.has_perm(perm.full_name, other_shop) is False
    assert user.has_perm(perm.full_name) is False  # nothing global: every answer is per shop


def test_only_administrators_must_use_two_factor():
    assert ROLES_REQUIRING_2FA == {Role.ADMINISTRATOR}
