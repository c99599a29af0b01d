"""Password spraying (accounts/services/ip_throttle.py): failed sign-ins from one address across any
usernames pause that address, beside django-axes' lock of a username+IP pair. Through the real pages."""

import time

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import AuditKind
from accounts.roles import Role
from accounts.services import ip_throttle
from tests.accounts.conftest import enrol, events, sign_in, wrong_code
from tests.factories import UserFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 6  # one more than django-axes' 5 per pair, so that the two limits can be told apart
IP, OTHER_IP = "203.0.113.50", "198.51.100.60"
WRONG = "not-the-password-42"


@pytest.fixture(autouse=True)
def spray_limit(settings):
    settings.SIGN_IN_IP_FAILURE_LIMIT = LIMIT
    assert settings.AXES_FAILURE_LIMIT < LIMIT


def attempt(step, users):
    """One sign-in of a scenario: (who: a user index, from: an address, right: the right password?)."""
    who, ip, right = step
    return sign_in(Client(), users[who].username, TEST_PASSWORD if right else WRONG, ip=ip).status_code


SPRAY = [(n, IP, False) for n in range(LIMIT)]  # LIMIT different usernames, one wrong password each

# scenario: steps as (user index, address, right password?); expected: the status of each step
SCENARIOS = {
    "many usernames from one address: paused at the limit": (SPRAY, [200] * (LIMIT - 1) + [429]),
    "then even the right password from it is refused": (SPRAY + [(LIMIT, IP, True)], [200] * (LIMIT - 1) + [429, 429]),
    "the same usernames from different addresses: not paused": (
        [(n, f"192.0.2.{n + 1}", False) for n in range(LIMIT)] + [(LIMIT, "192.0.2.1", True)],
        [200] * LIMIT + [302],
    ),
    "a success in between does not clear the count": (
        SPRAY[: LIMIT - 1] + [(LIMIT, IP, True)] + [(LIMIT + 1, IP, False)],
        [200] * (LIMIT - 1) + [302, 429],
    ),
    "another address is not paused by this one's spray": (
        SPRAY + [(LIMIT, OTHER_IP, True)],
        [200] * (LIMIT - 1) + [429, 302],
    ),
    "one IPv6 client is counted by its /64": (
        [(n, f"2001:db8:7:7::{n + 1:x}", False) for n in range(LIMIT)],
        [200] * (LIMIT - 1) + [429],
    ),
    "different IPv6 networks are counted apart": (
        [(n, f"2001:db8:7:{n + 1:x}::1", False) for n in range(LIMIT)],
        [200] * LIMIT,
    ),
    "the per-user lockout still works below the address limit": (
        [(0, IP, False)] * 5 + [(1, IP, True), (0, IP, True)],
        [200] * 4 + [429, 302, 429],
    ),
}


@pytest.mark.parametrize(("steps", "expected"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_sign_in_scenarios(steps, expected):
    users = [UserFactory() for _ in range(LIMIT + 2)]
    assert [attempt(step, users) for step in steps] == expected


def test_the_pause_page_says_why_and_for_how_long():
    users = [UserFactory() for _ in range(LIMIT)]
    statuses = [attempt(step, users) for step in SPRAY[:-1]]
    response = sign_in(Client(), users[-1].username, WRONG, ip=IP)
    assert statuses == [200] * (LIMIT - 1) and response.status_code == 429
    assert "Too many failed sign-ins from your network" in response.text
    assert "paused for 15 minutes" in response.text and "different users" in response.text


def test_the_pause_is_audited_once_with_the_address_and_counts():
    users = [UserFactory() for _ in range(LIMIT + 3)]
    for step in SPRAY + [(LIMIT, IP, False), (LIMIT + 1, IP, True)]:
        attempt(step, users)
    [row] = events(AuditKind.SIGN_IN_IP_PAUSED)
    assert (row.ip_address, row.target, row.actor) == (IP, IP, None)
    assert row.detail == {"failures": LIMIT, "window_minutes": 15, "cooloff_minutes": 15}
    assert f"{LIMIT} failures within 15 minutes" in row.summary
    assert len(events(AuditKind.SIGN_IN_FAILED)) == LIMIT  # refused while paused: never reached a password check


@pytest.mark.parametrize(("minutes_later", "status"), [(14, 429), (16, 302)])
def test_the_pause_lifts_after_the_cool_off(monkeypatch, minutes_later, status):
    users = [UserFactory() for _ in range(LIMIT + 1)]
    for step in SPRAY:
        attempt(step, users)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + minutes_later * 60)  # the cache's clock too
    assert attempt((LIMIT, IP, True), users) == status


def test_wrong_two_factor_codes_count_and_a_paused_address_ends_the_half_sign_in(shop, member_of, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    users = [UserFactory() for _ in range(LIMIT - 2)]
    admin = member_of(shop, Role.ADMINISTRATOR)
    device = enrol(admin)
    visitor = Client()
    assert sign_in(visitor, admin.username, ip=IP).status_code == 302
    verify = reverse("two_factor_verify")
    assert visitor.post(verify, {"code": wrong_code(device)}, REMOTE_ADDR=IP).status_code == 400
    assert [attempt((n, IP, False), users) for n in range(LIMIT - 2)] == [200] * (LIMIT - 2)
    response = visitor.post(verify, {"code": wrong_code(device)}, REMOTE_ADDR=IP)  # the limit's failure
    assert response.status_code == 429 and "from your network" in response.text
    assert "_auth_user_id" not in visitor.session
    assert sign_in(visitor, admin.username, ip=IP).status_code == 429  # the right password, still paused
    assert events(AuditKind.SIGN_IN_IP_PAUSED)


@pytest.mark.parametrize(
    ("remote_addr", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client on a dual-stack socket
        ("", None),
        ("not-an-address", None),
    ],
)
def test_the_address_counted(remote_addr, counted_as):
    request = RequestFactory().post("/", REMOTE_ADDR=remote_addr)
    assert ip_throttle.source(request) == counted_as


def test_a_request_without_an_address_is_not_counted():
    request = RequestFactory().post("/", REMOTE_ADDR="")
    assert [ip_throttle.record_failure(request) for _ in range(LIMIT + 1)] == [False] * (LIMIT + 1)
    assert ip_throttle.minutes_left(request) == 0
