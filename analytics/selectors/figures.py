"""Reads of the daily rollup: each a GROUP BY in the database over the shops' own local days.

Money comes back per shop (one currency each) and is added up per currency here, never across
currencies; Python only folds the already-grouped rows (a few per shop and day), never orders.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from ..models import DayHour, DayProduct, DayRegion, DayShop, MonthProduct, MonthRegion, SkuName
from .periods import Period, by_months, in_period

FUNNEL = [
    ("orders", "Placed"),
    ("paid_orders", "Paid"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
    ("refunded_orders", "Refunded"),
]
COUNTS = [name for name, _ in FUNNEL]


def money(cents: int) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


@dataclass
class Totals:
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    units: int = 0
    gmv: dict = field(default_factory=dict)  # currency -> Decimal
    paid: dict = field(default_factory=dict)  # currency -> paid orders
    refunded: dict = field(default_factory=dict)  # currency -> Decimal

    @property
    def aov(self) -> dict:
        return {
            c: (v / self.paid[c]).quantize(Decimal("0.01")) if self.paid.get(c) else None for c, v in self.gmv.items()
        }

    @property
    def cancellation_rate(self) -> Decimal | None:
        placed = self.counts["orders"]
        return (Decimal(self.counts["cancelled"] * 100) / placed).quantize(Decimal("0.1")) if placed else None


def totals(period: Period, currency_of: dict) -> Totals:
    result = Totals()
    for currency in sorted({currency_of[s] for s in period}):
        result.gmv[currency], result.paid[currency], result.refunded[currency] = Decimal("0.00"), 0, Decimal("0.00")
    rows = (
        DayShop.objects.filter(in_period(period))
        .values("shop_id")
        .order_by()
        .annotate(
            **{name: Sum(name) for name in COUNTS},
            gmv=Sum("gmv_cents"),
            refunded=Sum("refunded_cents"),
            units=Sum("units"),
        )
    )
    for row in rows:
        currency = currency_of[row["shop_id"]]
        for name in COUNTS:
            result.counts[name] += row[name] or 0
        result.gmv[currency] += money(row["gmv"])
        result.paid[currency] += row["paid_orders"] or 0
        result.refunded[currency] += money(row["refunded"])
        result.units += row["units"] or 0
    return result


def daily(period: Period) -> list[dict]:
    """[{shop_id, day, orders, gmv_cents}] for each shop's days that had orders."""
    return list(DayShop.objects.filter(in_period(period)).values("shop_id", "day", "orders", "gmv_cents"))


def by_hour(period: Period) -> list[int]:
    counts = [0] * 24
    for row in DayHour.objects.filter(in_period(period)).values("hour").order_by().annotate(n=Sum("orders")):
        counts[row["hour"]] = row["n"]
    return counts


def by_weekday(days: list[dict]) -> list[int]:
    counts = [0] * 7
    for row in days:
        counts[_as_date(row["day"]).weekday()] += row["orders"]
    return counts


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def bucket_of(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def series(
    current: list[dict], comparison: list[dict], shift: dict, grain: str, currency_of: dict, first: date, last: date
):
    """Buckets of the current period with the comparison period moved onto the same axis.

    shift: shop id -> days to add to a comparison day to land on the matching current day."""
    buckets = []
    day = first
    while day <= last:
        b = bucket_of(day, grain)
        if not buckets or buckets[-1] != b:
            buckets.append(b)
        day += timedelta(days=1)
    empty = lambda: {"orders": 0, "gmv": defaultdict(Decimal)}  # noqa: E731
    now, then = {b: empty() for b in buckets}, {b: empty() for b in buckets}
    for rows, target, moved in ((current, now, False), (comparison, then, True)):
        for row in rows:
            day = _as_date(row["day"]) + timedelta(days=shift[row["shop_id"]] if moved else 0)
            b = bucket_of(day, grain)
            if b in target and first <= day <= last:
                target[b]["orders"] += row["orders"]
                target[b]["gmv"][currency_of[row["shop_id"]]] += money(row["gmv_cents"])
    return buckets, now, then


def regions(period: Period, currency_of: dict):
    """Country rows and state rows: orders, paid orders and GMV per currency, largest first."""
    months, days = by_months(period)
    rows = [
        row
        for model, cond in ((MonthRegion, months), (DayRegion, days))
        for row in model.objects.filter(cond)
        .values("shop_id", "country", "state")
        .order_by()
        .annotate(orders=Sum("orders"), gmv=Sum("gmv_cents"))
    ]
    countries, states = {}, {}
    for row in rows:
        currency = currency_of[row["shop_id"]]
        for key, target in ((row["country"], countries), ((row["country"], row["state"]), states)):
            entry = target.setdefault(key, {"orders": 0, "gmv": defaultdict(Decimal)})
            entry["orders"] += row["orders"]
            entry["gmv"][currency] += money(row["gmv"])
    order = lambda item: (-item[1]["orders"], str(item[0]))  # noqa: E731
    return sorted(countries.items(), key=order), sorted(states.items(), key=order)


def products(period: Period, currency_of: dict) -> dict:
    """{"sku": [...], "product": [...]}: units and revenue of each SKU, and of each product (its SKUs added
    up: a product is one shop's, so one currency). One GROUP BY in the database, per SKU."""
    months, days = by_months(period)
    per_sku, per_product = {}, {}
    for model, cond in ((MonthProduct, months), (DayProduct, days)):
        rows = (
            model.objects.filter(cond)
            .values_list("shop_id", "product_id", "sku_id")
            .order_by()
            .annotate(units=Sum("units"), revenue=Sum("revenue_cents"))
        )
        for shop_id, product_id, sku_id, units, revenue in rows:
            entry = per_sku.setdefault(
                (shop_id, sku_id),
                {
                    "shop_id": shop_id,
                    "product_id": product_id,
                    "sku_id": sku_id,
                    "units": 0,
                    "revenue": 0,
                    "currency": currency_of[shop_id],
                },
            )
            entry["units"] += units
            entry["revenue"] += revenue
    for (shop_id, _), sku in per_sku.items():
        product_id, units, revenue = sku["product_id"], sku["units"], sku["revenue"]
        entry = per_product.setdefault(
            (shop_id, product_id),
            {"shop_id": shop_id, "product_id": product_id, "units": 0, "revenue": 0, "currency": currency_of[shop_id]},
        )
        entry["units"] += units
        entry["revenue"] += revenue
    return {"sku": list(per_sku.values()), "product": list(per_product.values())}


def top(rows, key: str, limit: int = 10):
    return sorted(rows, key=lambda r: (-r[key], r.get("sku_id", r["product_id"])))[:limit]


def name_rows(rows: list[dict], by: str) -> list[dict]:
    """The rows with their names and money as Decimal (names read for these few rows only)."""
    names = SkuName.objects.filter(shop_id__in={r["shop_id"] for r in rows})
    if by == "sku":
        found = {(n.shop_id, n.sku_id): n for n in names.filter(sku_id__in={r["sku_id"] for r in rows})}
        key = lambda r: (r["shop_id"], r["sku_id"])  # noqa: E731
    else:
        found = {(n.shop_id, n.product_id): n for n in names.filter(product_id__in={r["product_id"] for r in rows})}
        key = lambda r: (r["shop_id"], r["product_id"])  # noqa: E731
    out = []
    for r in rows:
        n = found.get(key(r))
        out.append(
            {
                **r,
                "revenue": money(r["revenue"]),
                "product_name": n.product_name if n else "",
                "sku_name": n.sku_name if n else "",
                "seller_sku": n.seller_sku if n else "",
            }
        )
    return out
