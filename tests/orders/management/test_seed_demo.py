from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership, Shop
from orders.demo.users import DEMO_PASSWORD, DEMO_PEOPLE
from orders.models import Order

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_prints_every_demo_sign_in():
    output = run("--orders=50", "--shops=2", "--now=2026-11-20T12:00:00Z")
    assert DEMO_PASSWORD in output
    for username in [*DEMO_PEOPLE, "root"]:
        assert username in output
    assert Order.objects.count() == 50


def test_demo_users_can_sign_in_with_the_printed_two_factor_help():
    output = run("--orders=0", "--shops=1")
    assert "two_factor_code admin" in output
    browser = Client()
    browser.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    response = browser.get("/orders/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")
    code = StringIO()
    call_command("two_factor_code", "admin", stdout=code)
    assert browser.post("/accounts/two-factor/", {"code": code.getvalue().strip()}).status_code == 302
    assert browser.get("/orders/").status_code == 200
    viewer = Client()
    viewer.post("/accounts/login/", {"username": "viewer", "password": DEMO_PASSWORD})
    assert viewer.get("/orders/").status_code == 200  # no second factor for a Viewer
    assert get_user_model().objects.get(username="root").is_superuser


def test_running_twice_neither_duplicates_nor_crashes():
    run("--orders=40", "--shops=2")
    users, memberships = get_user_model().objects.count(), Membership.objects.count()
    output = run("--orders=40", "--shops=2")
    assert "already hold 40 orders" in output
    assert get_user_model().objects.count() == users
    assert Membership.objects.count() == memberships
    assert Shop.objects.count() == 2
    assert Order.objects.count() == 40


def test_reset_replaces_the_orders():
    run("--orders=40", "--shops=1")
    run("--orders=25", "--shops=1", "--reset")
    assert Order.objects.count() == 25


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orders=-5"], "--orders must be between 0 and"),
        (["--orders=99999999"], "--orders must be between 0 and"),
        (["--orders=lots"], "invalid int value"),
        (["--shops=0"], "--shops must be between 1 and 6"),
        (["--shops=40"], "--shops must be between 1 and 6"),
        (["--seed=-1"], "--seed must be zero or a positive number"),
        (["--now=yesterday"], "--now must be an ISO 8601 moment"),
        (["--now=2026-11-20T12:00:00"], "--now needs a time zone"),
    ],
)
def test_nonsense_arguments_get_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Order.objects.exists()
