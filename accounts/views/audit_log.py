"""The audit trail for Administrators: their shops only, filterable, downloadable as CSV."""

import csv
from datetime import UTC

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import requires
from accounts.filters import AuditFilter
from accounts.models import AuditKind
from accounts.roles import Perm
from accounts.selectors import audit_events_visible_to
from accounts.services import audit
from accounts.services.permissions import shops_with_permission
from accounts.spreadsheet import Echo, safe_cell

PAGE_SIZE = 50
MAX_PAGE = 400  # deeper than 20,000 events: narrow the filters
CSV_COLUMNS = ["time (UTC, ISO 8601)", "event", "who", "IP address", "shop", "about", "what", "detail"]


@require_GET
@requires(Perm.MANAGE_STAFF)
def audit_log(request):
    shops = shops_with_permission(request.user, Perm.MANAGE_STAFF).order_by("name")
    filterset = AuditFilter(request.GET, queryset=audit_events_visible_to(request.user), shops=shops)
    if not filterset.is_valid():
        return render(request, "accounts/audit_log.html", {"filterset": filterset}, status=400)
    events = filterset.qs.order_by("-at", "-id")
    if request.GET.get("format") == "csv":
        return _csv(request, events)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PAGE:
        return render(
            request,
            "accounts/audit_log.html",
            {"filterset": filterset, "error": f"Pages run from 1 to {MAX_PAGE}; narrow the filters to go further."},
            status=400,
        )
    rows = list(events[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "filterset": filterset,
            "events": rows[:PAGE_SIZE],
            "number": number,
            "has_next": len(rows) > PAGE_SIZE and number < MAX_PAGE,
            "query": params.urlencode(),
        },
    )


def _csv(request, events):
    audit.record(
        AuditKind.EXPORT_CREATED,
        request=request,
        target="audit log",
        summary="Audit log downloaded as CSV",
        filters=dict(request.GET.items()),
    )
    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.at.astimezone(UTC).isoformat(),
                    event.get_kind_display(),
                    safe_cell(event.actor_name),
                    event.ip_address or "",
                    safe_cell(event.shop_name),
                    safe_cell(event.target),
                    safe_cell(event.summary),
                    safe_cell(str(event.detail or "")),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response
