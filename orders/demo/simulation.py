"""The platform playing itself over time, so a demo shop looks alive.

Buyers order, pay, ask and write; the platform ends on-hold windows, cancels unpaid orders and
completes delivered ones; carriers collect and deliver. The seller's moves are left to the UI.
Every status change is a legal move of TRANSITIONS with one history row, taken under the row lock
the seller's actions take (services.transitions.lock): when a person acted first, the simulator
finds the status moved on and leaves the order alone. Each kind of move is one short transaction
over a bounded batch, picked with indexed (shop, status, time) queries.
"""

import random
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from orders.models import (
    CancellationRequest,
    LineItem,
    Order,
    OrderMessage,
    Package,
    ReturnRequest,
    Sku,
    StatusHistory,
    TrackingEvent,
)
from orders.models.money import ZERO
from orders.services.errors import ActionRefused
from orders.services.transitions import lock, record
from orders.statuses import (
    OPEN_RETURN_STATUSES,
    ActorKind,
    CancellationStatus,
    DeliveryOption,
    OrderStatus,
    PackageStatus,
    ReturnType,
    can_transition,
)

from . import lifecycle as life
from .bulk_writer import TableWriter, naive_utc
from .catalog import CatalogSku
from .people import build_buyers, build_foreign_addresses
from .shops import DEMO_SHOPS

S = OrderStatus
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
BATCH = 200  # orders per kind of move and tick, over all shops
RECENT = 50  # buyers write about one of the shop's latest orders in a status
NEVER_PAYS_ONE_IN = 20  # like the seed's 5 %; decided by the id so SQL can skip them
PAY_DELAY = (timedelta(seconds=30), timedelta(minutes=45))
COLLECT_DELAY = (3 * HOUR, 24 * HOUR)  # after the seller arranged shipment (the seed's range)
TRANSIT_DAYS = {DeliveryOption.EXPRESS: (0.8, 2.5), DeliveryOption.STANDARD: (1.5, 6), DeliveryOption.ECONOMY: (4, 10)}
# Expected buyer requests per tick for each new order placed (the seed's shares, messages a bit livelier).
BUYER_RATES = {"cancellation_requests": 0.04, "return_requests": 0.05, "messages": 0.12}
BUYERS_PER_SHOP = 200
BUYER_MESSAGES = {
    S.AWAITING_SHIPMENT: (
        "When will you ship my order?",
        "Could you ship this as soon as possible? Thanks!",
        "Please double-check the size before shipping.",
        "Can you pack it as a gift?",
    ),
    S.AWAITING_COLLECTION: ("I see it's packed - when does the courier pick it up?",),
    S.IN_TRANSIT: ("Where is my parcel?", "The tracking hasn't moved for a while, is everything OK?"),
    S.DELIVERED: ("Received, thank you!", "The parcel arrived but the box was damaged.", "How do I wash this? Thanks."),
}


def fate(order_id: int, purpose: int, low, high):
    """A fixed point in [low, high) per order and purpose, so every tick and every run agree on an order's delays."""
    return low + (high - low) * random.Random(order_id * 97 + purpose).random()


def never_pays(order_id: int) -> bool:
    return order_id % NEVER_PAYS_ONE_IN == 0


def payment_due(order):
    return order.created_at + fate(order.pk, 1, *PAY_DELAY)


def delivery_due(order):
    return order.shipped_at + DAY * fate(order.pk, 3, *TRANSIT_DAYS[DeliveryOption(order.delivery_option)])


def tracking_plan(order, due):
    """The carrier's scans between collection and delivery, in the seed's pattern."""
    span = due - order.shipped_at
    hubs = max(1, int(span / DAY))
    hub = f"{order.ship_state or order.ship_city} sorting centre"[:120]
    scans = [(order.shipped_at + span * n / (hubs + 2), hub, "Arrived at sorting centre") for n in range(1, hubs + 1)]
    return scans + [(due - 3 * HOUR, order.ship_city[:120], "Out for delivery")]


def spec_for(shop):
    """The demo profile (locale, fees, carriers) of a shop; shops made by hand borrow the closest one."""
    spec = (
        next((s for s in DEMO_SHOPS if s.code == shop.code), None)
        or next((s for s in DEMO_SHOPS if s.currency == shop.currency), None)
        or next((s for s in DEMO_SHOPS if s.country == shop.country), DEMO_SHOPS[0])
    )
    return replace(
        spec, code=shop.code, name=shop.name, country=shop.country, currency=shop.currency, time_zone=shop.time_zone
    )


def move(order, expected, to, *, at, actor_kind, reason, **fields):
    """One legal status change of a picked order under its row lock; None when someone moved it first."""
    try:
        locked = lock(order, expected)
    except ActionRefused:
        return None  # a person acted on it since we picked it: their move stands
    if not can_transition(locked.status, to):
        raise ValueError(f"{locked.status} -> {to} is not in TRANSITIONS")
    locked.lines.update(status=to)
    record(locked, None, to=to, at=at, actor_kind=actor_kind, reason=reason, **fields)
    return locked


def carrier_move(order, expected, to, *, at, reason, scan, **fields):
    """A carrier's move: the order's status, a scan on each live parcel, and the parcels' own status and time."""
    locked = move(order, expected, to, at=at, actor_kind=ActorKind.CARRIER, reason=reason, **fields)
    if locked:
        parcels = locked.packages.exclude(status=PackageStatus.CANCELLED)
        where = (locked.shop.name if to == S.IN_TRANSIT else locked.ship_city)[:120]
        TrackingEvent.objects.bulk_create(
            TrackingEvent(package=p, at=at, location=where, description=scan) for p in parcels
        )
        parcels.update(status=PackageStatus(to), **fields)  # shipped_at / delivered_at: same names on both
    return locked


class _ShopPlay:
    """What the simulation needs per shop: profile, catalogue and (lazily, Faker is slow) buyers."""

    def __init__(self, shop):
        self.shop, self.spec = shop, spec_for(shop)
        self.catalog = [
            CatalogSku(s.product.product_id, s.product.name, s.sku_id, s.seller_sku, s.color, s.size, s.price)
            for s in Sku.objects.filter(product__shop=shop).select_related("product")
        ]
        if self.catalog:  # an order takes up to 4 different SKUs; tiny catalogues repeat themselves
            self.catalog *= -(-4 // len(self.catalog))
        self.order_life = None

    def life(self, now, rng, used_ids):
        if self.order_life is None:
            seed = rng.randrange(2**31)
            self.order_life = life.OrderLife(
                self.spec,
                self.shop.pk,
                self.catalog,
                build_buyers(self.spec, BUYERS_PER_SHOP, seed),
                build_foreign_addresses(self.spec, 20, seed),
                now,
                rng,
                used_ids,
            )
        self.order_life.now = now
        return self.order_life


def _each(items, step) -> int:
    """Run `step` on every item in one transaction; how many did something. Nothing to do: no write lock."""
    if not items:
        return 0
    with transaction.atomic():
        return sum(bool(step(item)) for item in items)


class Simulation:
    def __init__(self, shops, *, orders_per_tick=3, seed=None, batch=BATCH, rates=None):
        self.shops = [_ShopPlay(shop) for shop in shops]
        self.by_pk = {play.shop.pk: play for play in self.shops}
        self.orders_per_tick, self.batch = orders_per_tick, batch
        self.rates = {**BUYER_RATES, **(rates or {})}
        self.rng = random.Random(seed)
        self.used_ids: set[int] = set()
        self.ticks = 0
        self.writers = [
            (name, TableWriter(model, fields))
            for name, model, fields in (
                ("orders", Order, life.ORDER_FIELDS),
                ("lines", LineItem, life.LINE_FIELDS),
                ("history", StatusHistory, life.HISTORY_FIELDS),
            )
        ]

    @property
    def can_place(self):
        return any(play.catalog for play in self.shops)

    def tick(self, now=None) -> dict[str, int]:
        """One round of everything at `now` (aware); returns how many events of each kind happened."""
        now = now or timezone.now()
        counts = {
            "auto_cancelled": self._auto_cancel(now),
            "paid": self._pay(now),
            "released": self._release(now),
            "collected": self._collect(now),
            **dict(zip(("scans", "delivered"), self._transit(now))),
            "completed": self._complete(now),
        }
        # Buyer requests and new orders come last: an order placed now waits for the next tick.
        activity = max(self.orders_per_tick, 1)
        for kind, ask in (
            ("cancellation_requests", self._cancellation),
            ("return_requests", self._return),
            ("messages", self._message),
        ):
            counts[kind] = self._ask(now, ask, sum(self.rng.random() < self.rates[kind] for _ in range(activity)))
        counts["placed"] = self._place(now, self.orders_per_tick)
        self.ticks += 1
        return counts

    def _due(self, status, time_field, cutoff, refine=None):
        """Up to `batch` orders in `status` whose `time_field` is at or before `cutoff`, oldest first.

        Every time field is at or after created_at, so the created_at bound keeps the scan on the
        (shop, status, created_at) index. Shops take turns going first so a busy one cannot starve the rest.
        """
        start = self.ticks % len(self.shops) if self.shops else 0
        picked = []
        for play in self.shops[start:] + self.shops[:start]:
            left = self.batch - len(picked)
            if left <= 0:
                break
            query = Order.objects.filter(
                shop_id=play.shop.pk, status=status, **{"created_at__lte": cutoff, f"{time_field}__lte": cutoff}
            )
            picked += (refine(query) if refine else query).order_by(time_field, "pk")[:left]
        return picked

    # -- platform and carrier moves ------------------------------------------------------------------
    def _auto_cancel(self, now):
        reason = "Payment not received in time"
        return _each(
            self._due(S.UNPAID, "created_at", now - life.UNPAID_AUTO_CANCEL),
            lambda o: move(
                o,
                S.UNPAID,
                S.CANCELLED,
                at=now,
                actor_kind=ActorKind.SYSTEM,
                reason=reason,
                cancelled_at=now,
                cancel_reason=reason,
                cancellation_initiator=ActorKind.SYSTEM,
            ),
        )

    def _pay(self, now):
        # Never-payers are skipped in SQL so they cannot clog the oldest-first batch for 48 hours.
        # `%`, not Mod(): SQLite's MOD() goes through floats and garbles 18-digit ids.
        picked = self._due(
            S.UNPAID,
            "created_at",
            now - PAY_DELAY[0],
            lambda q: q.alias(rest=F("id") % NEVER_PAYS_ONE_IN).exclude(rest=0),
        )
        return _each(
            [o for o in picked if payment_due(o) <= now],
            lambda o: move(
                o,
                S.UNPAID,
                S.ON_HOLD,
                at=now,
                actor_kind=ActorKind.BUYER,
                reason="Payment confirmed",
                paid_at=now,
                rts_sla_at=now + life.SHIP_WITHIN[DeliveryOption(o.delivery_option)],
            ),
        )

    def _release(self, now):
        return _each(
            self._due(S.ON_HOLD, "paid_at", now - life.ON_HOLD_WINDOW),
            lambda o: move(
                o, S.ON_HOLD, S.AWAITING_SHIPMENT, at=now, actor_kind=ActorKind.SYSTEM, reason="On-hold window ended"
            ),
        )

    def _collect(self, now):
        # updated_at is when the seller arranged shipment (or later, after a note): a cheap lower bound.
        picked = self._due(S.AWAITING_COLLECTION, "updated_at", now - COLLECT_DELAY[0])
        arranged = dict(
            Package.objects.filter(order__in=[o.pk for o in picked])
            .exclude(status=PackageStatus.CANCELLED)
            .values("order")
            .annotate(at=Max("created_at"))
            .values_list("order", "at")
        )
        return _each(
            [o for o in picked if o.pk in arranged and arranged[o.pk] + fate(o.pk, 2, *COLLECT_DELAY) <= now],
            lambda o: carrier_move(
                o,
                S.AWAITING_COLLECTION,
                S.IN_TRANSIT,
                at=now,
                shipped_at=now,
                reason="Collected by carrier",
                scan="Parcel collected by the carrier",
            ),
        )

    def _transit(self, now):
        """Sorting-centre scans as parcels travel (no status change, so no lock), then delivery on the day."""
        picked = self._due(S.IN_TRANSIT, "shipped_at", now - HOUR)
        parcels = defaultdict(list)
        for parcel in (
            Package.objects.filter(order__in=[o.pk for o in picked])
            .exclude(status=PackageStatus.CANCELLED)
            .annotate(last=Max("events__at"))
        ):
            parcels[parcel.order_id].append(parcel)
        scans, arrived = [], []
        for order in picked:
            due = delivery_due(order)
            scans += [
                TrackingEvent(package=p, at=at, location=where, description=what)
                for p in parcels[order.pk]
                for at, where, what in tracking_plan(order, due)
                if (p.last or order.shipped_at) < at <= now
            ]
            if due <= now:
                arrived.append(order)
        if scans:
            with transaction.atomic():
                TrackingEvent.objects.bulk_create(scans)
        return len(scans), _each(
            arrived,
            lambda o: carrier_move(
                o,
                S.IN_TRANSIT,
                S.DELIVERED,
                at=now,
                delivered_at=now,
                reason="Delivered to the recipient",
                scan="Delivered",
            ),
        )

    def _complete(self, now):
        open_return = ReturnRequest.objects.filter(order=OuterRef("pk"), status__in=OPEN_RETURN_STATUSES)

        def complete(order):
            try:  # checked again under the lock: a buyer may have asked for a return since the pick
                if lock(order, S.DELIVERED).returns.filter(status__in=OPEN_RETURN_STATUSES).exists():
                    return None
            except ActionRefused:
                return None
            return move(
                order,
                S.DELIVERED,
                S.COMPLETED,
                at=now,
                actor_kind=ActorKind.SYSTEM,
                reason="Return window ended",
                completed_at=now,
            )

        return _each(
            self._due(S.DELIVERED, "delivered_at", now - life.RETURN_WINDOW, lambda q: q.filter(~Exists(open_return))),
            complete,
        )

    # -- buyers ----------------------------------------------------------------------------------------
    def _pick_shop(self, plays):
        return self.rng.choices(plays, [play.spec.weight for play in plays])[0]

    def _recent(self, status, query=None):
        """One of a random shop's latest orders in `status`, or None."""
        if not self.shops:
            return None
        shop = self._pick_shop(self.shops).shop
        candidates = list(
            (Order.objects if query is None else query)
            .filter(shop=shop, status=status)
            .order_by("-created_at", "-pk")[:RECENT]
        )
        return self.rng.choice(candidates) if candidates else None

    def _ask(self, now, ask, times) -> int:
        """`ask` picks an order and says what to write; one request per order and tick."""
        picks = {}
        for picked in filter(None, (ask(now) for _ in range(times))):
            picks.setdefault(picked[0].pk, picked)

        def write(picked):
            order, expected, create = picked
            try:
                locked = lock(order, expected)
            except ActionRefused:
                return False
            create(locked)
            # Not a status change, so no history row (the seed writes none either); but the order did change.
            locked.updated_at = now
            locked.save(update_fields=["updated_at"])
            return True

        return _each(list(picks.values()), write)

    def _cancellation(self, now):
        asked = CancellationRequest.objects.filter(order=OuterRef("pk"))
        order = self._recent(S.AWAITING_SHIPMENT, Order.objects.filter(~Exists(asked)))
        reason = self.rng.choice(life.BUYER_CANCEL_REASONS)
        return order and (
            order,
            S.AWAITING_SHIPMENT,
            lambda o: CancellationRequest.objects.create(
                order=o, initiator=ActorKind.BUYER, reason=reason, status=CancellationStatus.PENDING, requested_at=now
            ),
        )

    def _return(self, now):
        asked = ReturnRequest.objects.filter(order=OuterRef("pk"))
        order = self._recent(
            S.DELIVERED, Order.objects.filter(~Exists(asked), delivered_at__gte=now - life.RETURN_WINDOW)
        )
        if order is None:
            return None
        rng, unit = self.rng, self.by_pk[order.shop_id].spec.money_exponent
        kind = rng.choices(list(ReturnType), (50, 40, 5, 5))[0]
        line = rng.choice(list(order.lines.all()))
        paid = line.sale_price * line.quantity - line.platform_discount
        amount = paid if rng.random() < 0.6 else (paid * 3 / 10).quantize(unit)
        if kind in (ReturnType.REPLACEMENT, ReturnType.EXCHANGE):
            amount = ZERO
        reason = rng.choice(life.RETURN_REASONS)
        return (
            order,
            S.DELIVERED,
            lambda o: ReturnRequest.objects.create(
                order=o,
                initiator=ActorKind.BUYER,
                return_type=kind,
                reason=reason,
                requested_at=now,
                refund_amount=max(ZERO, min(amount, o.total - o.refunded_amount)),
            ),
        )

    def _message(self, now):
        for status in self.rng.sample(list(BUYER_MESSAGES), len(BUYER_MESSAGES)):
            order = self._recent(status)
            if order:
                body = self.rng.choice(BUYER_MESSAGES[status])
                return (
                    order,
                    status,
                    lambda o, body=body: OrderMessage.objects.create(
                        order=o, sender=ActorKind.BUYER, body=body, sent_at=now
                    ),
                )
        return None

    # -- new orders ----------------------------------------------------------------------------------
    def _place(self, now, count):
        plays = [play for play in self.shops if play.catalog]
        if not plays or count <= 0:
            return 0
        if len(self.used_ids) > 100_000:
            self.used_ids.clear()  # ids carry their millisecond: old ones cannot collide any more
        rows, moment = life.Rows(), naive_utc(now)
        for _ in range(count):
            self._pick_shop(plays).life(moment, self.rng, self.used_ids).build(moment, rows)
        # The seed's life of an order placed now stops at UNPAID; only its seller note would be the seller's move.
        note = life.ORDER_FIELDS.index("seller_note")
        rows.orders = [row[:note] + ("",) + row[note + 1 :] for row in rows.orders]
        with transaction.atomic(), connection.cursor() as cursor:
            for name, writer in self.writers:
                writer.write(cursor, getattr(rows, name))
        return len(rows)
