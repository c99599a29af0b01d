"""Exports in a real browser: an Accountant asks for an export too large to download at once, follows
its progress on the Exports page, and downloads the file once the worker has written it."""

import csv
import io

import pytest
from django.core.management import call_command

from accounts.roles import Role
from tests.factories import LineItemFactory, OrderFactory

from .conftest import CHROMIUM

if not CHROMIUM.exists():
    pytest.skip(
        f"end-to-end tests need Debian's chromium at {CHROMIUM} (`make test` installs it as root)",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="end-to-end tests need the `playwright` package (test extra)")

from playwright.sync_api import expect  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_background_export_from_asking_to_download(e2e_page, sign_in, shop, member_of, settings, artifacts_dir):
    settings.EXPORT_IMMEDIATE_ROWS = 2  # three orders: a background job
    orders = [OrderFactory(shop=shop, buyer_name="Alice Walker") for _ in range(3)]
    for order in orders:
        LineItemFactory(order=order)
    page = sign_in(member_of(shop, Role.ACCOUNTANT))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", name="Export orders")).to_be_visible()
    page.get_by_label("Range").select_option("last_30d")
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("Layout").select_option("orders")
    page.get_by_role("button", name="Export", exact=True).click()

    expect(page.locator(".msg-success")).to_contain_text("runs in the background")
    jobs = page.locator("table.exports-table")
    expect(jobs).to_contain_text("Queued")
    page.screenshot(path=str(artifacts_dir / "exports-queued.png"), full_page=True)

    call_command("db_worker", batch=True, no_startup_delay=True)
    page.reload()
    expect(jobs).to_contain_text("Ready")
    expect(jobs).to_contain_text("3 of 3")
    page.screenshot(path=str(artifacts_dir / "exports-ready.png"), full_page=True)
    with page.expect_download() as download_info:
        jobs.get_by_role("link", name="Download").first.click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0][0] == "Order ID" and len(rows) == 4
    assert {row[0] for row in rows[1:]} == {str(o.pk) for o in orders}
    assert all("Alice Walker" not in ",".join(row) for row in rows)  # an Accountant sees buyers masked
