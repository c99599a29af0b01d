"""Exports: the Exports page (ask, follow progress, download), and exports from the order list."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import requires
from accounts.models import AuditKind
from accounts.roles import Perm
from accounts.services import audit
from accounts.services.permissions import shops_with_permission
from leases.reaping import reap_expired

from .columns import Format, Layout
from .forms import ExportForm, FormatLayoutForm
from .models import ExportJob, ExportStatus
from .services.immediate import download_now
from .services.jobs import cancel_job, start_job
from .services.reading import count_rows, request_cursor
from .services.scope import audited_filters, export_query, filter_params, scope_for

MAX_SELECTED = 100


@require_http_methods(["GET", "POST"])
@requires(Perm.EXPORT_ORDERS)
def exports_page(request):
    shops = shops_with_permission(request.user, Perm.EXPORT_ORDERS).order_by("name")
    form = ExportForm(request.POST or None, shops=shops)
    if request.method == "POST":
        if form.is_valid():
            fmt, layout = Format(form.cleaned_data["format"]), Layout(form.cleaned_data["layout"])
            response = _export(request, form.filter_params(), fmt, layout)
            if response is not None:
                return response
        status = 400
    else:
        status = 200
    reap_expired()  # a job whose worker died shows as retried, failed or cancelled, not running for ever
    jobs = list(ExportJob.objects.filter(owner=request.user)[:50])
    managed = set(shops_with_permission(request.user, Perm.MANAGE_STAFF).values_list("pk", flat=True))
    others = (
        [
            job
            for job in ExportJob.objects.exclude(owner=request.user).select_related("owner")[:200]
            if _administers_all(managed, job)
        ][:50]
        if managed
        else []
    )
    return render(
        request,
        "exports/exports.html",
        {
            "form": form,
            "jobs": jobs,
            "others": others,
            "refresh": any(not j.finished for j in jobs),
            "immediate_rows": settings.EXPORT_IMMEDIATE_ROWS,
            "max_days": settings.EXPORT_MAX_RANGE_DAYS,
        },
        status=status,
    )


@require_POST
@requires(Perm.EXPORT_ORDERS)
def export_from_list(request):
    """The list's Export buttons: everything the filters match (all pages), or the ticked rows."""
    query = QueryDict(request.POST.get("query", ""))
    back = redirect(f"/orders/?{request.POST.get('query', '')}")
    choice = FormatLayoutForm(request.POST)
    if not choice.is_valid():
        messages.error(request, " ".join(e for errors in choice.errors.values() for e in errors))
        return back
    params = {"filters": filter_params(query), "shops": []}
    if request.POST.get("export") == "selected" and request.POST.get("all_matching") != "1":
        ids = request.POST.getlist("order")
        if not ids:
            messages.error(request, "Tick the orders to export, or use “Export all matching”.")
            return back
        if len(ids) > MAX_SELECTED or not all(i.isdigit() for i in ids):
            messages.error(request, f"Export at most {MAX_SELECTED} ticked orders; use the filters for more.")
            return back
        params["filters"] = {"order_ids": [" ".join(ids)]}
    response = _export(request, params, Format(choice.cleaned_data["format"]), Layout(choice.cleaned_data["layout"]))
    if response is None:
        return back
    return response


def _export(request, params, fmt: Format, layout: Layout):
    """A download for a small export, a job (and a redirect to follow it) for a large one; None after an error
    message when the filters do not hold."""
    scope = scope_for(request.user, params)
    if not scope.filterset.is_valid():
        for field, errors in scope.filterset.form.errors.items():
            messages.error(request, f"{field.replace('_', ' ').capitalize()}: {' '.join(errors)}")
        return None
    if not scope.shops:
        messages.error(request, "None of the chosen shops may be exported with your role.")
        return None
    limit = settings.EXPORT_IMMEDIATE_ROWS
    with request_cursor() as (vendor, cursor, _):
        rows = count_rows(cursor, export_query(scope, layout, fmt, vendor), cap=limit)
    for shop in scope.shops:  # one row per shop: each shop's Administrators see their own exports
        audit.record(
            AuditKind.EXPORT_CREATED,
            request=request,
            shop=shop,
            target="orders export",
            summary=f"Export asked for ({fmt.label}, {'at most ' if rows <= limit else 'more than '}"
            f"{min(rows, limit):,} rows, {len(scope.shops)} shop(s))",
            format=fmt.value,
            layout=layout.value,
            filters=audited_filters(params),
            rows=rows if rows <= limit else None,
            background=rows > limit,
        )
    if rows <= limit:
        return download_now(scope, fmt, layout, f"orders-{timezone.now():%Y%m%d-%H%M%S}.{fmt.extension}")
    start_job(request.user, params, fmt, layout, scope)
    messages.success(
        request,
        f"More than {limit:,} rows: the export runs in the background. It appears below "
        "with its progress; download it here when it is ready.",
    )
    return redirect("exports")


def _administers_all(managed: set, job: ExportJob) -> bool:
    """An Administrator sees a member's export only when every shop in it is one they administer."""
    return bool(job.shop_ids) and set(job.shop_ids) <= managed


def _job_for(request, job_id) -> ExportJob:
    """The owner's job, or one whose shops the user all administers; 404 for anyone else."""
    job = ExportJob.objects.filter(pk=job_id).select_related("owner").first()
    if job is None:
        raise Http404("No such export.")
    if job.owner_id != request.user.pk:
        managed = set(shops_with_permission(request.user, Perm.MANAGE_STAFF).values_list("pk", flat=True))
        if not _administers_all(managed, job):
            raise Http404("No such export.")
    return job


@require_GET
@requires(Perm.EXPORT_ORDERS)
def export_download(request, job_id):
    job = _job_for(request, job_id)
    if job.status == ExportStatus.EXPIRED or (job.expires_at and job.expires_at <= timezone.now()):
        return render(request, "exports/gone.html", {"job": job}, status=410)
    if job.status != ExportStatus.DONE or not job.file:
        raise PermissionDenied("This export is not ready to download.")
    audit.record(
        AuditKind.EXPORT_DOWNLOADED,
        request=request,
        target=f"export {job.pk}",
        summary=f"Export downloaded ({job.rows_written:,} rows, by "
        f"{'its owner' if job.owner_id == request.user.pk else 'an Administrator'})",
        owner=job.owner.get_username(),
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=Format(job.format).content_type
    )


@require_POST
@requires(Perm.EXPORT_ORDERS)
def export_cancel(request, job_id):
    job = _job_for(request, job_id)
    if cancel_job(job):
        messages.success(request, "The export is being cancelled.")
    else:
        messages.info(request, "That export had already finished.")
    return redirect("exports")
