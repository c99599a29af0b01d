"""Roles are defined in code: each is a named set of shop permissions.

Membership(user, shop, role) is what admins edit; the permissions below are then granted
as django-guardian object permissions on that Shop, so `user.has_perm(perm, shop)` answers
per shop.
"""

from django.db import models


class Perm(models.TextChoices):
    VIEW_ORDERS = "view_orders", "View orders"
    VIEW_BUYER_PII = "view_buyer_pii", "View buyer personal data (name, e-mail, phone, addresses)"
    VIEW_SHIPPING_ADDRESS = "view_shipping_address", "View the recipient's shipping address"
    ARRANGE_SHIPMENT = "arrange_shipment", "Arrange shipment"
    CANCEL_ORDERS = "cancel_orders", "Cancel orders and answer cancellation requests"
    HANDLE_AFTER_SALES = "handle_after_sales", "Refund and answer return/refund requests"
    CONTACT_BUYERS = "contact_buyers", "Add seller notes and message buyers"
    EXPORT_ORDERS = "export_orders", "Export orders"
    MANAGE_STAFF = "manage_staff", "Manage staff and review access"
    VIEW_ANALYTICS = "view_analytics", "View analytics"

    @property
    def full_name(self):
        """The name `user.has_perm()` expects."""
        return f"accounts.{self.value}"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    CUSTOMER_SERVICE = "customer_service", "Customer Service"
    FULFILLMENT = "fulfillment", "Fulfillment"
    ACCOUNTANT = "accountant", "Accountant"
    VIEWER = "viewer", "Viewer"


ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMINISTRATOR: frozenset(Perm),
    Role.CUSTOMER_SERVICE: frozenset(
        {
            Perm.VIEW_ORDERS,
            Perm.VIEW_BUYER_PII,
            Perm.VIEW_SHIPPING_ADDRESS,
            Perm.CANCEL_ORDERS,
            Perm.HANDLE_AFTER_SALES,
            Perm.CONTACT_BUYERS,
        }
    ),
    # Fulfilment staff print labels: they see where a parcel goes, not the buyer's contact data.
    Role.FULFILLMENT: frozenset({Perm.VIEW_ORDERS, Perm.VIEW_SHIPPING_ADDRESS, Perm.ARRANGE_SHIPMENT}),
    Role.ACCOUNTANT: frozenset({Perm.VIEW_ORDERS, Perm.EXPORT_ORDERS, Perm.VIEW_ANALYTICS}),
    Role.VIEWER: frozenset({Perm.VIEW_ORDERS}),
}

# Roles whose members must use two-factor authentication.
ROLES_REQUIRING_2FA = frozenset({Role.ADMINISTRATOR})


def permissions_for(role) -> frozenset[Perm]:
    return ROLE_PERMISSIONS[Role(role)]
