"""Audit rows for events that happen outside our own views: Django's sign-in signals, django-axes'
lockouts, and changes made in Django admin (memberships, users, two-factor devices)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditKind, Membership
from accounts.roles import Role
from accounts.services import audit
from accounts.services.lockout import clear_failures
from accounts.services.sessions import stamp_session
from accounts.services.two_factor import has_two_factor

User = get_user_model()


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    stamp_session(request.session)
    audit.record(AuditKind.SIGN_IN, request=request, actor=user, target=user.get_username())
    if not has_two_factor(user):  # complete now; otherwise once the code is accepted
        clear_failures(request, user)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        audit.record(AuditKind.SIGN_OUT, request=request, actor=user, target=user.get_username())


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if str(kwargs.get("reason", "")).startswith("two-factor"):
        return  # recorded as OTP_FAILED by the verify view, with more detail
    username = (credentials or {}).get("username", "")
    known = User.objects.filter(username=username).first() if username else None
    reason = kwargs.get("reason") or ("wrong password" if known else "unknown username")
    audit.record(
        AuditKind.SIGN_IN_FAILED,
        request=request,
        actor=known,
        actor_name=username[:150],
        target=username[:200],
        summary=f"Sign-in failed ({reason})",
        reason=reason,
    )


@receiver(user_locked_out)
def locked_out(sender, request, username=None, ip_address=None, **kwargs):
    known = User.objects.filter(username=username).first() if username else None
    audit.record(
        AuditKind.LOCKED_OUT,
        request=request,
        actor=known,
        actor_name=(username or "")[:150],
        target=username or "",
        summary=f"Locked out after repeated failures ({username} from {ip_address})",
    )


@receiver(pre_save, sender=Membership)
def remember_previous_role(sender, instance, **kwargs):
    instance._previous_role = (
        Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, created, **kwargs):
    who = instance.user.get_username()
    role = Role(instance.role).label
    previous = getattr(instance, "_previous_role", None)
    if created or previous is None:
        audit.record(
            AuditKind.MEMBERSHIP_ADDED,
            shop=instance.shop,
            target=who,
            summary=f"{who} added as {role}",
            role=instance.role,
        )
    elif previous != instance.role:
        audit.record(
            AuditKind.ROLE_CHANGED,
            shop=instance.shop,
            target=who,
            summary=f"{who}: {Role(previous).label} → {role}",
            before=previous,
            after=instance.role,
        )


@receiver(post_delete, sender=Membership)
def membership_removed(sender, instance, **kwargs):
    who = instance.user.get_username()
    audit.record(
        AuditKind.MEMBERSHIP_REMOVED,
        shop=instance.shop,
        target=who,
        summary=f"{who} ({Role(instance.role).label}) removed",
        role=instance.role,
    )


@receiver(pre_save, sender=User)
def remember_previous_active(sender, instance, **kwargs):
    instance._was_active = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=User)
def user_activation_changed(sender, instance, created, **kwargs):
    before = getattr(instance, "_was_active", None)
    if created or before is None or before == instance.is_active:
        return
    kind = AuditKind.USER_REACTIVATED if instance.is_active else AuditKind.USER_DEACTIVATED
    audit.record(kind, target=instance.get_username(), summary=f"{kind.label}: {instance.get_username()}")


@receiver(post_delete, sender=TOTPDevice)
def two_factor_device_deleted(sender, instance, **kwargs):
    if instance.confirmed:
        context = getattr(instance, "audit_context", {})
        who = instance.user.get_username()
        audit.record(
            AuditKind.OTP_REMOVED,
            actor=context.get("actor"),
            shop=context.get("shop"),
            target=who,
            summary=f"Two-factor authentication turned off for {who}",
        )
