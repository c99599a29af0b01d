"""Arranging shipment, and the carrier's side of the emulator: collection, delivery, completion."""

import re
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from orders.models import LineItem, Package, ReturnRequest, TrackingEvent
from orders.statuses import (
    OPEN_RETURN_STATUSES,
    RETURN_WINDOW,
    ActorKind,
    OrderStatus,
    PackageStatus,
)

from .errors import ActionRefused
from .transitions import authorize, check_allowed, lock, record

CARRIERS = (
    "USPS",
    "UPS",
    "FedEx",
    "DHL",
    "Royal Mail",
    "Evri",
    "DPD",
    "J&T Express",
    "SiCepat",
    "JNE",
    "Flash Express",
    "Kerry Express",
    "GHN",
    "GHTK",
    "Viettel Post",
    "Pos Laju",
    "Ninja Van",
)
TRACKING_NUMBER = re.compile(r"^[A-Z0-9]{6,40}$")


def clean_tracking_number(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "").upper()
    if not TRACKING_NUMBER.match(number):
        raise ActionRefused("A tracking number has 6 to 40 letters or digits.")
    return number


@transaction.atomic
def arrange_shipment(order, user, *, expected_status, carrier, tracking_number, line_ids=None, now=None) -> Package:
    """Put some or all unshipped lines into a new package. All lines packed -> AWAITING_COLLECTION."""
    action = authorize(user, order, "arrange_shipment")
    order = lock(order, expected_status)
    check_allowed(action, order)
    if carrier not in CARRIERS:
        raise ActionRefused(f"Unknown carrier “{carrier}”.")
    if order.carrier and carrier != order.carrier:
        # One carrier per order: the list filters and shows orders by it.
        raise ActionRefused(f"This order's first package went with {order.carrier}; ship the rest with it too.")
    number = clean_tracking_number(tracking_number)
    taken = Package.objects.filter(tracking_number=number, order__shop=order.shop).exclude(order=order).first()
    if taken:
        raise ActionRefused(f"Tracking number {number} is already used by order {taken.order_id}.")
    unshipped = list(order.lines.filter(package__isnull=True).values_list("pk", flat=True))
    try:
        chosen = unshipped if not line_ids else sorted({int(pk) for pk in line_ids})
    except (TypeError, ValueError):
        raise ActionRefused("Items are chosen by their line id.") from None
    if not chosen or not set(chosen) <= set(unshipped):
        raise ActionRefused("Choose items of this order that are not shipped yet.")
    now = now or timezone.now()
    remaining = len(unshipped) - len(chosen)
    target = OrderStatus.PARTIALLY_SHIPPING if remaining else OrderStatus.AWAITING_COLLECTION
    package = Package.objects.create(order=order, carrier=carrier, tracking_number=number, created_at=now)
    LineItem.objects.filter(pk__in=chosen).update(package=package, status=OrderStatus.AWAITING_COLLECTION)
    if remaining:
        LineItem.objects.filter(order=order, package__isnull=True).update(status=OrderStatus.AWAITING_SHIPMENT)
    items = f"{len(chosen)} item{'s' if len(chosen) != 1 else ''}"
    record(
        order, user, to=target, at=now, reason=f"Shipment arranged for {items} with {carrier} {number}", carrier=carrier
    )
    return package


def _carrier_move(
    order, user, action_name, *, expected_status, now, to, package_status, time_field, scan, location, reason
):
    """The carrier's side: the order moves on, each live parcel gets a scan, its status and its time."""
    action = authorize(user, order, action_name)
    order = lock(order, expected_status)
    check_allowed(action, order)
    now = now or timezone.now()
    packages = order.packages.exclude(status=PackageStatus.CANCELLED)
    TrackingEvent.objects.bulk_create(
        TrackingEvent(package=package, at=now, location=location or order.shop.name, description=scan)
        for package in packages
    )
    packages.update(status=package_status, **{time_field: now})
    order.lines.update(status=to)
    record(order, user, to=to, at=now, actor_kind=ActorKind.CARRIER, reason=reason, **{time_field: now})


@transaction.atomic
def mark_collected(order, user, *, expected_status, location="", now=None):
    _carrier_move(
        order,
        user,
        "mark_collected",
        expected_status=expected_status,
        now=now,
        to=OrderStatus.IN_TRANSIT,
        package_status=PackageStatus.IN_TRANSIT,
        time_field="shipped_at",
        scan="Parcel collected by the carrier",
        location=location,
        reason="Collected by carrier",
    )


@transaction.atomic
def mark_delivered(order, user, *, expected_status, now=None):
    _carrier_move(
        order,
        user,
        "mark_delivered",
        expected_status=expected_status,
        now=now,
        to=OrderStatus.DELIVERED,
        package_status=PackageStatus.DELIVERED,
        time_field="delivered_at",
        scan="Delivered",
        location=order.ship_city,
        reason="Delivered to the recipient",
    )


@transaction.atomic
def mark_completed(order, user, *, expected_status, now=None):
    action = authorize(user, order, "mark_completed")
    order = lock(order, expected_status)
    check_allowed(action, order)
    now = now or timezone.now()
    window_end = (order.delivered_at or order.updated_at) + RETURN_WINDOW
    if now < window_end:
        raise ActionRefused(f"The buyer's {RETURN_WINDOW.days}-day return window is still open.")
    if ReturnRequest.objects.filter(order=order, status__in=OPEN_RETURN_STATUSES).exists():
        raise ActionRefused("A return/refund request is still open; settle it first.")
    order.lines.update(status=OrderStatus.COMPLETED)
    record(
        order,
        user,
        to=OrderStatus.COMPLETED,
        at=now,
        actor_kind=ActorKind.SYSTEM,
        reason="Return window ended",
        completed_at=now,
    )


def platform_tracking_number(carrier: str) -> str:
    """A tracking number as the platform's shipping label service hands out (bulk shipping)."""
    prefix = "".join(ch for ch in carrier.upper() if ch.isalpha())[:2] or "TT"
    return f"{prefix}{secrets.randbelow(10**14):014d}"


def arrange_many(orders, user, *, carrier) -> tuple[list, list]:
    """Bulk "Arrange shipment": each order on its own, so one refusal does not undo the others."""
    shipped, refused = [], []
    for order in orders:
        try:
            arrange_shipment(
                order,
                user,
                expected_status=order.status,
                carrier=carrier,
                tracking_number=platform_tracking_number(carrier),
            )
        except (ActionRefused, PermissionDenied) as error:
            refused.append((order.pk, str(error)))
        else:
            shipped.append(order.pk)
    return shipped, refused
