"""Plays one order's life from placement up to `now`, producing coherent rows.

Each step happens at a time after the previous one; a step later than `now` has not
happened yet, so the order stops in the status it reached. Every step is a legal
transition of orders/statuses.py and writes one history row.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from orders.ids import platform_id
from orders.statuses import (  # the platform clock is re-exported for the simulator
    ON_HOLD_WINDOW,
    RETURN_WINDOW,
    SHIP_WITHIN,
    UNPAID_AUTO_CANCEL,
    ActorKind,
    CancellationStatus,
    DeliveryOption,
    FulfillmentType,
    OrderStatus,
    PackageStatus,
    ReturnStatus,
    ReturnType,
)

from .catalog import CatalogSku
from .people import Address, Buyer
from .shops import DemoShop

S = OrderStatus
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
ZERO = Decimal("0")
EPOCH = datetime(1970, 1, 1)


ORDER_FIELDS = [
    "id",
    "shop",
    "status",
    "created_at",
    "updated_at",
    "paid_at",
    "rts_sla_at",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "cancelled_at",
    "cancel_reason",
    "cancellation_initiator",
    "buyer_user_id",
    "buyer_nickname",
    "buyer_name",
    "buyer_email",
    "buyer_phone",
    "buyer_message",
    "seller_note",
    "ship_name",
    "ship_phone",
    "ship_country",
    "ship_state",
    "ship_city",
    "ship_district",
    "ship_postcode",
    "ship_line1",
    "ship_line2",
    "bill_name",
    "bill_country",
    "bill_state",
    "bill_city",
    "bill_postcode",
    "bill_line1",
    "bill_line2",
    "payment_method",
    "fulfillment_type",
    "delivery_option",
    "carrier",
    "currency",
    "original_product_total",
    "seller_discount",
    "platform_discount",
    "subtotal",
    "original_shipping_fee",
    "shipping_fee",
    "tax",
    "total",
    "refunded_amount",
]
LINE_FIELDS = [
    "order",
    "product_id",
    "product_name",
    "sku_id",
    "seller_sku",
    "sku_name",
    "color",
    "size",
    "quantity",
    "original_price",
    "sale_price",
    "seller_discount",
    "platform_discount",
    "status",
    "package",
]
PACKAGE_FIELDS = ["id", "order", "carrier", "tracking_number", "status", "created_at", "shipped_at", "delivered_at"]
EVENT_FIELDS = ["package", "at", "location", "description"]
HISTORY_FIELDS = ["order", "from_status", "to_status", "at", "actor", "actor_kind", "reason"]
CANCELLATION_FIELDS = ["order", "initiator", "reason", "status", "requested_at", "resolved_at", "resolved_by"]
RETURN_FIELDS = [
    "order",
    "initiator",
    "return_type",
    "status",
    "reason",
    "refund_amount",
    "requested_at",
    "resolved_at",
    "resolved_by",
]

BUYER_MESSAGES = (
    "Please pack carefully, it's a gift.",
    "Could you ship this as soon as possible? Thanks!",
    "No invoice in the parcel please.",
    "Please leave the parcel with the neighbour if I'm out.",
    "Is the colour the same as in the photo?",
    "Please double-check the size before shipping.",
)
SELLER_NOTES = (
    "VIP buyer - add a thank-you card",
    "Check stock of the variant before packing",
    "Buyer asked for gift wrap",
    "Repeat customer",
)
BUYER_CANCEL_REASONS = (
    "No longer needed",
    "Ordered by mistake",
    "Found a better price elsewhere",
    "Shipping takes too long",
    "Need to change the delivery address",
)
RETURN_REASONS = (
    "Item doesn't fit",
    "Damaged on arrival",
    "Not as described",
    "Wrong item sent",
    "Changed my mind",
    "Missing parts",
)


@dataclass
class Rows:
    """Rows of one batch, per table, in the *_FIELDS orders above."""

    orders: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    packages: list = field(default_factory=list)
    events: list = field(default_factory=list)
    history: list = field(default_factory=list)
    cancellations: list = field(default_factory=list)
    returns: list = field(default_factory=list)

    def __len__(self):
        return len(self.orders)


def _tracking_number(carrier: str, rng: random.Random) -> str:
    if carrier == "USPS":
        return "9400" + "".join(str(rng.randrange(10)) for _ in range(18))
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "Royal Mail":
        return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + f"{rng.randrange(10**9):09d}GB"
    letters = "".join(ch for ch in carrier.upper() if ch.isalpha())[:2] or "TT"
    return f"{letters}{rng.randrange(10**12):012d}"


class OrderLife:
    """Context shared by all orders of one shop during a seed run."""

    def __init__(
        self,
        shop: DemoShop,
        shop_pk: int,
        catalog: list[CatalogSku],
        buyers: list[Buyer],
        foreign_addresses: list[Address],
        now: datetime,
        rng: random.Random,
        used_ids: set,
    ):
        self.shop, self.shop_pk, self.catalog, self.buyers = shop, shop_pk, catalog, buyers
        self.foreign_addresses, self.now, self.rng, self.used_ids = foreign_addresses, now, rng, used_ids
        self.methods = [m for m, _ in shop.payment_methods]
        self.method_weights = [w for _, w in shop.payment_methods]
        self.q = shop.money_exponent

    def new_id(self, at: datetime) -> int:
        at_ms = int((at - EPOCH).total_seconds() * 1000)
        while True:
            candidate = platform_id(at_ms, self.rng)
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def money(self, value: Decimal) -> Decimal:
        return value.quantize(self.q, rounding=ROUND_HALF_UP)

    def build(self, created: datetime, rows: Rows) -> None:
        _Order(self, created, rows).play()


class _Order:
    def __init__(self, life: OrderLife, created: datetime, rows: Rows):
        self.life, self.rng, self.rows, self.now = life, life.rng, rows, life.now
        self.created = created
        self.id = life.new_id(created)
        self.status = S.UNPAID
        self.updated = created
        self.times = dict.fromkeys(("paid", "rts_sla", "shipped", "delivered", "completed", "cancelled"))
        self.cancel_reason = ""
        self.cancel_initiator = ""
        self.refunded = ZERO
        self.packages = []  # [package_id, carrier, tracking, status, created, shipped, delivered, line indexes]
        self.delivery = self.rng.choices(list(DeliveryOption), (80, 12, 8))[0]
        self._lines()

    # -- building blocks -------------------------------------------------------------------------
    def _lines(self):
        life, rng = self.life, self.rng
        count = rng.choices((1, 2, 3, 4), (62, 24, 10, 4))[0]
        self.lines = []
        for sku in rng.sample(life.catalog, count):
            qty = rng.choices((1, 2, 3), (76, 18, 6))[0]
            sale = sku.price
            if rng.random() < 0.3:
                sale = life.money(sku.price * (1 - Decimal(rng.randint(10, 30)) / 100))
            seller_discount = (sku.price - sale) * qty
            platform_discount = ZERO
            if rng.random() < 0.15:
                platform_discount = life.money(sale * qty * Decimal(rng.randint(5, 15)) / 100)
            self.lines.append([sku, qty, sale, seller_discount, platform_discount])

    def step(self, at: datetime, to: OrderStatus, actor: ActorKind, reason: str = "") -> bool:
        if at > self.now:
            return False
        self.rows.history.append((self.id, self.status, to, at, None, actor, reason))
        self.status = to
        self.updated = max(self.updated, at)
        return True

    def cancel(self, at: datetime, actor: ActorKind, reason: str) -> bool:
        if not self.step(at, S.CANCELLED, actor, reason):
            return False
        self.times["cancelled"] = at
        self.cancel_reason, self.cancel_initiator = reason, actor
        return True

    # -- the life ----------------------------------------------------------------------------------
    def play(self):
        self.rows.history.append((self.id, "", S.UNPAID, self.created, None, ActorKind.BUYER, "Order placed"))
        self._live()
        self._write()

    def _live(self):
        rng, created = self.rng, self.created
        if rng.random() < 0.05:  # never paid: the platform cancels it
            self.cancel(created + UNPAID_AUTO_CANCEL, ActorKind.SYSTEM, "Payment not received in time")
            return
        paid = created + timedelta(minutes=rng.uniform(0.5, 45))
        if not self.step(paid, S.ON_HOLD, ActorKind.BUYER, "Payment confirmed"):
            return
        self.times["paid"] = paid
        self.times["rts_sla"] = paid + SHIP_WITHIN[self.delivery]
        if rng.random() < 0.025:  # buyer cancels freely while on hold
            at = paid + timedelta(minutes=rng.uniform(3, 55))
            if at <= self.now:
                reason = rng.choice(BUYER_CANCEL_REASONS)
                self.rows.cancellations.append(
                    (self.id, ActorKind.BUYER, reason, CancellationStatus.COMPLETE, at, at, None)
                )
                self.cancel(at, ActorKind.BUYER, reason)
            return
        hold_end = paid + ON_HOLD_WINDOW
        if not self.step(hold_end, S.AWAITING_SHIPMENT, ActorKind.SYSTEM, "On-hold window ended"):
            return
        late = rng.random() < 0.06
        arrange = hold_end + HOUR * (rng.uniform(74, 130) if late else rng.uniform(1, 60))
        if not self._cancellation_request(hold_end, arrange):
            return
        if rng.random() < 0.01:
            self.cancel(hold_end + HOUR * rng.uniform(1, 20), ActorKind.SELLER, "Out of stock")
            return
        self._ship(arrange)

    def _cancellation_request(self, hold_end, arrange) -> bool:
        """A buyer may ask to cancel before shipment; False when the order's life stops here."""
        rng = self.rng
        if rng.random() >= 0.04:
            return True
        asked = hold_end + HOUR * rng.uniform(0.5, 20)
        if asked > self.now or asked >= arrange:
            return True
        reason = rng.choice(BUYER_CANCEL_REASONS)
        answered = asked + HOUR * rng.uniform(1, 30)
        if answered > self.now:
            self.rows.cancellations.append(
                (self.id, ActorKind.BUYER, reason, CancellationStatus.PENDING, asked, None, None)
            )
            self.updated = max(self.updated, asked)
            return False
        if rng.random() < 0.8:
            self.rows.cancellations.append(
                (self.id, ActorKind.BUYER, reason, CancellationStatus.SUCCESS, asked, answered, None)
            )
            self.cancel(answered, ActorKind.SELLER, f"Buyer request approved: {reason}")
            return False
        self.rows.cancellations.append(
            (self.id, ActorKind.BUYER, reason, CancellationStatus.CANCEL, asked, answered, None)
        )
        self.updated = max(self.updated, answered)
        return True

    def _new_package(self, at, line_indexes):
        # A seller ships an order's packages with one carrier.
        carrier = self.packages[0][1] if self.packages else self.rng.choice(self.life.shop.carriers)
        package = [
            self.life.new_id(at),
            carrier,
            _tracking_number(carrier, self.rng),
            PackageStatus.PROCESSING,
            at,
            None,
            None,
            line_indexes,
        ]
        self.packages.append(package)
        return package

    def _ship(self, arrange):
        rng = self.rng
        indexes = list(range(len(self.lines)))
        partial = len(indexes) > 1 and rng.random() < 0.1
        if partial:
            cut = rng.randint(1, len(indexes) - 1)
            if not self.step(arrange, S.PARTIALLY_SHIPPING, ActorKind.SELLER, "Shipment arranged for some items"):
                return
            self._new_package(arrange, indexes[:cut])
            arrange = arrange + HOUR * rng.uniform(4, 30)
            if not self.step(arrange, S.AWAITING_COLLECTION, ActorKind.SELLER, "Shipment arranged for the rest"):
                return
            self._new_package(arrange, indexes[cut:])
        else:
            if not self.step(arrange, S.AWAITING_COLLECTION, ActorKind.SELLER, "Shipment arranged"):
                return
            self._new_package(arrange, indexes)
        collected = arrange + HOUR * rng.uniform(3, 24)
        if not self.step(collected, S.IN_TRANSIT, ActorKind.CARRIER, "Collected by carrier"):
            return
        self.times["shipped"] = collected
        days = {DeliveryOption.EXPRESS: (0.8, 2.5), DeliveryOption.STANDARD: (1.5, 6), DeliveryOption.ECONOMY: (4, 10)}
        delivered = collected + DAY * rng.uniform(*days[self.delivery])
        for package in self.packages:
            package[3], package[5] = PackageStatus.IN_TRANSIT, collected
            self._tracking(package, collected, delivered)
        if not self.step(delivered, S.DELIVERED, ActorKind.CARRIER, "Delivered to the recipient"):
            return
        self.times["delivered"] = delivered
        for package in self.packages:
            package[3], package[6] = PackageStatus.DELIVERED, delivered
        window_end = self._return_request(delivered)
        completed = max(delivered + RETURN_WINDOW, window_end)
        if self.step(completed, S.COMPLETED, ActorKind.SYSTEM, "Return window ended"):
            self.times["completed"] = completed

    def _tracking(self, package, collected, delivered):
        address = self.buyer.address
        hubs = max(1, int((delivered - collected) / DAY))
        scans = [(collected, self.life.shop.name, "Parcel collected by the carrier")]
        for n in range(1, hubs + 1):
            at = collected + (delivered - collected) * n / (hubs + 2)
            scans.append((at, f"{address.state or address.city} sorting centre", "Arrived at sorting centre"))
        scans.append((delivered - HOUR * self.rng.uniform(2, 6), address.city, "Out for delivery"))
        scans.append((delivered, address.city, "Delivered"))
        for at, location, description in scans:
            if at <= self.now:
                self.rows.events.append((package[0], at, location[:120], description))

    def _return_request(self, delivered) -> datetime:
        """A buyer may ask for a return/refund after delivery; returns when the request is settled."""
        rng = self.rng
        if rng.random() >= 0.05:
            return delivered
        asked = delivered + DAY * rng.uniform(0.2, 6)
        if asked > self.now:
            return asked
        kind = rng.choices(list(ReturnType), (50, 40, 5, 5))[0]
        sku, qty, sale, seller_discount, platform_discount = rng.choice(self.lines)
        line_paid = sale * qty - platform_discount
        amount = line_paid if rng.random() < 0.6 else self.life.money(line_paid * Decimal("0.3"))
        if kind in (ReturnType.REPLACEMENT, ReturnType.EXCHANGE):
            amount = ZERO
        steps = [(asked, ReturnStatus.PENDING)]
        at = asked + DAY * rng.uniform(0.3, 2)
        if rng.random() < 0.12:
            steps.append((at, ReturnStatus.REJECT))
        else:
            if kind == ReturnType.RETURN_AND_REFUND:
                steps.append((at, ReturnStatus.AWAITING_BUYER_SHIP))
                at += DAY * rng.uniform(1, 3)
                steps.append((at, ReturnStatus.BUYER_SHIPPED_ITEM))
                at += DAY * rng.uniform(2, 4)
            steps.append((at, ReturnStatus.SUCCESS))
        reached = [(t, s) for t, s in steps if t <= self.now]
        settled_at, status = reached[-1]
        final = status in (ReturnStatus.SUCCESS, ReturnStatus.REJECT)
        if status == ReturnStatus.SUCCESS:
            self.refunded += amount
        self.rows.returns.append(
            (
                self.id,
                ActorKind.BUYER,
                kind,
                status,
                rng.choice(RETURN_REASONS),
                amount,
                asked,
                settled_at if final else None,
                None,
            )
        )
        self.updated = max(self.updated, settled_at)
        return steps[-1][0]

    # -- rows ----------------------------------------------------------------------------------------
    @property
    def buyer(self) -> Buyer:
        if not hasattr(self, "_buyer"):
            self._buyer = self.rng.choice(self.life.buyers)
        return self._buyer

    def _billing(self, address: Address):
        roll = self.rng.random()
        if roll < 0.06:
            return self.rng.choice(self.life.buyers).address  # a different address at home
        if roll < 0.08:
            return self.rng.choice(self.life.foreign_addresses)  # paid from abroad
        return address

    def _write(self):
        life, rng, rows, buyer = self.life, self.rng, self.rows, self.buyer
        shop = life.shop
        ship = buyer.address
        bill = self._billing(ship)
        original_total = sum((sku.price * qty for sku, qty, *_ in self.lines), ZERO)
        seller_discount = sum((line[3] for line in self.lines), ZERO)
        platform_discount = sum((line[4] for line in self.lines), ZERO)
        subtotal = original_total - seller_discount - platform_discount
        original_shipping = shop.shipping_fee * (2 if self.delivery == DeliveryOption.EXPRESS else 1)
        shipping = (
            ZERO
            if subtotal >= shop.free_shipping_over and self.delivery != DeliveryOption.EXPRESS
            else original_shipping
        )
        tax = life.money(subtotal * shop.tax_rate)
        total = subtotal + shipping + tax
        t = self.times
        rows.orders.append(
            (
                self.id,
                life.shop_pk,
                self.status,
                self.created,
                self.updated,
                t["paid"],
                t["rts_sla"],
                t["shipped"],
                t["delivered"],
                t["completed"],
                t["cancelled"],
                self.cancel_reason,
                self.cancel_initiator,
                buyer.user_id,
                buyer.nickname,
                buyer.name,
                buyer.email,
                buyer.phone,
                rng.choice(BUYER_MESSAGES) if rng.random() < 0.08 else "",
                rng.choice(SELLER_NOTES) if rng.random() < 0.03 else "",
                ship.name,
                ship.phone,
                ship.country,
                ship.state,
                ship.city,
                ship.district,
                ship.postcode,
                ship.line1,
                ship.line2,
                bill.name,
                bill.country,
                bill.state,
                bill.city,
                bill.postcode,
                bill.line1,
                bill.line2,
                rng.choices(life.methods, life.method_weights)[0],
                FulfillmentType.BY_PLATFORM if rng.random() < 0.1 else FulfillmentType.BY_SELLER,
                self.delivery,
                self.packages[0][1] if self.packages else "",
                shop.currency,
                original_total,
                seller_discount,
                platform_discount,
                subtotal,
                original_shipping,
                shipping,
                tax,
                total,
                min(self.refunded, total),
            )
        )
        package_of = {}
        for package in self.packages:
            package_id, carrier, tracking, status, created, shipped, delivered, indexes = package
            rows.packages.append((package_id, self.id, carrier, tracking, status, created, shipped, delivered))
            for index in indexes:
                package_of[index] = package
        for index, (sku, qty, sale, seller_discount, platform_discount) in enumerate(self.lines):
            package = package_of.get(index)
            status = self.status
            if status == S.PARTIALLY_SHIPPING:
                status = S.AWAITING_COLLECTION if package else S.AWAITING_SHIPMENT
            rows.lines.append(
                (
                    self.id,
                    sku.product_id,
                    sku.product_name,
                    sku.sku_id,
                    sku.seller_sku,
                    sku.sku_name,
                    sku.color,
                    sku.size,
                    qty,
                    sku.price,
                    sale,
                    seller_discount,
                    platform_discount,
                    status,
                    package[0] if package else None,
                )
            )
