"""Two-factor authentication with django-otp: a TOTP app and single-use recovery codes."""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditKind, Membership
from accounts.roles import ROLES_REQUIRING_2FA

from . import audit

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
DEMO_DEVICE_NAME = "Demo app"  # only devices of this name give their current code to `two_factor_code`
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def needs_two_factor(user) -> bool:
    """Staff (Django admin) and members holding a role that requires it."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=ROLES_REQUIRING_2FA).exists()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The not-yet-confirmed device of an enrolment in progress (one per user; a new key each start)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, drawn here (segno), never by a web service."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#111", omitsize=True)


def secret_for_typing(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_enrolment(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with its first code; returns the new recovery codes, or None if the code is wrong."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    audit.record(AuditKind.OTP_ENROLLED, actor=user, target=user.get_username())
    return issue_recovery_codes(user)


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """New single-use recovery codes; the old ones stop working. Shown once, stored as given (django-otp)."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [new_recovery_code() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=stored_form(code)) for code in codes)
    audit.record(AuditKind.RECOVERY_CODES_ISSUED, actor=user, target=user.get_username(), count=len(codes))
    return codes


def stored_form(code: str) -> str:
    """What is kept of a recovery code: a keyed hash (HMAC-SHA256 with the secret key, 64 bits, the
    16 characters django-otp's token column holds), never the code: a copy of the database alone
    gives no working second factor."""
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()[:16]


def new_recovery_code() -> str:
    """Ten characters with at least one letter: a code of digits only would be read as an app code."""
    while True:
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        if not code.isdigit():
            return code


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


@transaction.atomic
def remove_two_factor(user, *, by, shop=None) -> None:
    """Turn two-factor off (by the user, or by an Administrator for a member who lost the phone).
    The audit row is written by the device's post_delete receiver, which also sees deletions in admin."""
    for device in TOTPDevice.objects.filter(user=user):
        device.audit_context = {"actor": by, "shop": shop}
        device.delete()
    StaticDevice.objects.filter(user=user).delete()


class Verdict:
    ACCEPTED = "accepted"
    WRONG = "wrong"
    REUSED = "reused"
    THROTTLED = "throttled"


@transaction.atomic
def check_code(user, code: str) -> tuple[str, object, dict]:
    """(verdict, device, facts) for a code typed at sign-in: an app code or a recovery code.

    An app code is good once: django-otp remembers the last time step used, so the same code (or an
    older one) is refused as REUSED. Repeated wrong codes are slowed down by django-otp's throttle.
    Both live on the device row, read and written back by django-otp: the row is locked while a code
    is checked, so two web processes can neither both accept one code nor lose a throttle count."""
    code = "".join(code.split()).lower()
    app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if app is not None and code.isdigit():
        allowed, info = app.verify_is_allowed()
        if not allowed:
            return Verdict.THROTTLED, app, {"locked_until": (info or {}).get("locked_until")}
        if app.verify_token(code):
            return Verdict.ACCEPTED, app, {"method": "app"}
        return (Verdict.REUSED if _is_spent(app, code) else Verdict.WRONG), app, {"method": "app"}
    static = StaticDevice.objects.select_for_update().filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if static is not None:
        allowed, info = static.verify_is_allowed()
        if not allowed:
            return Verdict.THROTTLED, static, {"locked_until": (info or {}).get("locked_until")}
    if static is not None and static.verify_token(stored_form(code)):  # deletes the code: single use
        return Verdict.ACCEPTED, static, {"method": "recovery code", "codes_left": static.token_set.count()}
    return Verdict.WRONG, app or static, {"method": "recovery code" if not code.isdigit() else "app"}


def _is_spent(device: TOTPDevice, code: str) -> bool:
    """A code that is genuine for a recent time step already used at sign-in."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    try:
        return totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t
    except ValueError:
        return False
