"""The whole flow an integrator follows: register, authorise, trade the code, read, refresh, revoked."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from partner_api.models import ApiApp, Grant

from .client import PartnerClient, ok

pytestmark = pytest.mark.django_db


def token_call(client, path, **params):
    return client.get(f"{path}?{urlencode(params)}")


@pytest.fixture
def registered(client, administrator, shop, other_shop):
    client.force_login(administrator)
    page = client.post(reverse("api_app_create"), {"name": "My ERP", "webhook_url": ""})
    app = ApiApp.objects.get(name="My ERP")
    assert app.app_secret in page.content.decode()  # shown once...
    assert app.app_secret not in client.get(reverse("api_apps")).content.decode()  # ...and never again
    return app


def authorise(client, app, shops) -> str:
    page = client.post(reverse("api_app_authorise"), {"app": app.pk, "shops": [s.pk for s in shops]})
    return re.search(r"auth_code=(SCAC_[\w-]+)", page.content.decode()).group(1)


def test_register_authorise_read_refresh_revoke(client, registered, shop, orders):
    app = registered
    code = authorise(client, app, [shop])
    tokens = ok(
        token_call(
            client,
            "/api/v2/token/get",
            app_key=app.app_key,
            app_secret=app.app_secret,
            auth_code=code,
            grant_type="authorized_code",
        )
    )
    assert tokens["user_type"] == 0 and tokens["seller_name"] == shop.name and tokens["seller_base_region"] == "US"
    assert tokens["refresh_token_expire_in"] > tokens["access_token_expire_in"] > 0 and tokens["open_id"]
    api = PartnerClient(client, app.app_key, app.app_secret, tokens["access_token"], shop.code)
    assert [s["cipher"] for s in ok(api.shops())["shops"]] == [shop.code]
    assert ok(api.search())["total_count"] == 3

    # the code works once
    again = token_call(
        client,
        "/api/v2/token/get",
        app_key=app.app_key,
        app_secret=app.app_secret,
        auth_code=code,
        grant_type="authorized_code",
    )
    assert again.status_code == 400 and again.json()["code"] == 105010

    refreshed = ok(
        token_call(
            client,
            "/api/v2/token/refresh",
            app_key=app.app_key,
            app_secret=app.app_secret,
            refresh_token=tokens["refresh_token"],
            grant_type="refresh_token",
        )
    )
    assert refreshed["access_token"] != tokens["access_token"]
    assert api.shops().json()["code"] == 105002  # the old access token stopped working
    api.access_token = refreshed["access_token"]
    ok(api.shops())

    grant = Grant.objects.get(app=app)
    assert client.post(reverse("api_grant_revoke", args=[grant.pk])).status_code == 302
    assert api.shops().json()["code"] == 105004  # at once
    refused = token_call(
        client,
        "/api/v2/token/refresh",
        app_key=app.app_key,
        app_secret=app.app_secret,
        refresh_token=tokens["refresh_token"],
        grant_type="refresh_token",
    )
    assert refused.json()["code"] == 105011
    kinds = list(AuditEvent.objects.filter(kind__startswith="api_").values_list("kind", flat=True))
    assert sorted(kinds) == sorted([AuditKind.API_CREDENTIALS_CREATED] * 2 + [AuditKind.API_CREDENTIALS_REVOKED])


@pytest.mark.parametrize(
    ("change", "code", "status"),
    [
        ({"app_secret": "wrong"}, 106003, 401),
        ({"grant_type": "refresh_token"}, 105012, 400),
        ({"auth_code": "SCAC_unknown"}, 105010, 400),
        ({"app_secret": ""}, 106002, 401),
    ],
)
def test_token_get_refusals(client, registered, shop, change, code, status):
    params = {
        "app_key": registered.app_key,
        "app_secret": registered.app_secret,
        "auth_code": authorise(client, registered, [shop]),
        "grant_type": "authorized_code",
        **change,
    }
    response = token_call(client, "/api/v2/token/get", **params)
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_an_administrator_authorises_only_shops_they_manage(client, registered, other_shop):
    page = client.post(reverse("api_app_authorise"), {"app": registered.pk, "shops": [other_shop.pk]})
    assert page.status_code == 200 and "SCAC_" not in page.content.decode()
    assert not Grant.objects.exists()


def test_revoking_another_shops_grant_is_not_found(client, registered, other_shop):
    from tests.factories import GrantFactory

    grant = GrantFactory(shops=[other_shop])
    assert client.post(reverse("api_grant_revoke", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_page_lists_grants_and_nav_link(client, registered, shop):
    authorise(client, registered, [shop])
    page = client.get(reverse("api_apps")).content.decode()
    assert "My ERP" in page and 'href="/api-apps/"' in page
