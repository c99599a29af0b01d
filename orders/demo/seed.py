"""Builds the demo data set: shops, catalogue, users and orders with their whole history."""

import random
import time
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection, transaction

from accounts.models import Shop
from orders import buyer_words
from orders.models import (
    CancellationRequest,
    LineItem,
    Order,
    Package,
    Product,
    ReturnRequest,
    Sku,
    StatusHistory,
    TrackingEvent,
)

from . import lifecycle as life
from .bulk_load import LoadReport, bulk_load
from .bulk_writer import TableWriter, naive_utc
from .calendar import live_tail, orders_per_day, placement_times, tail_times
from .catalog import build_catalog
from .people import build_buyers, build_foreign_addresses
from .shops import DEMO_SHOPS

BATCH_ORDERS = 20_000
BUYERS_PER_SHOP = 3_000
# From this many orders on, PostgreSQL drops the tables' secondary indexes and foreign keys for the
# load and builds them again after (orders/demo/bulk_load.py): at 1,000,000 orders that is minutes
# saved; below, keeping them costs little and other sessions can read on during the load.
REBUILD_INDEXES_FROM = 100_000


@dataclass
class SeedResult:
    shops: list
    orders_created: int
    seconds: float
    skipped_because_present: int = 0
    phases: list = field(default_factory=list)  # [(name, seconds)]: where the time went


def _writers():
    return [
        ("orders", TableWriter(Order, life.ORDER_FIELDS)),
        ("packages", TableWriter(Package, life.PACKAGE_FIELDS)),
        ("lines", TableWriter(LineItem, life.LINE_FIELDS)),
        ("events", TableWriter(TrackingEvent, life.EVENT_FIELDS)),
        ("history", TableWriter(StatusHistory, life.HISTORY_FIELDS)),
        ("cancellations", TableWriter(CancellationRequest, life.CANCELLATION_FIELDS)),
        ("returns", TableWriter(ReturnRequest, life.RETURN_FIELDS)),
    ]


def ensure_shops(count: int) -> list[Shop]:
    shops = []
    for spec in DEMO_SHOPS[:count]:
        shop, _ = Shop.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "country": spec.country,
                "currency": spec.currency,
                "time_zone": spec.time_zone,
            },
        )
        shops.append(shop)
    return shops


def ensure_catalog(shop: Shop, skus) -> None:
    if Product.objects.filter(shop=shop).exists():
        return
    products = {}
    for sku in skus:
        if sku.product_id not in products:
            products[sku.product_id] = Product(shop=shop, product_id=sku.product_id, name=sku.product_name, category="")
    Product.objects.bulk_create(products.values())
    by_id = {p.product_id: p for p in Product.objects.filter(shop=shop)}
    Sku.objects.bulk_create(
        Sku(
            product=by_id[s.product_id],
            sku_id=s.sku_id,
            seller_sku=s.seller_sku,
            color=s.color,
            size=s.size,
            price=s.price,
        )
        for s in skus
    )


def delete_orders(shops: list[Shop]) -> None:
    """Removes the shops' orders and everything hanging off them, table by table (fast at any size)."""
    shop_ids = [s.pk for s in shops]
    orders = Order.objects.filter(shop_id__in=shop_ids).values("pk")
    with transaction.atomic():
        TrackingEvent.objects.filter(package__order__in=orders)._raw_delete(connection.alias)
        for model in (LineItem, StatusHistory, CancellationRequest, ReturnRequest):
            model.objects.filter(order__in=orders)._raw_delete(connection.alias)
        Package.objects.filter(order__in=orders)._raw_delete(connection.alias)
        Order.objects.filter(shop_id__in=shop_ids)._raw_delete(connection.alias)


def seed_orders(
    shops: list[Shop], total: int, seed: int, now: datetime, progress=None, report: LoadReport | None = None
) -> int:
    """Writes `total` orders with their whole history; `report` receives the seconds per phase."""
    report = report or LoadReport()
    rng = random.Random(seed)
    used_ids: set[int] = set(Order.objects.values_list("pk", flat=True)) if Order.objects.exists() else set()
    now_naive = naive_utc(now)
    specs = DEMO_SHOPS[: len(shops)]
    lives, shares = [], []
    for index, (spec, shop) in enumerate(zip(specs, shops)):
        skus = build_catalog(spec, index, random.Random(seed * 1000 + index))
        ensure_catalog(shop, skus)
        buyers = build_buyers(spec, BUYERS_PER_SHOP, seed * 1000 + index)
        foreign = build_foreign_addresses(spec, 200, seed * 1000 + index)
        lives.append(life.OrderLife(spec, shop.pk, skus, buyers, foreign, now_naive, rng, used_ids))
        shares.append(spec.weight)
    per_shop = _split(total, shares)
    tails = [min(live_tail(n), n) for n in per_shop]
    schedules = [
        dict(orders_per_day(n - tail, now.astimezone(spec_tz(s)).date())) for n, tail, s in zip(per_shop, tails, specs)
    ]
    days = sorted(set().union(*schedules))
    writers = _writers()
    with bulk_load([w for _, w in writers], rebuild_indexes=total >= REBUILD_INDEXES_FROM, report=report):
        started = time.monotonic()
        written = _play(days, lives, specs, schedules, tails, rng, now_naive, writers, total, progress)
        _report_rows(report, writers, time.monotonic() - started)
    with report.timed("buyer words folded (the orders the triggers queued)"):
        buyer_words.catch_up()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {buyer_words.TABLE}")
    return written


def _play(days, lives, specs, schedules, tails, rng, now_naive, writers, total, progress) -> int:
    """Plays the orders day by day, in placement order, and writes them in batches."""
    rows = life.Rows()
    written = 0
    for day in days:
        placed = []
        for order_life, spec, schedule in zip(lives, specs, schedules):
            count = schedule.get(day, 0)
            placed += [(moment, order_life) for moment in placement_times(day, count, spec.time_zone, rng, now_naive)]
        if day == days[-1]:
            for order_life, tail in zip(lives, tails):
                placed += [(moment, order_life) for moment in tail_times(tail, rng, now_naive)]
        placed.sort(key=lambda item: item[0])
        for moment, order_life in placed:
            order_life.build(moment, rows)
        if len(rows) >= BATCH_ORDERS:
            written += _flush(writers, rows)
            rows = life.Rows()
            if progress:
                progress(written, total)
    if len(rows):  # else the last batch was flushed (and reported) in the loop
        written += _flush(writers, rows)
        if progress:
            progress(written, total)
    return written


def _report_rows(report: LoadReport, writers, seconds: float) -> None:
    writing = sum(w.seconds for _, w in writers)
    rows = sum(w.rows for _, w in writers)
    method = "COPY" if connection.vendor == "postgresql" else "executemany"
    report.add("orders played in Python", seconds - writing)
    report.add(f"{rows:,} rows written ({method})", writing)


def spec_tz(spec):
    return zoneinfo.ZoneInfo(spec.time_zone)


def _split(total: int, weights: list[int]) -> list[int]:
    parts = [total * w // sum(weights) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def _flush(writers, rows: life.Rows) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        for name, writer in writers:
            writer.write(cursor, getattr(rows, name))
    return len(rows)


def seed_demo(
    orders: int, shop_count: int, seed: int, now: datetime | None = None, reset: bool = False, progress=None
) -> SeedResult:
    started = time.monotonic()
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    shops = ensure_shops(shop_count)
    present = Order.objects.filter(shop__in=shops).count() if not reset else 0
    if present:
        return SeedResult(shops, 0, time.monotonic() - started, skipped_because_present=present)
    if reset:
        delete_orders(shops)
    report = LoadReport()
    created = seed_orders(shops, orders, seed, now, progress, report) if orders else 0
    return SeedResult(shops, created, time.monotonic() - started, phases=report.phases)
