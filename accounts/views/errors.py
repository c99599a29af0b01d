"""Refusals that are also security events: a 403 and a failed CSRF check are recorded."""

from django.shortcuts import render

from accounts.models import AuditKind
from accounts.services import audit


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "Your role does not allow this."
    audit.record(AuditKind.PERMISSION_DENIED, request=request, target=request.path[:200],
                 summary=f"Refused {request.method} {request.path[:150]}", reason=reason[:300])
    return render(request, "403.html", {"exception": reason}, status=403)


def csrf_failure(request, reason=""):
    audit.record(AuditKind.CSRF_REFUSED, request=request, target=request.path[:200],
                 summary=f"{request.method} {request.path[:150]} without a valid CSRF token", reason=reason)
    return render(request, "403.html", {
        "exception": "This form was sent without a valid security token, so nothing was done. "
                     "Reload the page and try again (cookies must be enabled).",
    }, status=403)
