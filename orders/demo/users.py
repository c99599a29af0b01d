"""Demo sign-ins: one person per role, and a superuser. Safe to run again."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Membership, Shop
from accounts.roles import Role

DEMO_PASSWORD = "demo-Seller-2026"

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
    return summary
