"""Writing the audit trail. One call per event: who (from the request when not given), when, from
which IP, which shop, about what.

The request being served is kept in a context variable by AuditContextMiddleware, so that signal
receivers (a membership saved in Django admin, a failed sign-in) know who did it and from where.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from accounts.client_ip import client_ip as _client_ip
from accounts.models import AuditEvent, AuditKind

_current_request: ContextVar = ContextVar("audit_request", default=None)


@contextmanager
def request_context(request):
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request():
    return _current_request.get()


def client_ip(request) -> str | None:
    """The same address django-axes uses for lockouts (AXES_CLIENT_IP_CALLABLE), so lockouts and the log agree."""
    return _client_ip(request) if request is not None else None


def record(
    kind: AuditKind,
    *,
    request=None,
    actor=None,
    actor_name: str = "",
    shop=None,
    target="",
    summary: str = "",
    **detail,
) -> AuditEvent:
    """Append one event. `actor` defaults to the signed-in user of the request; `detail` is kept as JSON."""
    request = request if request is not None else current_request()
    if (
        actor is None
        and request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
    ):
        actor = request.user
    return AuditEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor_name or (actor.get_username() if actor is not None else ""),
        ip_address=client_ip(request),
        shop=shop,
        shop_name=shop.name if shop is not None else "",
        target=str(target)[:200],
        summary=(summary or AuditKind(kind).label)[:500],
        detail=detail,
    )
