"""ORDER_STATUS_CHANGE webhooks, delivered by the task worker to a real receiver on loopback."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from accounts.roles import Role
from orders.services.transitions import record
from orders.statuses import OrderStatus
from partner_api.models import DeliveryStatus, WebhookDelivery
from tests.factories import ApiAppFactory, GrantFactory, OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """An HTTP server on 127.0.0.1 that answers the queued status codes (200 once they run out)."""

    def __init__(self, answers=()):
        self.answers, self.received = list(answers), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.answers.pop(0) if outer.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for r in made:
        r.close()


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.fixture
def subscribed(shop, member_of):
    def make(url):
        admin = member_of(shop, Role.ADMINISTRATOR)
        app = ApiAppFactory(created_by=admin, webhook_url=url)
        GrantFactory(app=app, authorised_by=admin, shops=[shop])
        return app

    return make


def test_status_change_is_delivered_signed(shop, other_shop, receiver, subscribed):
    hook = receiver()
    app = subscribed(hook.url)
    order = OrderFactory(shop=shop)
    OrderFactory(shop=other_shop)
    record(order, None, to=OrderStatus.AWAITING_COLLECTION, reason="shipped")
    run_worker()
    ((headers, body),) = hook.received
    expected = hmac.new(app.app_secret.encode(), app.app_key.encode() + body, hashlib.sha256).hexdigest()
    assert headers["Authorization"] == expected
    event = json.loads(body)
    assert event["type"] == 1 and event["shop_id"] == str(shop.pk)
    order.refresh_from_db()
    assert event["data"] == {
        "order_id": str(order.pk),
        "order_status": "AWAITING_COLLECTION",
        "update_time": int(order.updated_at.timestamp()),
        "is_on_hold_order": False,
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 1, 200)


def test_failures_are_retried_with_backoff_and_logged(shop, receiver, subscribed, settings):
    settings.PARTNER_API_WEBHOOK_BACKOFF = [0, 0, 0, 0]  # retries at once, so one worker batch runs them all
    hook = receiver([500, 503])
    subscribed(hook.url)
    record(OrderFactory(shop=shop), None, to=OrderStatus.CANCELLED, reason="buyer asked")
    run_worker()
    assert len(hook.received) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 3, 200)


def test_gives_up_after_the_last_attempt(shop, receiver, subscribed, settings):
    settings.PARTNER_API_WEBHOOK_BACKOFF = [0, 0]
    hook = receiver([500] * 5)
    subscribed(hook.url)
    record(OrderFactory(shop=shop), None, to=OrderStatus.CANCELLED, reason="x")
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert len(hook.received) == 3
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 3, "HTTP 500")


def test_next_try_waits_for_the_backoff(shop, receiver, subscribed):
    hook = receiver([500])
    subscribed(hook.url)
    record(OrderFactory(shop=shop), None, to=OrderStatus.CANCELLED, reason="x")
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert len(hook.received) == 1 and delivery.status == DeliveryStatus.PENDING
    assert 55 <= (delivery.next_try_at - delivery.created_at).total_seconds() <= 65  # 1 minute


def test_unreachable_receiver_is_logged(shop, subscribed, settings):
    settings.PARTNER_API_WEBHOOK_BACKOFF = []
    subscribed("http://127.0.0.1:9/hook")  # discard port: connection refused
    record(OrderFactory(shop=shop), None, to=OrderStatus.CANCELLED, reason="x")
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code is None
    assert "refused" in delivery.last_error.lower() or "error" in delivery.last_error.lower()


def test_only_apps_granted_the_shop_and_live(shop, other_shop, receiver, subscribed):
    hook = receiver()
    ApiAppFactory(webhook_url=hook.url)  # no grant
    GrantFactory(app=ApiAppFactory(webhook_url=hook.url), shops=[other_shop])
    revoked = subscribed(hook.url)
    revoked.grants.update(revoked_at=revoked.created_at)
    record(OrderFactory(shop=shop), None, to=OrderStatus.CANCELLED, reason="x")
    record(OrderFactory(shop=shop), None, reason="note only")  # no status change: no event
    run_worker()
    assert hook.received == [] and not WebhookDelivery.objects.exists()
