"""The Seller Center's API apps page, for Administrators: register, authorise, revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import requires
from accounts.roles import Perm
from partner_api.forms import AppForm, AuthoriseForm
from partner_api.selectors.grants import apps_of, grants_managed_by
from partner_api.services import apps as app_services


def _page(request, *, app_form=None, authorise_form=None, status=200, **extra):
    apps = apps_of(request.user)
    return render(
        request,
        "partner_api/apps.html",
        {
            "apps": apps,
            "grants": grants_managed_by(request.user),
            "app_form": app_form or AppForm(),
            "authorise_form": authorise_form or AuthoriseForm(user=request.user, apps=apps),
            **extra,
        },
        status=status,
    )


@require_GET
@requires(Perm.MANAGE_STAFF)
def api_apps(request):
    return _page(request)


@require_POST
@requires(Perm.MANAGE_STAFF)
def api_app_create(request):
    form = AppForm(request.POST)
    if not form.is_valid():
        return _page(request, app_form=form)
    app = app_services.register_app(request, **form.cleaned_data)
    return _page(request, created=app)  # the only time the secret is shown


@require_POST
@requires(Perm.MANAGE_STAFF)
def api_app_authorise(request):
    form = AuthoriseForm(request.POST, user=request.user, apps=apps_of(request.user))
    if not form.is_valid():
        return _page(request, authorise_form=form)
    app, shops = form.cleaned_data["app"], list(form.cleaned_data["shops"])
    code = app_services.authorise(request, app, shops)
    return _page(request, authorised={"app": app, "shops": shops, "code": code})


@require_POST
@requires(Perm.MANAGE_STAFF)
def api_grant_revoke(request, grant_id):
    grant = get_object_or_404(grants_managed_by(request.user), pk=grant_id)
    if app_services.revoke(request, grant):
        messages.success(request, f"Access of “{grant.app.name}” revoked: its tokens stop working now.")
    return redirect("api_apps")
