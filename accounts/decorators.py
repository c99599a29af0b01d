"""Deny by default: every view says what it needs, and the permission-matrix test reads it.

`@requires(Perm.X)`: signed in, and holding X in at least one shop (the view then narrows to the
shop of the object through the selectors, answering 404 for another shop's object).
`@signed_in`: any signed-in user (their own account pages). `@public`: no sign-in (the sign-in pages).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission

PUBLIC = "public"
SIGNED_IN = "signed in"


def requires(perm: Perm):
    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not shops_with_permission(request.user, perm).exists():
                raise PermissionDenied(f"Your role does not include “{perm.label}” in any of your shops.")
            return view(request, *args, **kwargs)

        guarded.required_permission = perm
        return guarded

    return decorate


def signed_in(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    guarded.required_permission = SIGNED_IN
    return guarded


def public(view):
    view.required_permission = PUBLIC
    return view
