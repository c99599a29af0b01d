"""Receivers that keep state in step: role permissions with memberships, the per-IP sign-in count
with failed sign-ins."""

from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Membership
from .services import ip_throttle
from .services.permissions import sync_shop_permissions


@receiver(pre_save, sender=Membership)
def remember_previous_pair(sender, instance, **kwargs):
    # An admin may move a membership to another user or shop: the old pair loses its grants.
    instance._previous_pair = (
        Membership.objects.filter(pk=instance.pk).values_list("user_id", "shop_id").first() if instance.pk else None
    )


@receiver(post_save, sender=Membership)
def grant_role_permissions(sender, instance, **kwargs):
    previous = getattr(instance, "_previous_pair", None)
    if previous and previous != (instance.user_id, instance.shop_id):
        sync_shop_permissions(*previous)
    sync_shop_permissions(instance.user_id, instance.shop_id)


@receiver(post_delete, sender=Membership)
def revoke_role_permissions(sender, instance, **kwargs):
    sync_shop_permissions(instance.user_id, instance.shop_id)


@receiver(user_login_failed)
def count_failure_per_address(sender, credentials, request=None, **kwargs):
    """Every failed sign-in (a password or a two-factor code) counts toward its address' limit; the
    view that sent the failure shows the pause page when this one started it."""
    if request is not None and ip_throttle.record_failure(request):
        request.sign_in_ip_paused = True
