"""End-to-end fixtures: one headless Debian Chromium per test process, a fresh context per test.

Playwright's sync API keeps an asyncio event loop in the test thread, and Django refuses ORM calls
made from a thread with a running loop (SynchronousOnlyOperation). The tests create their data with
the factories while the browser is up, so that check is switched off for this process.
Nothing is downloaded: the browser is Debian's chromium (`make test` installs it when it can).
"""

import os
from pathlib import Path

import pytest

from tests.factories import ShopFactory
from tests.factories.accounts import TEST_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium():
    """The browser, launched once per test process (each xdist worker has its own)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs Debian's chromium when run as root")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture
def e2e_page(request, chromium, live_server, artifacts_dir):
    """A fresh browser context (no cookies) and page; on failure a screenshot goes to test-artifacts/failures/.

    Not called `page`: that name belongs to pytest-playwright's fixtures, when that plugin is installed.
    """
    context = chromium.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed:
        failures = artifacts_dir / "failures"
        failures.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(failures / f"{request.node.name}.png"), full_page=True)
        except Exception:  # the page may be gone; the failure itself is what matters
            pass
    context.close()


@pytest.fixture
def shop(transactional_db):
    """The shop of the e2e tests (tests/conftest.py's `member_of` gives its staff, password TEST_PASSWORD)."""
    return ShopFactory(name="Sunrise Apparel")


@pytest.fixture
def sign_in(e2e_page):
    """Sign in through the real form; lands on the home page."""
    from playwright.sync_api import expect

    def do(user, password=TEST_PASSWORD):
        page = e2e_page
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name=f"Welcome, {user.get_username()}")).to_be_visible()
        return page

    return do
