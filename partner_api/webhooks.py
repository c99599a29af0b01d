"""ORDER_STATUS_CHANGE webhooks: queue one delivery per subscribed app, then attempt it with retries.

Each attempt is logged on the WebhookDelivery row (attempts, last status code or error, next try).
A failed attempt is retried after PARTNER_API_WEBHOOK_BACKOFF[n] seconds (1, 5, 25, 125 minutes by
default: five attempts in all), then the delivery is marked failed.
"""

import json
import secrets
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from orders.selectors.visibility import visible_shop_ids
from orders.statuses import OrderStatus

from .models import ApiApp, DeliveryStatus, Grant, WebhookDelivery
from .signing import webhook_signature
from .url_safety import check_webhook_url, opener

ORDER_STATUS_CHANGE = "ORDER_STATUS_CHANGE"
TYPE_CODES = {ORDER_STATUS_CHANGE: 1}
DEFAULT_BACKOFF = [60, 300, 1500, 7500]


def backoff() -> list[int]:
    return list(getattr(settings, "PARTNER_API_WEBHOOK_BACKOFF", DEFAULT_BACKOFF))


def subscribed_apps(shop_id: int):
    """Apps with a webhook URL and a live grant covering the shop, whose authorising Administrator still
    sees that shop (the same rule as the API's reads: granted_shops)."""
    grants = (
        Grant.objects.filter(
            revoked_at__isnull=True, refresh_expires_at__gt=timezone.now(), shops=shop_id, app__revoked_at__isnull=True
        )
        .exclude(app__webhook_url="")
        .select_related("authorised_by")
    )
    app_ids = {grant.app_id for grant in grants if shop_id in visible_shop_ids(grant.authorised_by)}
    return ApiApp.objects.filter(pk__in=app_ids)


def order_status_payload(order, to_status: str, at) -> dict:
    return {
        "type": TYPE_CODES[ORDER_STATUS_CHANGE],
        "tts_notification_id": str(secrets.randbits(62)),
        "shop_id": str(order.shop_id),
        "timestamp": int(timezone.now().timestamp()),
        "data": {
            "order_id": str(order.pk),
            "order_status": to_status,
            "update_time": int(at.timestamp()),
            "is_on_hold_order": to_status == OrderStatus.ON_HOLD,
        },
    }


def queue_order_status_change(order, to_status: str, at) -> list[WebhookDelivery]:
    from .tasks import deliver_webhook

    deliveries = [
        WebhookDelivery.objects.create(
            app=app,
            event_type=ORDER_STATUS_CHANGE,
            payload=order_status_payload(order, to_status, at),
            next_try_at=timezone.now(),
        )
        for app in subscribed_apps(order.shop_id)
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.enqueue(pk))
    return deliveries


def post(app: ApiApp, body: bytes) -> int:
    """POST the body; the HTTP status, or an exception for a network failure."""
    request = urllib.request.Request(
        app.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": webhook_signature(app.app_key, app.app_secret, body),
            "User-Agent": "SellerCenter-Webhook/1.0",
        },
    )
    timeout = getattr(settings, "PARTNER_API_WEBHOOK_TIMEOUT", 10)
    check_webhook_url(app.webhook_url)  # again at each delivery: a name may resolve elsewhere by now
    try:
        with opener.open(request, timeout=timeout) as response:  # checked above; redirects not followed
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def attempt(delivery_id: int) -> str:
    """One attempt; schedules the next one on failure. Returns the delivery's status."""
    from .tasks import deliver_webhook

    delivery = WebhookDelivery.objects.select_related("app").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return "skipped"
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    delivery.attempts += 1
    try:
        code = post(delivery.app, body)
        delivery.last_status_code, delivery.last_error = code, "" if 200 <= code < 300 else f"HTTP {code}"
    except (OSError, ValueError) as error:  # refused, timed out, bad URL
        delivery.last_status_code, delivery.last_error = None, f"{type(error).__name__}: {error}"[:500]
    now = timezone.now()
    if delivery.last_status_code and 200 <= delivery.last_status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_try_at = DeliveryStatus.DELIVERED, now, None
    elif delivery.attempts <= len(backoff()):
        delivery.next_try_at = now + timedelta(seconds=backoff()[delivery.attempts - 1])
    else:
        delivery.status, delivery.next_try_at = DeliveryStatus.FAILED, None
    delivery.save()
    if delivery.status == DeliveryStatus.PENDING:
        deliver_webhook.using(run_after=delivery.next_try_at).enqueue(delivery.pk)
    return delivery.status
