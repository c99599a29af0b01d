"""The Analytics page and the CSV of each of its tables: thin views over analytics.selectors."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import requires
from accounts.roles import Perm
from accounts.services.permissions import shops_with_permission
from accounts.spreadsheet import safe_cell

from .forms import RangeForm
from .selectors.dashboard import build
from .selectors.periods import current_period
from .services.rollup import ensure_fresh


def _dashboard(request):
    """(context, status): the figures, or the form with its errors (400)."""
    shops = shops_with_permission(request.user, Perm.VIEW_ANALYTICS).order_by("name")
    form = RangeForm(request.GET, shops=shops)
    context = {"form": form, "query": request.GET.urlencode()}
    if not form.is_valid():
        context["errors"] = [
            f"{form.fields[name].label if name in form.fields else 'Range'}: {message}"
            for name, messages in form.errors.items()
            for message in messages
        ]
        return context, 400
    data = form.cleaned_data
    chosen = [data["shop"]] if data["shop"] else list(shops)
    ensure_fresh(chosen)
    period = current_period(chosen, data["preset"], data.get("date_from"), data.get("date_to"), timezone.now())
    context.update(build(chosen, period, data["grain"], data["compare"]))
    context.update(
        {
            "chosen_shops": chosen,
            "period": period,
            "first": min(d.first for d in period.values()),
            "last": max(d.last for d in period.values()),
        }
    )
    return context, 200


@require_GET
@requires(Perm.VIEW_ANALYTICS)
def dashboard(request):
    context, status = _dashboard(request)
    return render(request, "analytics/dashboard.html", context, status=status)


@require_GET
@requires(Perm.VIEW_ANALYTICS)
def table_csv(request, name):
    context, status = _dashboard(request)
    if status != 200:
        return HttpResponse("\n".join(context["errors"]), status=400, content_type="text/plain; charset=utf-8")
    table = context["tables"].get(name)
    if table is None:
        raise Http404("No such table.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="analytics-{name}-{context["first"]}-{context["last"]}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
