"""Webhook URLs cannot point inside the server's network in production (no blind SSRF)."""

import pytest

from partner_api.forms import AppForm
from partner_api.url_safety import UnsafeUrl, check_webhook_url
from partner_api.webhooks import post
from tests.factories.partner_api import ApiAppFactory


@pytest.fixture
def production(settings):
    settings.PARTNER_API_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.1.10/hook",
        "https://172.16.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://0.0.0.0/hook",
        "http://93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
    ],
)
def test_private_loopback_metadata_and_plain_http_are_refused(production, url):
    with pytest.raises(UnsafeUrl):
        check_webhook_url(url)
    form = AppForm({"name": "Integrator", "webhook_url": url})
    assert not form.is_valid() and "webhook_url" in form.errors


def test_a_public_https_address_is_accepted(production):
    check_webhook_url("https://93.184.216.34/hook")  # a literal public address: no DNS needed


@pytest.mark.django_db
def test_delivery_refuses_an_unsafe_url_before_connecting(production):
    app = ApiAppFactory(webhook_url="https://127.0.0.1:9/hook")
    with pytest.raises(UnsafeUrl):
        post(app, b"{}")


def test_development_may_deliver_to_loopback(settings):
    settings.PARTNER_API_WEBHOOK_ALLOW_PRIVATE = True
    check_webhook_url("http://127.0.0.1:8123/hook")
