"""Manage Orders in a real browser: sign in, filter, open an order, arrange its shipment; PII masking."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import OrderFactory

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(
        f"end-to-end tests need Debian's chromium at {CHROMIUM} (`make test` installs it as root)",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="end-to-end tests need the `playwright` package (test extra)")

from playwright.sync_api import expect  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TRACKING = "1Z999AA10123456784"


def order_links(page):
    return page.locator("table.orders-table a.order-link")


def open_manage_orders(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", name="Manage orders")).to_be_visible()


def test_filter_open_and_arrange_shipment(e2e_page, sign_in, shop, member_of, artifacts_dir):
    page = e2e_page
    now = timezone.now()
    recent = OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT, created_at=now - timedelta(days=3))
    old = OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT, created_at=now - timedelta(days=40))
    unpaid = OrderFactory(
        shop=shop, status=OrderStatus.UNPAID, created_at=now - timedelta(days=2), paid_at=None, rts_sla_at=None
    )
    sign_in(member_of(shop, Role.FULFILLMENT))
    open_manage_orders(page)
    expect(order_links(page)).to_have_count(3)  # unfiltered, all three are listed

    page.locator("#id_preset").select_option(label="Last 7 days")
    page.locator("#filters summary", has_text="More filters").click()
    page.locator(f"#id_status input[value={OrderStatus.AWAITING_SHIPMENT.value}]").check()
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(
        re.compile(
            r"preset=last_7d.*status=AWAITING_SHIPMENT|status=AWAITING_SHIPMENT.*"
            r"preset=last_7d"
        )
    )
    expect(order_links(page)).to_have_count(1)
    expect(order_links(page).first).to_have_text(str(recent.pk))
    for hidden in (old, unpaid):
        expect(page.get_by_role("link", name=str(hidden.pk), exact=True)).to_have_count(0)
    chips = page.get_by_label("Applied filters")
    expect(chips).to_contain_text("Last 7 days")
    expect(chips).to_contain_text("Awaiting shipment")
    page.screenshot(path=str(artifacts_dir / "order-list.png"), full_page=True)

    page.get_by_role("link", name=str(recent.pk), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/orders/{recent.pk}/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading.locator(".badge")).to_have_text("Awaiting shipment")

    ship_form = page.locator("#ship-form")
    ship_form.get_by_label("Carrier").select_option("UPS")
    ship_form.get_by_label("Tracking number").fill(TRACKING)
    ship_form.get_by_role("button", name="Arrange shipment", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Shipment arranged.")
    expect(heading.locator(".badge")).to_have_text("Awaiting collection")
    latest = page.locator("ol.timeline li").first
    expect(latest).to_contain_text("Awaiting collection")
    expect(latest).to_contain_text(f"Shipment arranged for 1 item with UPS {TRACKING}")
    expect(page.locator(".package")).to_contain_text(f"UPS {TRACKING}")
    expect(page.locator("#ship-form")).to_have_count(0)  # nothing left to ship
    page.screenshot(path=str(artifacts_dir / "order-detail.png"), full_page=True)

    recent.refresh_from_db()
    assert recent.status == OrderStatus.AWAITING_COLLECTION


def test_viewer_sees_masked_buyer_and_no_actions(e2e_page, sign_in, shop, member_of, artifacts_dir):
    page = e2e_page
    order = OrderFactory(shop=shop, buyer_name="Alice Walker", buyer_email="alice@example.com")
    sign_in(member_of(shop, Role.VIEWER))
    open_manage_orders(page)

    row = page.locator("table.orders-table tbody tr", has=page.get_by_role("link", name=str(order.pk), exact=True))
    expect(row).to_contain_text("A*** W***")
    for secret in ("Alice", "Walker", "alice@example.com"):
        expect(page.locator("body")).not_to_contain_text(secret)
    page.screenshot(path=str(artifacts_dir / "order-list-viewer.png"), full_page=True)

    page.get_by_role("link", name=str(order.pk), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    buyer_card = page.locator("section.card", has=page.get_by_role("heading", name="Buyer", exact=True))
    expect(buyer_card).to_contain_text("A*** W***")
    expect(buyer_card).to_contain_text("Buyer contact details are masked for your role.")
    expect(page.get_by_role("button", name="Show buyer details")).to_have_count(0)
    for secret in ("Alice", "Walker", "alice@example.com"):
        expect(page.locator("body")).not_to_contain_text(secret)
    # No seller actions: no Actions card, no form posting to an action, no action buttons.
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_have_count(0)
    expect(page.locator("form[action*='/actions/']")).to_have_count(0)
    for button in ("Arrange shipment", "Cancel order", "Refund", "Add note", "Send to buyer"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "order-detail-viewer.png"), full_page=True)
