"""The access review of a shop: who has access with which role, last sign-in and two-factor, as a page and
as CSV; removing a member, resetting their two-factor; who may see and do it."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditKind, Membership
from accounts.roles import Role
from accounts.services.two_factor import issue_recovery_codes
from tests.accounts.conftest import enrol, events, sign_in
from tests.clients import SignedInClient
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.61"
SIGNED_IN_AT = datetime(2025, 3, 2, 20, 5, tzinfo=UTC)  # 12:05 PST in Los Angeles, the shop's zone


def page_url(shop):
    return reverse("access_review", args=[shop.code])


def action_url(shop, membership, action):
    return reverse("member_action", args=[shop.code, membership.pk, action])


def row_of(html, username):
    """The table row of one member."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    [row] = [r for r in rows if re.search(rf"<td>{re.escape(username)}(<|$)", r)]
    return row


@pytest.fixture
def team(shop):
    """An Administrator (with two-factor), Customer Service with two-factor, a Viewer without, who signed in
    once; and someone of another shop."""
    admin = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR, user=UserFactory(username="ada")).user
    service = MembershipFactory(shop=shop, role=Role.CUSTOMER_SERVICE, user=UserFactory(username="cora")).user
    viewer = MembershipFactory(
        shop=shop, role=Role.VIEWER, user=UserFactory(username="vic", first_name="Vic", last_name="Tor")
    ).user
    enrol(admin)
    enrol(service)
    viewer.last_login = SIGNED_IN_AT
    viewer.save()
    MembershipFactory(role=Role.ADMINISTRATOR, user=UserFactory(username="outsider"))
    return {"admin": admin, "service": service, "viewer": viewer}


@pytest.fixture
def admin_client(team):
    client = SignedInClient()
    client.force_login(team["admin"])
    return client


def test_the_page_lists_every_member_with_role_sign_in_and_two_factor(admin_client, shop, team):
    page = admin_client.get(page_url(shop))
    assert page.status_code == 200
    html = page.text
    assert "outsider" not in html
    expected = {"ada": ("Administrator", "On"), "cora": ("Customer Service", "On"), "vic": ("Viewer", "Off")}
    for username, (role, two_factor) in expected.items():
        row = row_of(html, username)
        assert f"<td>{role}</td>" in row
        assert f">{two_factor}</span>" in row
    assert "2025-03-02 12:05 PST" in row_of(html, "vic")  # last sign-in, in the shop's zone
    assert "Vic Tor" in row_of(html, "vic")
    assert f"Times in {shop.time_zone}" in html


def test_a_deactivated_member_is_marked(admin_client, shop, team):
    team["viewer"].is_active = False
    team["viewer"].save()
    assert "deactivated" in row_of(admin_client.get(page_url(shop)).text, "vic")


def test_the_csv_has_a_header_and_one_row_per_member(admin_client, shop, team):
    response = admin_client.get(page_url(shop), {"format": "csv"}, REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"access-review-{shop.code}-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "username",
        "name",
        "e-mail",
        "role",
        "member since",
        "last sign-in (America/Los_Angeles)",
        "last activity (America/Los_Angeles)",
        "two-factor",
        "active",
    ]
    body = {r[0]: r for r in rows[1:]}
    assert set(body) == {"ada", "cora", "vic"}
    assert len(rows) == 4
    assert body["vic"][1:4] == ["Vic Tor", "vic@example.com", "Viewer"]
    assert body["vic"][5] == "2025-03-02T12:05:00-08:00"
    assert [body[u][7] for u in ("ada", "cora", "vic")] == ["on", "on", "off"]
    assert body["vic"][8] == "yes"
    assert body["vic"][6] == ""  # never active here since the stamps were introduced
    assert body["ada"][4].endswith(("-08:00", "-07:00"))  # member since, in the shop's zone
    [export] = events(AuditKind.EXPORT_CREATED)
    assert (export.actor, export.shop, export.ip_address, export.detail["rows"]) == (team["admin"], shop, IP, 3)


def test_last_activity_comes_from_the_sessions(shop, team):
    viewer = team["viewer"]
    visitor = Client()
    sign_in(visitor, viewer.username)
    session = visitor.session
    session["sc_seen_at"] -= 120
    session.save()
    visitor.get("/orders/")  # more than a minute after the last stamp: activity is written
    admin = SignedInClient()
    admin.force_login(team["admin"])
    rows = list(csv.reader(io.StringIO(admin.get(page_url(shop), {"format": "csv"}).content.decode().lstrip("\ufeff"))))
    vic = next(r for r in rows if r[0] == "vic")
    assert vic[6]  # last activity
    assert vic[5] != "2025-03-02T12:05:00-08:00"  # the new sign-in replaced the old one


@pytest.mark.parametrize("query", [{}, {"format": "csv"}])
def test_an_administrator_of_another_shop_gets_404(shop, other_shop, member_of, team, query):
    stranger = member_of(other_shop, Role.ADMINISTRATOR)
    client = SignedInClient()
    client.force_login(stranger)
    response = client.get(page_url(shop), query)
    assert response.status_code == 404
    assert "cora" not in response.text and "vic@example.com" not in response.text
    assert not events(AuditKind.EXPORT_CREATED)


@pytest.mark.parametrize("action", ["remove", "sign_out", "reset_two_factor"])
def test_an_administrator_of_another_shop_cannot_act_here(shop, other_shop, member_of, team, action):
    stranger = member_of(other_shop, Role.ADMINISTRATOR)
    client = SignedInClient()
    client.force_login(stranger)
    membership = Membership.objects.get(user=team["service"], shop=shop)
    assert client.post(action_url(shop, membership, action)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert TOTPDevice.objects.filter(user=team["service"]).exists()
    assert not events(AuditKind.SIGNED_OUT_EVERYWHERE)


def test_a_membership_of_another_shop_cannot_be_reached_through_this_shop(admin_client, shop, other_shop):
    theirs = MembershipFactory(shop=other_shop, role=Role.VIEWER)
    assert admin_client.post(action_url(shop, theirs, "remove")).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_of_this_shop_get_403(shop, member_of, team, role):
    user = member_of(shop, role)
    client = SignedInClient()
    client.force_login(user)
    assert client.get(page_url(shop)).status_code == 403
    assert client.get(page_url(shop), {"format": "csv"}).status_code == 403
    membership = Membership.objects.get(user=team["viewer"], shop=shop)
    assert client.post(action_url(shop, membership, "remove")).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert events(AuditKind.PERMISSION_DENIED)


def test_a_viewer_here_who_administers_another_shop_gets_403_here(shop, other_shop, member_of, team):
    user = member_of(other_shop, Role.ADMINISTRATOR)
    MembershipFactory(user=user, shop=shop, role=Role.VIEWER)
    client = SignedInClient()
    client.force_login(user)
    assert client.get(page_url(shop)).status_code == 403
    assert client.get(page_url(other_shop)).status_code == 200


def test_remove_a_member(admin_client, shop, team):
    viewer = team["viewer"]
    membership = Membership.objects.get(user=viewer, shop=shop)
    response = admin_client.post(action_url(shop, membership, "remove"), REMOTE_ADDR=IP, follow=True)
    assert response.status_code == 200
    assert "vic no longer has access" in response.text
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not viewer.has_perm("accounts.view_orders", shop)
    [row] = events(AuditKind.MEMBERSHIP_REMOVED)
    assert (row.actor, row.shop, row.target, row.ip_address, row.detail["role"]) == (
        team["admin"],
        shop,
        "vic",
        IP,
        "viewer",
    )


def test_the_last_administrator_cannot_be_removed(admin_client, shop, team):
    membership = Membership.objects.get(user=team["admin"], shop=shop)
    response = admin_client.post(action_url(shop, membership, "remove"), follow=True)
    assert "is the last Administrator" in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not events(AuditKind.MEMBERSHIP_REMOVED)


def test_an_administrator_can_be_removed_when_another_remains(admin_client, shop, team):
    second = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR)
    admin_client.post(action_url(shop, second, "remove"))
    assert not Membership.objects.filter(pk=second.pk).exists()
    first = Membership.objects.get(user=team["admin"], shop=shop)
    admin_client.post(action_url(shop, first, "remove"))
    assert Membership.objects.filter(pk=first.pk).exists()  # now the last one again


def test_reset_two_factor_deletes_the_members_devices(admin_client, shop, team):
    service = team["service"]
    issue_recovery_codes(service)
    others_session = SignedInClient()
    others_session.force_login(service)
    membership = Membership.objects.get(user=service, shop=shop)
    response = admin_client.post(action_url(shop, membership, "reset_two_factor"), REMOTE_ADDR=IP, follow=True)
    assert "Two-factor authentication of cora was reset." in response.text
    assert not TOTPDevice.objects.filter(user=service).exists()
    assert not StaticDevice.objects.filter(user=service).exists()
    assert TOTPDevice.objects.filter(user=team["admin"]).exists()
    [row] = events(AuditKind.OTP_REMOVED)
    assert (row.actor, row.shop, row.target, row.ip_address) == (team["admin"], shop, "cora", IP)
    # their sessions end, since a session verified with the old device would otherwise go on
    assert others_session.get("/orders/").status_code == 302
    assert ">Off</span>" in row_of(admin_client.get(page_url(shop)).text, "cora")


def test_after_a_reset_an_administrator_must_set_it_up_again(admin_client, shop, team):
    second = MembershipFactory(shop=shop, role=Role.ADMINISTRATOR, user=UserFactory(username="ben"))
    enrol(second.user)
    response = admin_client.post(action_url(shop, second, "reset_two_factor"), follow=True)
    assert "They must set it up again at their next sign-in." in response.text
    visitor = Client()
    sign_in(visitor, "ben")
    assert visitor.get("/orders/").url.startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize(
    ("method", "action", "status"),
    [
        ("get", "remove", 405),
        ("post", "promote", 404),
        ("post", "delete", 404),
    ],
)
def test_only_known_actions_by_post(admin_client, shop, team, method, action, status):
    membership = Membership.objects.get(user=team["viewer"], shop=shop)
    assert getattr(admin_client, method)(action_url(shop, membership, action)).status_code == status
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_actions_need_a_csrf_token(shop, team):
    strict = SignedInClient(enforce_csrf_checks=True)
    strict.force_login(team["admin"])
    membership = Membership.objects.get(user=team["viewer"], shop=shop)
    assert strict.post(action_url(shop, membership, "remove")).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert events(AuditKind.CSRF_REFUSED)


def test_the_index_goes_straight_to_the_only_shop_or_lists_several(admin_client, shop, other_shop, team):
    response = admin_client.get(reverse("access_review_index"))
    assert response.status_code == 302 and response.url == page_url(shop)
    MembershipFactory(user=team["admin"], shop=other_shop, role=Role.ADMINISTRATOR)
    listing = admin_client.get(reverse("access_review_index"))
    assert listing.status_code == 200
    assert page_url(shop) in listing.text and page_url(other_shop) in listing.text


@pytest.mark.parametrize("action", ["sign_out", "reset_two_factor"])
def test_whole_person_actions_need_an_administrator_of_every_shop_of_theirs(shop, other_shop, member_of, action):
    """Signing out everywhere or resetting two-factor acts on the person, not on this shop's membership: an
    Administrator of only one of their shops may remove them here, not reset them everywhere."""
    member = member_of(shop, Role.ADMINISTRATOR)
    MembershipFactory(user=member, shop=other_shop, role=Role.ADMINISTRATOR)
    enrol(member)
    here = Membership.objects.get(user=member, shop=shop)
    partial = SignedInClient()
    partial.force_login(member_of(shop, Role.ADMINISTRATOR))
    assert partial.post(action_url(shop, here, action)).status_code == 403
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    whole = SignedInClient()
    admin_of_both = member_of(shop, Role.ADMINISTRATOR)
    MembershipFactory(user=admin_of_both, shop=other_shop, role=Role.ADMINISTRATOR)
    whole.force_login(admin_of_both)
    assert whole.post(action_url(shop, here, action)).status_code == 302


def test_staff_are_never_reset_from_the_access_review(shop, member_of, admin_client):
    staff = member_of(shop, Role.VIEWER, is_staff=True)
    enrol(staff)
    here = Membership.objects.get(user=staff, shop=shop)
    assert admin_client.post(action_url(shop, here, "reset_two_factor")).status_code == 403
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
