"""Who receives a shop's webhooks: the same rule as the API's reads (partner_api.selectors.grants)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from partner_api.webhooks import subscribed_apps
from tests.factories.partner_api import ApiAppFactory, GrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(shop, member_of):
    admin = member_of(shop, Role.ADMINISTRATOR)
    app = ApiAppFactory(webhook_url="https://example.com/hook")
    grant = GrantFactory(app=app, authorised_by=admin, shops=[shop])
    return app, grant, admin


def test_a_live_grant_subscribes_its_app(shop, granted):
    app, _, _ = granted
    assert list(subscribed_apps(shop.pk)) == [app]


@pytest.mark.parametrize(
    "change",
    [
        "membership removed",
        "authoriser deactivated",
        "grant revoked",
        "app revoked",
        "refresh token expired",
        "no webhook URL",
    ],
)
def test_no_webhooks_once_the_access_behind_them_is_gone(shop, granted, change):
    app, grant, admin = granted
    if change == "membership removed":
        Membership.objects.filter(user=admin, shop=shop).delete()
    elif change == "authoriser deactivated":
        admin.is_active = False
        admin.save()
    elif change == "grant revoked":
        grant.revoked_at = timezone.now()
        grant.save()
    elif change == "app revoked":
        app.revoked_at = timezone.now()
        app.save()
    elif change == "refresh token expired":
        grant.refresh_expires_at = timezone.now() - timedelta(seconds=1)
        grant.save()
    else:
        app.webhook_url = ""
        app.save()
    assert list(subscribed_apps(shop.pk)) == []
