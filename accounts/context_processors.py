from django.utils.functional import SimpleLazyObject

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission


def navigation(request):
    """What the top bar offers; evaluated only when a template asks (one query)."""
    user = getattr(request, "user", None)
    return {"manages_staff": SimpleLazyObject(
        lambda: bool(user and user.is_authenticated and shops_with_permission(user, Perm.MANAGE_STAFF).exists()))}
