from django.utils.functional import SimpleLazyObject

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission


def navigation(request):
    """What the top bar offers; each evaluated only when a template asks (one query each)."""
    user = getattr(request, "user", None)

    def holds(perm):
        return SimpleLazyObject(
            lambda: bool(user and user.is_authenticated and shops_with_permission(user, perm).exists())
        )

    return {
        "manages_staff": holds(Perm.MANAGE_STAFF),
        "can_export": holds(Perm.EXPORT_ORDERS),
        "can_view_analytics": holds(Perm.VIEW_ANALYTICS),
    }
