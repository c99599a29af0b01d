"""Reads for the detailed order view: the order with everything around it, the timeline, the risk panel."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Avg, Prefetch
from django.shortcuts import get_object_or_404

from orders.models import Order, Package, StatusHistory
from orders.statuses import DeliveryOption, OrderStatus

from .visibility import orders_visible_to

TRANSIT_DAYS = {DeliveryOption.EXPRESS: 2, DeliveryOption.STANDARD: 5, DeliveryOption.ECONOMY: 9}
HIGH_TOTAL_FACTOR = 4
SAME_ADDRESS_WINDOW = timedelta(hours=24)
SAME_ADDRESS_LIMIT = 3


def order_for(user, order_id: int) -> Order:
    """The order with everything the page shows, in a fixed number of queries; 404 outside the user's shops."""
    queryset = (
        orders_visible_to(user)
        .select_related("shop")
        .prefetch_related(
            "lines",
            Prefetch("packages", queryset=Package.objects.prefetch_related("events").order_by("created_at")),
            Prefetch("history", queryset=StatusHistory.objects.select_related("actor").order_by("at", "id")),
            "notes__author",
            "messages__author",
            "cancellations",
            "returns",
        )
    )
    return get_object_or_404(queryset, pk=order_id)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "status" | "tracking"
    title: str
    detail: str
    who: str


def timeline(order: Order) -> list[TimelineEntry]:
    """Status history and carrier scans in one list, newest first."""
    entries = [
        TimelineEntry(
            h.at,
            "status",
            OrderStatus(h.to_status).label if h.from_status != h.to_status else h.reason,
            h.reason if h.from_status != h.to_status else "",
            h.actor.get_username() if h.actor else h.get_actor_kind_display(),
        )
        for h in order.history.all()
    ]
    entries += [
        TimelineEntry(e.at, "tracking", e.description, e.location, f"{p.carrier} {p.tracking_number}")
        for p in order.packages.all()
        for e in p.events.all()
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def estimated_delivery(order: Order):
    if order.status != OrderStatus.IN_TRANSIT or not order.shipped_at:
        return None
    return order.shipped_at + timedelta(days=TRANSIT_DAYS.get(order.delivery_option, 5))


def _usual_total(shop_id: int, now: datetime):
    """The shop's average order total over 90 days, cached for an hour (an aggregate, not per page view)."""
    key = f"shop-usual-total:{shop_id}"
    value = cache.get(key)
    if value is None:
        value = (
            Order.objects.filter(shop_id=shop_id, created_at__gte=now - timedelta(days=90)).aggregate(avg=Avg("total"))[
                "avg"
            ]
            or 0
        )
        cache.set(key, value, 3600)
    return value


def risk_flags(order: Order, now: datetime) -> list[str]:
    flags = []
    if order.bill_line1 and order.bill_country and order.bill_country != order.ship_country:
        flags.append(
            f"Billing country ({order.bill_country}) differs from the shipping country ({order.ship_country})."
        )
    elif order.bill_line1 and order.bill_postcode != order.ship_postcode:
        flags.append("Billing postcode differs from the shipping postcode.")
    usual = _usual_total(order.shop_id, now)
    if usual and order.total > HIGH_TOTAL_FACTOR * usual:
        flags.append(
            f"Total is more than {HIGH_TOTAL_FACTOR}× the shop's 90-day average ({usual:,.2f} {order.currency})."
        )
    same_address = Order.objects.filter(
        shop_id=order.shop_id,
        ship_postcode=order.ship_postcode,
        ship_line1=order.ship_line1,
        created_at__gte=order.created_at - SAME_ADDRESS_WINDOW,
        created_at__lte=order.created_at + SAME_ADDRESS_WINDOW,
    ).count()
    if same_address >= SAME_ADDRESS_LIMIT:
        flags.append(f"{same_address} orders to this address within a day.")
    return flags
