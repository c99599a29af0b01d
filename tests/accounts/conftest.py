"""Helpers for the security tests: real sign-ins through the login URL (so django-axes sees a request),
TOTP codes computed as an authenticator app would, and the audit rows of one kind."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.factories.accounts import TEST_PASSWORD


def sign_in(client, username, password=TEST_PASSWORD, ip="127.0.0.1", **extra):
    """POST the sign-in form as a visitor would, from `ip`."""
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("login"), data, REMOTE_ADDR=ip)


def totp_code(device, at=None):
    """The code the authenticator app shows at unix time `at` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    """Six digits that no nearby time step of the device produces (tolerance is one step either way)."""
    now = time.time()
    taken = {totp_code(device, now + offset * device.step) for offset in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 7919)) if code not in taken)


def enrol(user):
    """A confirmed authenticator app, as after a finished set-up."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def events(kind, **filters):
    return list(AuditEvent.objects.filter(kind=kind, **filters).order_by("at", "id"))


@pytest.fixture
def visitor():
    """A plain test client: sign-ins go through the real pages, two-factor included."""
    return Client()
