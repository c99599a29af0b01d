"""Error pages. Refusals that are also security events: a 403 and a failed CSRF check are recorded.
A server error is the product's page, never a traceback; a lost database (a restart, a failover) is a
503 that says to try again, while the connection health checks reconnect on the next request."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from accounts.models import AuditKind
from accounts.services import audit

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "Your role does not allow this."
    audit.record(
        AuditKind.PERMISSION_DENIED,
        request=request,
        target=request.path[:200],
        summary=f"Refused {request.method} {request.path[:150]}",
        reason=reason[:300],
    )
    return render(request, "403.html", {"exception": reason}, status=403)


def csrf_failure(request, reason=""):
    audit.record(
        AuditKind.CSRF_REFUSED,
        request=request,
        target=request.path[:200],
        summary=f"{request.method} {request.path[:150]} without a valid CSRF token",
        reason=reason,
    )
    return render(
        request,
        "403.html",
        {
            "exception": "This form was sent without a valid security token, so nothing was done. "
            "Reload the page and try again (cookies must be enabled).",
        },
        status=403,
    )


def server_error(request):
    """handler500. Rendered without the request's context: the context processors and the session
    would read the database, which may be the very thing that failed."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        log.warning("database unavailable for %s %s: %s", request.method, request.path, error)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
