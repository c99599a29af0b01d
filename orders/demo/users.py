"""Demo sign-ins: one person per role, and a superuser. Safe to run again."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Shop
from accounts.roles import ROLES_REQUIRING_2FA, Role
from accounts.services.two_factor import DEMO_DEVICE_NAME, RECOVERY_DEVICE_NAME, stored_form

DEMO_PASSWORD = "demo-Seller-2026"
# The demo's two-factor key (base32 JBSWY3DPEHPK3PXP...), the same on every machine so that it can be
# added to a phone once; `manage.py two_factor_code USER` prints the current code instead.
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef48656c6c6f21deadbeef"
DEMO_RECOVERY_CODES = ("demo2fa-one", "demo2fa-two", "demo2fa-three")

# username -> (role, indexes into the demo shops it works for; None = all)
DEMO_PEOPLE = {
    "admin": (Role.ADMINISTRATOR, None),
    "support": (Role.CUSTOMER_SERVICE, (0, 1)),
    "packer": (Role.FULFILLMENT, (0, 2)),
    "accountant": (Role.ACCOUNTANT, None),
    "viewer": (Role.VIEWER, (0,)),
}
SUPERUSER = "root"


@transaction.atomic
def ensure_demo_users(shops: list[Shop]) -> list[tuple[str, str, str]]:
    """Create or refresh the demo users and their memberships; returns (username, role, shops) rows."""
    User = get_user_model()
    summary = []
    for username, (role, indexes) in DEMO_PEOPLE.items():
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@demo.example"})
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save()
        mine = shops if indexes is None else [shops[i] for i in indexes if i < len(shops)]
        for shop in mine:
            Membership.objects.update_or_create(user=user, shop=shop, defaults={"role": role})
        summary.append((username, role.label, ", ".join(s.name for s in mine)))
    root, _ = User.objects.get_or_create(username=SUPERUSER, defaults={"email": "root@demo.example"})
    root.is_staff = root.is_superuser = root.is_active = True
    root.set_password(DEMO_PASSWORD)
    root.save()
    summary.append((SUPERUSER, "Superuser (Django admin)", "all shops"))
    for username in (*[name for name, (role, _) in DEMO_PEOPLE.items() if role in ROLES_REQUIRING_2FA], SUPERUSER):
        ensure_demo_two_factor(User.objects.get(username=username))
    return summary


def ensure_demo_two_factor(user) -> None:
    """A known TOTP key and recovery codes for the demo users whose role requires two-factor."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY_HEX, confirmed=True)
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=stored_form(code)) for code in DEMO_RECOVERY_CODES)


def two_factor_note() -> str:
    from base64 import b32encode

    key = b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
    return (
        f"Two-factor for admin and root: `manage.py two_factor_code admin` prints the current code, or add "
        f"the key {key} to an authenticator app; recovery codes: {', '.join(DEMO_RECOVERY_CODES)}."
    )
