"""What an Administrator does on the API apps page: register an app, authorise it, revoke access.
Each step is written to the audit trail."""

from django.db import transaction

from accounts.models import AuditKind
from accounts.services import audit
from partner_api.models import ApiApp, Grant

from . import tokens


@transaction.atomic
def register_app(request, *, name: str, webhook_url: str = "") -> ApiApp:
    app = ApiApp.objects.create(name=name, webhook_url=webhook_url, created_by=request.user)
    audit.record(
        AuditKind.API_CREDENTIALS_CREATED,
        request=request,
        target=f"API app {app.app_key}",
        summary=f"API app “{app.name}” registered (app_key {app.app_key})",
        app_key=app.app_key,
    )
    return app


@transaction.atomic
def authorise(request, app: ApiApp, shops) -> str:
    """A single-use auth code for `app` to read `shops`; one audit event per shop."""
    code = tokens.issue_auth_code(app, request.user, shops)
    for shop in shops:
        audit.record(
            AuditKind.API_CREDENTIALS_CREATED,
            request=request,
            shop=shop,
            target=f"API app {app.app_key}",
            summary=f"API app “{app.name}” authorised for {shop.name}",
            app_key=app.app_key,
        )
    return code


@transaction.atomic
def revoke(request, grant: Grant) -> bool:
    if not tokens.revoke_grant(grant):
        return False
    for shop in grant.shops.all():
        audit.record(
            AuditKind.API_CREDENTIALS_REVOKED,
            request=request,
            shop=shop,
            target=f"API app {grant.app.app_key}",
            summary=f"API access of “{grant.app.name}” to {shop.name} revoked",
            grant_id=grant.pk,
        )
    return True
