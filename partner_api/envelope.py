"""The platform's JSON envelope: {"code", "message", "request_id", "data"}, for answers and errors alike."""

import logging
import secrets
from datetime import UTC, datetime
from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.decorators import public

from . import errors

log = logging.getLogger(__name__)


def new_request_id() -> str:
    """Shaped like the platform's: UTC time to the second, then 20 upper-case hex digits."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(10).upper()


def respond(data, *, code=0, message="Success", status=200, request_id=None) -> JsonResponse:
    response = JsonResponse(
        {"code": code, "message": message, "request_id": request_id or new_request_id(), "data": data}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def fail(error: errors.ApiError) -> JsonResponse:
    return respond(None, code=error.kind.code, message=error.message, status=error.kind.http_status)


def api_view(*methods: str):
    """An API endpoint: no session sign-in (it checks signatures itself), no CSRF, only `methods`,
    and every failure, expected or not, answered as the envelope (never HTML)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise errors.ApiError(
                        errors.METHOD_NOT_ALLOWED, f"{request.path} takes {' or '.join(methods)}, not {request.method}."
                    )
                return view(request, *args, **kwargs)
            except errors.ApiError as error:
                return fail(error)
            except Exception:  # the envelope, never Django's HTML 500 page
                request_id = new_request_id()
                log.exception("partner API request %s failed", request_id)
                return respond(
                    None, code=errors.INTERNAL.code, message=errors.INTERNAL.meaning, status=500, request_id=request_id
                )

        return public(csrf_exempt(wrapped))

    return decorate
