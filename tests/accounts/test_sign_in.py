"""Password sign-in through the real login page: audit rows, django-axes lockout per username+IP and its
cool-off, the session key cycled at sign-in, and the password rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import AuditKind
from accounts.roles import Role
from tests.accounts.conftest import events, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
OTHER_IP = "198.51.100.23"
WRONG = "not-the-password-42"


def fail_until_locked(visitor, username, ip=IP):
    """The configured number of wrong passwords; returns the responses."""
    return [sign_in(visitor, username, WRONG, ip=ip) for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_right_password_signs_in_and_is_recorded_with_the_ip(visitor, shop, member_of):
    user = member_of(shop, Role.VIEWER)
    response = sign_in(visitor, user.username, ip=IP)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert visitor.get(reverse("order_list")).status_code == 200
    [row] = events(AuditKind.SIGN_IN)
    assert (row.actor, row.actor_name, row.ip_address, row.target) == (user, user.username, IP, user.username)
    assert not events(AuditKind.SIGN_IN_FAILED)


@pytest.mark.parametrize(
    ("username", "known", "reason"),
    [
        ("alice", True, "wrong password"),
        ("nobody-by-that-name", False, "unknown username"),
    ],
)
def test_a_wrong_password_is_refused_and_recorded(visitor, username, known, reason):
    alice = UserFactory(username="alice")
    response = sign_in(visitor, username, WRONG, ip=IP)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert "_auth_user_id" not in visitor.session
    [row] = events(AuditKind.SIGN_IN_FAILED)
    assert row.actor == (alice if known else None)
    assert (row.actor_name, row.target, row.ip_address) == (username, username, IP)
    assert row.detail["reason"] == reason
    assert WRONG not in str(row.detail) and WRONG not in row.summary
    assert not events(AuditKind.SIGN_IN)


def test_five_failures_lock_the_username_from_that_ip(visitor):
    user = UserFactory()
    responses = fail_until_locked(visitor, user.username)
    assert [r.status_code for r in responses] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert "Too many failed attempts" in responses[-1].text
    assert "This was recorded" in responses[-1].text
    assert len(events(AuditKind.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT
    locked = events(AuditKind.LOCKED_OUT)
    assert locked and (locked[0].actor, locked[0].ip_address) == (user, IP)
    assert user.username in locked[0].summary and IP in locked[0].summary


def test_four_failures_do_not_lock(visitor):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(visitor, user.username, WRONG, ip=IP)
    assert sign_in(visitor, user.username, ip=IP).status_code == 302
    assert not events(AuditKind.LOCKED_OUT)


def test_a_locked_pair_refuses_even_the_right_password(visitor):
    user = UserFactory()
    fail_until_locked(visitor, user.username)
    response = sign_in(visitor, user.username, ip=IP)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert "_auth_user_id" not in visitor.session
    assert not events(AuditKind.SIGN_IN)


def test_the_same_username_from_another_ip_is_not_locked(visitor):
    user = UserFactory()
    fail_until_locked(visitor, user.username, ip=IP)
    elsewhere = Client()
    response = sign_in(elsewhere, user.username, ip=OTHER_IP)
    assert response.status_code == 302
    [row] = events(AuditKind.SIGN_IN)
    assert row.ip_address == OTHER_IP


def test_another_username_from_the_locked_ip_is_not_locked(visitor):
    victim, colleague = UserFactory(), UserFactory()
    fail_until_locked(visitor, victim.username, ip=IP)
    assert sign_in(visitor, colleague.username, ip=IP).status_code == 302


@pytest.mark.parametrize(("minutes_ago", "locked"), [(14, True), (16, False)])
def test_the_lock_lifts_after_the_cool_off(visitor, minutes_ago, locked):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    user = UserFactory()
    fail_until_locked(visitor, user.username)
    moved = AccessAttempt.objects.filter(username=user.username).update(
        attempt_time=AccessAttempt.objects.get(username=user.username).attempt_time - timedelta(minutes=minutes_ago)
    )
    assert moved == 1
    response = sign_in(visitor, user.username, ip=IP)
    assert response.status_code == (429 if locked else 302)
    assert bool(events(AuditKind.SIGN_IN)) is not locked


def test_a_successful_sign_in_clears_the_failure_count(visitor):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(visitor, user.username, WRONG, ip=IP)
    assert sign_in(visitor, user.username, ip=IP).status_code == 302
    visitor.post(reverse("logout"))
    # four more failures: not locked, because the count started again at the sign-in
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(visitor, user.username, WRONG, ip=IP).status_code == 200
    assert sign_in(visitor, user.username, ip=IP).status_code == 302


def test_the_session_key_changes_at_sign_in(visitor):
    user = UserFactory()
    before = visitor.session
    before["marker"] = "set before sign-in"
    before.save()
    old_key = before.session_key
    assert sign_in(visitor, user.username).status_code == 302
    new_key = visitor.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert visitor.session["_auth_user_id"] == str(user.pk)


def test_signing_out_is_recorded(visitor):
    user = UserFactory()
    sign_in(visitor, user.username, ip=IP)
    response = visitor.post(reverse("logout"), REMOTE_ADDR=IP)
    assert response.status_code == 302
    [row] = events(AuditKind.SIGN_OUT)
    assert (row.actor, row.ip_address) == (user, IP)
    assert visitor.get(reverse("order_list")).status_code == 302


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Qx7-plumbRz", False),  # 11 characters
        ("Qx7-plumb-Rz", True),  # 12
        ("Qx7-plumb-Rz-harbour", True),
        ("482917365019", False),  # long enough, but only digits
        ("password1234", False),  # long enough, but common
    ],
)
def test_password_rules(password, accepted):
    assert len(password) >= 11
    user = UserFactory.build(username="someone", email="someone@example.com")
    if accepted:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_an_eleven_character_password_is_refused_for_its_length():
    with pytest.raises(ValidationError) as refused:
        validate_password("Qx7-plumbRz")
    assert "at least 12 characters" in " ".join(refused.value.messages)
