"""Access security in a real browser, under the real Content-Security-Policy: an Administrator sets
up two-factor with the QR page, signs in again with a code, reveals one order's buyer (recorded) and
finds that click in the audit log. Any CSP violation in the page fails the test."""

import time

import pytest

from accounts.roles import Role
from tests.factories import OrderFactory
from tests.factories.accounts import TEST_PASSWORD

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(
        f"end-to-end tests need Debian's chromium at {CHROMIUM} (`make test` installs it as root)",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="end-to-end tests need the `playwright` package (test extra)")

from django_otp.oath import TOTP  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_for(device, step_offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step_offset * device.step
    return f"{totp.token():06d}"


def test_admin_enrols_signs_in_with_a_code_and_reveals_pii(e2e_page, shop, member_of, artifacts_dir):
    page = e2e_page
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    admin = member_of(shop, Role.ADMINISTRATOR)
    order = OrderFactory(shop=shop, buyer_name="Alice Walker", buyer_email="alice@example.com")

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The role requires two-factor: every page leads to the set-up first.
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "two-factor-setup.png"), full_page=True)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    page.get_by_label("Code from the app").fill(code_for(device))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("ul.codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()

    # Sign out and in again: the password alone is not enough any more.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor check")).to_be_visible()
    device.refresh_from_db()
    page.get_by_label("Code").fill(code_for(device, step_offset=1))  # the next step: the last one is spent
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=f"Welcome, {admin.username}")).to_be_visible()

    page.goto(f"/orders/{order.pk}/")
    buyer = page.locator("section.card", has=page.get_by_role("heading", name="Buyer", exact=True))
    expect(buyer).to_contain_text("A*** W***")
    expect(buyer).not_to_contain_text("alice@example.com")
    page.get_by_role("button", name="Show buyer details").click()
    expect(buyer).to_contain_text("Alice Walker")
    expect(buyer).to_contain_text("alice@example.com")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page.locator("table.audit")).to_contain_text(f"Buyer details of order {order.pk} shown")
    expect(page.locator("table.audit")).to_contain_text("Two-factor authentication turned on")
    page.screenshot(path=str(artifacts_dir / "audit-log.png"), full_page=True)
    assert violations == []
