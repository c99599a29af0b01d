"""Session limits (idle, absolute), revocation (deactivated or deleted user, removed membership) and
signing out everywhere, each taking effect on the very next request."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditKind, Membership, SecurityProfile
from accounts.roles import Role
from accounts.services.sessions import SEEN_KEY, STARTED_KEY, sign_out_everywhere
from tests.accounts.conftest import events
from tests.clients import SignedInClient
from tests.factories import MembershipFactory, OrderFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 3600
IP = "203.0.113.44"


def age(client, *, started=None, seen=None):
    """Move the session's stamps: `started`/`seen` seconds ago."""
    session = client.session
    now = time.time()
    if started is not None:
        session[STARTED_KEY] = now - started
    if seen is not None:
        session[SEEN_KEY] = now - seen
    session.save()


def signed_in_as(user):
    client = SignedInClient()
    client.force_login(user)
    return client


def assert_sent_to_sign_in(response, path):
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={path}"


@pytest.fixture
def viewer(shop, member_of):
    return member_of(shop, Role.VIEWER)


def test_the_limits_are_as_documented():
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() == 12 * HOUR
    assert settings.SESSION_COOKIE_AGE == 12 * HOUR


@pytest.mark.parametrize(
    ("started", "seen", "ended", "reason", "message"),
    [
        (31 * MINUTE, 31 * MINUTE, True, "idle", "You were signed out after 30 minutes without activity"),
        (31 * MINUTE, 29 * MINUTE, False, None, None),
        (12 * HOUR + MINUTE, 10, True, "absolute", "sessions last at most 12 hours"),
        (12 * HOUR - MINUTE, 10, False, None, None),
        (12 * HOUR + MINUTE, 31 * MINUTE, True, "absolute", "sessions last at most 12 hours"),  # both: absolute first
    ],
)
def test_idle_and_absolute_limits(viewer, started, seen, ended, reason, message):
    client = signed_in_as(viewer)
    age(client, started=started, seen=seen)
    response = client.get("/orders/", REMOTE_ADDR=IP)
    if not ended:
        assert response.status_code == 200
        assert not events(AuditKind.SESSION_EXPIRED)
        return
    assert_sent_to_sign_in(response, "/orders/")
    assert SESSION_KEY not in client.session
    login_page = client.get(response.url)
    assert login_page.status_code == 200
    assert message in login_page.text
    [row] = events(AuditKind.SESSION_EXPIRED)
    assert (row.actor, row.ip_address, row.detail["reason"], row.detail["path"]) == (viewer, IP, reason, "/orders/")
    # really signed out, not only redirected once
    assert_sent_to_sign_in(client.get("/orders/"), "/orders/")


def test_a_post_after_the_idle_limit_does_nothing_and_goes_to_sign_in(shop, member_of):
    fulfilment = member_of(shop, Role.FULFILLMENT)
    order = OrderFactory(shop=shop)
    client = signed_in_as(fulfilment)
    age(client, seen=31 * MINUTE)
    response = client.post(
        reverse("order_action", args=[order.pk, "arrange_shipment"]),
        {"carrier": "USPS", "tracking_number": "9400100000000000000001", "expected_status": "AWAITING_SHIPMENT"},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"
    order.refresh_from_db()
    assert order.status == "AWAITING_SHIPMENT"


def test_activity_moves_the_idle_clock_and_the_last_activity(viewer):
    client = signed_in_as(viewer)
    age(client, seen=20 * MINUTE)
    assert client.get("/orders/").status_code == 200
    assert time.time() - client.session[SEEN_KEY] < MINUTE
    assert SecurityProfile.objects.get(user=viewer).last_seen_at is not None
    # 20 minutes later again: fine, because the last request counted as activity
    age(client, seen=20 * MINUTE)
    assert client.get("/orders/").status_code == 200


@pytest.mark.parametrize("how", ["deactivated", "deleted"])
def test_a_revoked_user_is_signed_out_on_the_next_request(viewer, how):
    client = signed_in_as(viewer)
    assert client.get("/orders/").status_code == 200
    user_id = viewer.pk
    if how == "deactivated":
        viewer.is_active = False
        viewer.save()
    else:
        viewer.delete()
    response = client.get("/orders/", REMOTE_ADDR=IP)
    assert_sent_to_sign_in(response, "/orders/")
    assert "Your access has been revoked" in client.get(response.url).text
    [row] = events(AuditKind.SESSION_REFUSED)
    assert (row.target, row.ip_address, row.detail["reason"]) == (f"user #{user_id}", IP, "revoked")
    assert SESSION_KEY not in client.session
    assert_sent_to_sign_in(client.get("/orders/"), "/orders/")


@pytest.mark.parametrize(("elsewhere", "status"), [(False, 403), (True, 404)])
def test_removing_the_membership_ends_access_to_that_shop_at_once(shop, other_shop, viewer, elsewhere, status):
    order = OrderFactory(shop=shop)
    if elsewhere:
        MembershipFactory(user=viewer, shop=other_shop, role=Role.VIEWER)
    client = signed_in_as(viewer)
    detail = reverse("order_detail", args=[order.pk])
    assert client.get(detail).status_code == 200
    Membership.objects.get(user=viewer, shop=shop).delete()
    assert client.get(detail).status_code == status
    assert order.buyer_name not in client.get(reverse("order_list")).text


def test_an_administrator_signs_a_member_out_everywhere(shop, member_of):
    admin = member_of(shop, Role.ADMINISTRATOR)
    membership = MembershipFactory(shop=shop, role=Role.VIEWER)
    laptop, phone = signed_in_as(membership.user), signed_in_as(membership.user)
    admins_client = signed_in_as(admin)
    response = admins_client.post(reverse("member_action", args=[shop.code, membership.pk, "sign_out"]), REMOTE_ADDR=IP)
    assert response.status_code == 302
    for client in (laptop, phone):
        refused = client.get("/orders/")
        assert_sent_to_sign_in(refused, "/orders/")
        assert "You were signed out on every device" in client.get(refused.url).text
    assert [e.detail["reason"] for e in events(AuditKind.SESSION_REFUSED)] == ["signed out everywhere"] * 2
    assert admins_client.get("/orders/").status_code == 200  # not the admin's own session
    [row] = events(AuditKind.SIGNED_OUT_EVERYWHERE)
    assert (row.actor, row.shop, row.target, row.ip_address) == (admin, shop, membership.user.username, IP)
    # a new sign-in afterwards works
    assert signed_in_as(membership.user).get("/orders/").status_code == 200


def test_an_administrator_signing_themselves_out_everywhere_keeps_the_current_session(shop, member_of):
    admin = member_of(shop, Role.ADMINISTRATOR)
    membership = Membership.objects.get(user=admin)
    here, elsewhere = signed_in_as(admin), signed_in_as(admin)
    here.post(reverse("member_action", args=[shop.code, membership.pk, "sign_out"]))
    assert here.get("/orders/").status_code == 200
    assert_sent_to_sign_in(elsewhere.get("/orders/"), "/orders/")


def test_sign_out_my_other_sessions(viewer):
    here, there = signed_in_as(viewer), signed_in_as(viewer)
    old_key = here.session.session_key
    response = here.post(reverse("sign_out_other_sessions"), follow=True)
    assert "Every other session of yours was signed out." in response.text
    assert here.session.session_key != old_key  # the kept session gets a new key
    assert here.get("/orders/").status_code == 200
    assert_sent_to_sign_in(there.get("/orders/"), "/orders/")
    [row] = events(AuditKind.SIGNED_OUT_EVERYWHERE)
    assert (row.actor, row.target) == (viewer, viewer.username)


def test_an_active_session_ends_twelve_hours_after_sign_in_with_the_clock_moved(viewer):
    """The same check as the next test without signing other sessions out: moving the clock does detect it."""
    here = signed_in_as(viewer)
    age(here, started=11 * HOUR, seen=MINUTE)
    assert here.get("/orders/").status_code == 200
    later = timezone.now() + timedelta(hours=2)
    session = here.session
    session[SEEN_KEY] = later.timestamp() - MINUTE
    session.save()
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = here.get("/orders/")
    assert_sent_to_sign_in(response, "/orders/")
    assert events(AuditKind.SESSION_EXPIRED)[0].detail["reason"] == "absolute"


def test_signing_out_other_sessions_does_not_extend_the_absolute_lifetime(viewer):
    here = signed_in_as(viewer)
    age(here, started=11 * HOUR, seen=MINUTE)
    here.post(reverse("sign_out_other_sessions"))
    assert here.get("/orders/").status_code == 200
    # two hours later (with activity all along): 13 hours after the sign-in
    later = timezone.now() + timedelta(hours=2)
    session = here.session
    session[SEEN_KEY] = later.timestamp() - MINUTE
    session.save()
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = here.get("/orders/")
    assert_sent_to_sign_in(response, "/orders/")
    assert events(AuditKind.SESSION_EXPIRED)[0].detail["reason"] == "absolute"


def test_a_session_without_stamps_starts_counting_now(viewer):
    client = signed_in_as(viewer)
    session = client.session
    del session[STARTED_KEY], session[SEEN_KEY]
    session.save()
    assert client.get("/orders/").status_code == 200
    assert time.time() - client.session[STARTED_KEY] < MINUTE


def test_sign_out_everywhere_also_ends_a_session_without_stamps(viewer):
    old = signed_in_as(viewer)
    session = old.session
    del session[STARTED_KEY], session[SEEN_KEY]
    session.save()
    sign_out_everywhere(viewer, by=viewer)
    assert_sent_to_sign_in(old.get("/orders/"), "/orders/")
