"""Two-factor authentication: enrolment, the check at sign-in (app codes, reuse, recovery codes, throttle,
lockout), who must use it, and turning it off."""

import re
from base64 import b32encode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditKind
from accounts.roles import Role
from accounts.services import two_factor
from accounts.services.two_factor import issue_recovery_codes, qr_svg, recovery_codes_left, stored_form
from tests.accounts.conftest import enrol, events, sign_in, totp_code, wrong_code
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.9"
SETUP = reverse("two_factor_setup")
VERIFY = reverse("two_factor_verify")
CODES = reverse("recovery_codes")


@pytest.fixture
def no_throttle(settings):
    """django-otp slows down the next try after a wrong code; off where a right code follows a wrong one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def verify(visitor, code, ip=IP, **data):
    return visitor.post(VERIFY, {"code": code, **data}, REMOTE_ADDR=ip)


def password_step(user, ip=IP):
    """A new visitor that has passed the password step only."""
    visitor = Client()
    assert sign_in(visitor, user.username, ip=ip).status_code == 302
    return visitor


# Enrolment ------------------------------------------------------------------------------------------


def test_setup_page_draws_the_qr_code_inline_and_shows_the_key(visitor):
    user = UserFactory()
    sign_in(visitor, user.username)
    page = visitor.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    html = page.text
    assert "<svg" in html
    assert qr_svg(device) in html  # the QR code of this very key, drawn on the server
    key = b32encode(device.bin_key).decode().rstrip("=")
    spaced = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    assert spaced in html
    assert "<img" not in html
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", html)  # nothing loaded from elsewhere
    assert "otpauth://" not in html  # the key is never put into a URL a visitor could send out


def test_setup_keeps_the_same_pending_key_between_get_and_post(visitor):
    user = UserFactory()
    sign_in(visitor, user.username)
    visitor.get(SETUP)
    visitor.get(SETUP)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_wrong_code_does_not_confirm_the_app(visitor):
    user = UserFactory()
    sign_in(visitor, user.username)
    visitor.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = visitor.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "That code does not match" in response.text
    device.refresh_from_db()
    assert device.confirmed is False
    assert not events(AuditKind.OTP_ENROLLED)
    assert not StaticToken.objects.filter(device__user=user).exists()


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_a_malformed_code_is_refused(visitor, code):
    user = UserFactory()
    sign_in(visitor, user.username)
    visitor.get(SETUP)
    response = visitor.post(SETUP, {"code": code})
    assert response.status_code == 400
    assert TOTPDevice.objects.get(user=user).confirmed is False


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(visitor, no_throttle, shop, member_of):
    user = member_of(shop, Role.VIEWER)
    sign_in(visitor, user.username, ip=IP)
    visitor.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    assert visitor.post(SETUP, {"code": wrong_code(device)}).status_code == 400

    response = visitor.post(SETUP, {"code": totp_code(device)}, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response.url.startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed is True

    first = visitor.get(response.url)
    assert first.status_code == 200
    shown = re.findall(r"<li><code>([a-z0-9]+)</code></li>", first.text)
    assert len(shown) == settings.RECOVERY_CODE_COUNT == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert {stored_form(code) for code in shown} == stored and not stored & set(shown)  # only keyed hashes kept
    assert "shown only once" in first.text

    second = visitor.get(CODES)
    assert second.status_code == 200
    assert not any(code in second.text for code in shown)

    [enrolled] = events(AuditKind.OTP_ENROLLED)
    [issued] = events(AuditKind.RECOVERY_CODES_ISSUED)
    assert (enrolled.actor, issued.actor) == (user, user)
    assert (enrolled.ip_address, issued.ip_address) == (IP, IP)
    assert issued.detail["count"] == 10
    assert not any(code in str(issued.detail) + issued.summary for code in shown)  # codes are never logged

    # the session that enrolled counts as verified: pages open without another code
    assert visitor.get(reverse("order_list")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, shop, member_of):
    user = member_of(shop, Role.VIEWER)
    enrol(user)
    old = issue_recovery_codes(user)
    client.force_login(user)
    assert client.post(reverse("renew_recovery_codes")).status_code == 302
    page = client.get(CODES).text
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert recovery_codes_left(user) == 10
    assert len(events(AuditKind.RECOVERY_CODES_ISSUED)) == 2


# Verification at sign-in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/orders/", "/accounts/security/", "/security/audit/", "/access/", "/admin/", SETUP]
)
def test_after_the_password_every_page_asks_for_the_code(shop, member_of, path):
    user = member_of(shop, Role.ADMINISTRATOR)
    enrol(user)
    visitor = password_step(user)
    response = visitor.get(path)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    if path != SETUP:
        assert f"next={path}" in response.url.replace("%2F", "/")


@pytest.mark.parametrize(
    "name", ["two_factor_setup", "two_factor_turn_off", "renew_recovery_codes", "sign_out_other_sessions"]
)
def test_the_password_alone_cannot_change_two_factor(shop, member_of, name):
    """Someone who has only the password cannot add their own app, turn two-factor off or make codes."""
    user = member_of(shop, Role.VIEWER)
    device = enrol(user)
    issue_recovery_codes(user)
    visitor = password_step(user)
    response = visitor.post(reverse(name), {"code": totp_code(device)})
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert recovery_codes_left(user) == 10
    assert len(events(AuditKind.RECOVERY_CODES_ISSUED)) == 1
    assert not events(AuditKind.OTP_REMOVED) and not events(AuditKind.OTP_ENROLLED)
    assert not events(AuditKind.SIGNED_OUT_EVERYWHERE)


def test_the_right_code_lets_in_and_is_recorded(shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    response = verify(visitor, totp_code(device), next="/orders/")
    assert response.status_code == 302
    assert response.url == "/orders/"
    assert visitor.get("/orders/").status_code == 200
    [row] = events(AuditKind.OTP_VERIFIED)
    assert (row.actor, row.ip_address, row.detail["method"]) == (user, IP, "app")


def test_next_to_another_site_is_ignored(shop, member_of):
    user = member_of(shop, Role.VIEWER)
    device = enrol(user)
    visitor = password_step(user)
    response = verify(visitor, totp_code(device), next="https://evil.example/")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_code_is_refused_and_recorded(shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    response = verify(visitor, wrong_code(device))
    assert response.status_code == 400
    assert "That code is not right" in response.text
    assert visitor.get("/orders/").url.startswith(VERIFY)
    [row] = events(AuditKind.OTP_FAILED)
    assert (row.actor, row.ip_address, row.detail["verdict"]) == (user, IP, "wrong")
    assert not events(AuditKind.OTP_VERIFIED)
    assert not events(AuditKind.SIGN_IN_FAILED)  # recorded once, as OTP_FAILED


def test_a_code_is_good_only_once(shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    code = totp_code(device)
    assert verify(password_step(user), code).status_code == 302

    again = password_step(user)  # another sign-in, the same code typed (or seen over a shoulder)
    response = verify(again, code)
    assert response.status_code == 400
    assert "already used" in response.text
    assert again.get("/orders/").url.startswith(VERIFY)
    [row] = events(AuditKind.OTP_FAILED)
    assert row.detail["verdict"] == "reused"


def test_a_recovery_code_works_once(shop, member_of, no_throttle):
    user = member_of(shop, Role.ADMINISTRATOR)
    enrol(user)
    codes = issue_recovery_codes(user)

    first = password_step(user)
    response = verify(first, codes[0].upper()[:5] + " " + codes[0].upper()[5:])  # typed with a space, in capitals
    assert response.status_code == 302
    follow = first.get(response.url)
    assert "You signed in with a recovery code; 9 left." in follow.text
    [row] = events(AuditKind.OTP_VERIFIED)
    assert row.detail == {"method": "recovery code", "codes_left": 9}
    assert recovery_codes_left(user) == 9

    second = password_step(user)
    response = verify(second, codes[0])
    assert response.status_code == 400
    assert "That code is not right" in response.text
    assert verify(second, codes[1]).status_code == 302


@pytest.mark.parametrize(
    ("code", "table"), [("123456", "otp_totp_totpdevice"), ("abcd2345ef", "otp_static_staticdevice")]
)
def test_a_code_is_checked_with_its_device_row_locked(shop, member_of, code, table):
    """django-otp reads the last used step and the throttle count and writes them back: two web
    processes checking at once must queue on the row (SQLite serialises every writer at BEGIN)."""
    if not connection.features.has_select_for_update:
        pytest.skip("no row locks on this database; its transactions take the write lock up front")
    user = member_of(shop, Role.ADMINISTRATOR)
    enrol(user)
    issue_recovery_codes(user)
    with CaptureQueriesContext(connection) as queries:
        two_factor.check_code(user, code)
    assert any(table in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_a_recovery_code_is_never_made_only_of_digits(monkeypatch):
    """A code of digits only would be taken for an app code; drawing one again gives a code with a letter."""
    draws = iter("2345678923" + "k2m3n4p5q6")
    monkeypatch.setattr(two_factor.secrets, "choice", lambda alphabet: next(draws))
    assert two_factor.new_recovery_code() == "k2m3n4p5q6"


def test_a_right_code_right_after_a_wrong_one_is_throttled(shop, member_of, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the next try is allowed only a minute after a wrong code
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    verify(visitor, wrong_code(device))
    response = verify(visitor, totp_code(device))
    assert response.status_code == 400
    assert "Too many wrong codes in a row" in response.text
    assert [e.detail["verdict"] for e in events(AuditKind.OTP_FAILED)] == ["wrong", "throttled"]
    # a throttled try does not count toward the lockout
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_a_right_recovery_code_right_after_a_wrong_one_is_throttled_not_wrong(shop, member_of, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    user = member_of(shop, Role.ADMINISTRATOR)
    enrol(user)
    codes = issue_recovery_codes(user)
    visitor = password_step(user)
    assert verify(visitor, "notacode22").status_code == 400
    response = verify(visitor, codes[0])
    assert "Too many wrong codes in a row" in response.text
    assert [e.detail["verdict"] for e in events(AuditKind.OTP_FAILED)] == ["wrong", "throttled"]
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_a_right_code_after_a_wrong_one_works_without_the_throttle(shop, member_of, no_throttle):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    assert verify(visitor, wrong_code(device)).status_code == 400
    assert verify(visitor, totp_code(device)).status_code == 302


def test_wrong_codes_count_toward_the_lockout(shop, member_of, no_throttle):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    statuses = [verify(visitor, wrong_code(device)).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert events(AuditKind.LOCKED_OUT)
    # the half-signed-in session is ended, and the pair username+IP is locked for passwords too
    assert "_auth_user_id" not in visitor.session
    assert sign_in(Client(), user.username, ip=IP).status_code == 429
    # a right code is no use either once locked
    locked = password_step(user, ip="198.51.100.77")
    assert verify(locked, totp_code(device), ip=IP).status_code == 429


def test_signing_in_again_with_the_password_does_not_clear_wrong_codes(shop, member_of, no_throttle):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    first = password_step(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert verify(first, wrong_code(device)).status_code == 400
    second = password_step(user)  # the password again, from the same address
    assert verify(second, wrong_code(device)).status_code == 429


# Who must use it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/orders/", "/accounts/security/", "/security/audit/", "/access/"])
def test_an_administrator_without_two_factor_is_sent_to_set_it_up(shop, member_of, path):
    user = member_of(shop, Role.ADMINISTRATOR)
    visitor = password_step(user)
    response = visitor.get(path)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    setup = visitor.get(response.url)
    assert setup.status_code == 200
    assert "Your role requires two-factor authentication" in setup.text


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_may_work_without_two_factor(shop, member_of, role):
    user = member_of(shop, role)
    visitor = password_step(user)
    assert visitor.get("/orders/").status_code == 200


def test_an_administrator_of_any_shop_needs_it_even_where_they_are_a_viewer(shop, other_shop, member_of):
    user = member_of(shop, Role.VIEWER)
    MembershipFactory(user=user, shop=other_shop, role=Role.ADMINISTRATOR)
    assert password_step(user).get("/orders/").url.startswith(SETUP)


def test_staff_without_two_factor_cannot_reach_admin():
    staff = UserFactory(is_staff=True)
    visitor = password_step(staff)
    response = visitor.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_staff_with_a_verified_code_reach_admin():
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = enrol(staff)
    visitor = password_step(staff)
    assert visitor.get("/admin/").url.startswith(VERIFY)
    assert verify(visitor, totp_code(device), next="/admin/").url == "/admin/"
    assert visitor.get("/admin/").status_code == 200


def test_a_verified_non_staff_user_gets_403_from_admin(shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    visitor = password_step(user)
    verify(visitor, totp_code(device))
    response = visitor.get("/admin/", follow=True)
    assert response.status_code == 403


# Turning it off ----------------------------------------------------------------------------------------


def test_an_administrator_cannot_turn_it_off(client, shop, member_of):
    user = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(user)
    client.force_login(user)
    response = client.post(reverse("two_factor_turn_off"), {"code": totp_code(device)}, follow=True)
    assert "it cannot be turned off" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not events(AuditKind.OTP_REMOVED)


def test_a_viewer_turns_it_off_with_a_current_code(client, shop, member_of):
    user = member_of(shop, Role.VIEWER)
    device = enrol(user)
    issue_recovery_codes(user)
    client.force_login(user)
    response = client.post(reverse("two_factor_turn_off"), {"code": totp_code(device)}, REMOTE_ADDR=IP, follow=True)
    assert "Two-factor authentication is off." in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert recovery_codes_left(user) == 0
    [row] = events(AuditKind.OTP_REMOVED)
    assert (row.actor, row.target, row.ip_address) == (user, user.username, IP)


@pytest.mark.parametrize("code", ["a wrong app code", "", "000000x", "not-a-recovery-code"])
def test_turning_off_needs_a_current_code(client, shop, member_of, code):
    user = member_of(shop, Role.VIEWER)
    device = enrol(user)
    issue_recovery_codes(user)
    client.force_login(user)
    code = wrong_code(device) if code == "a wrong app code" else code
    response = client.post(reverse("two_factor_turn_off"), {"code": code}, follow=True)
    assert "Type a current code" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not events(AuditKind.OTP_REMOVED)
