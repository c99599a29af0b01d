"""Reads for the security pages: which audit events and members an Administrator may see."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Membership, Shop
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission


def audit_events_visible_to(user):
    """Events of the shops the user manages, and shop-less events (sign-ins, two-factor) of their members.
    Superusers see everything, including failures for unknown usernames."""
    if user.is_superuser and user.is_active:
        return AuditEvent.objects.all()
    shop_ids = list(shops_with_permission(user, Perm.MANAGE_STAFF).values_list("pk", flat=True))
    members = Membership.objects.filter(shop_id__in=shop_ids).values("user_id")
    return AuditEvent.objects.filter(Q(shop_id__in=shop_ids) | Q(shop__isnull=True, actor_id__in=members))


def managed_shop(user, code: str) -> Shop:
    """A shop the user manages; 404 for a shop they are not in at all, 403 for one they only work in."""
    from django.core.exceptions import PermissionDenied

    shop = Shop.objects.filter(code=code).first()
    if shop is None or not (user.is_superuser or Membership.objects.filter(user=user, shop=shop).exists()):
        raise Http404("No such shop among yours.")
    if not user.has_perm(Perm.MANAGE_STAFF.full_name, shop):
        raise PermissionDenied(f"Your role in {shop.name} does not include reviewing access.")
    return shop


def members_for_review(shop: Shop):
    return (
        Membership.objects.filter(shop=shop)
        .select_related("user", "user__security")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user_id"), confirmed=True)))
        .order_by("user__username")
    )
