"""Writes of the daily rollup (analytics.models): rebuilt per shop and local day from the orders.

How it stays correct as orders change:
- every ORM save or delete of an order or a line item (status transitions, refunds, notes: all
  go through Order.save in orders.services.transitions.record) marks the order's local day dirty
  (analytics.receivers), in the same transaction as the change;
- writes that bypass the signals (bulk_create by the demo seed, queryset.update) change the shop's
  order count or latest `updated_at`, which RollupState remembers: the next read refreshes the
  days of the orders updated since, and rebuilds the shop when the count still disagrees;
- before the dashboard reads, `ensure_fresh` re-aggregates the dirty days (a few thousand orders
  at most per day, through the (shop, created_at) index) and clears the marks.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from accounts.models import Shop
from orders.date_ranges import days_to_utc
from orders.models import Order

from .. import anomaly_rule
from ..models import (
    DayHour,
    DayProduct,
    DayRegion,
    DayShop,
    DirtyDay,
    MonthProduct,
    MonthRegion,
    RegionAnomaly,
    RollupState,
    SkuName,
)
from ..timezones import LocalTime

PAID = "o.paid_at IS NOT NULL"


def _cents(expr: str) -> str:
    return f"CAST(ROUND({expr} * 100) AS BIGINT)"


def _flag(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


def _statements(shop: Shop, start: datetime, end: datetime) -> list[str]:
    local = LocalTime(connection.vendor, "o.created_at", shop.time_zone, start, end)
    day, hour = local.day(), local.hour()
    where = "o.shop_id = %s AND o.created_at >= %s AND o.created_at < %s"
    gmv = f"SUM(CASE WHEN {PAID} THEN {_cents('o.total')} ELSE 0 END)"
    units = "(SELECT COALESCE(SUM(l.quantity), 0) FROM orders_lineitem l WHERE l.order_id = o.id)"
    lines = f"FROM orders_lineitem l JOIN orders_order o ON o.id = l.order_id WHERE {where} AND {PAID}"
    return [
        f"""INSERT INTO analytics_dayshop (shop_id, day, orders, paid_orders, gmv_cents, units, shipped, delivered,
                completed, cancelled, refunded_orders, refunded_cents)
            SELECT o.shop_id, {day}, COUNT(*), {_flag(PAID)}, {gmv}, SUM(CASE WHEN {PAID} THEN {units} ELSE 0 END),
                {_flag("o.shipped_at IS NOT NULL")}, {_flag("o.delivered_at IS NOT NULL")},
                {_flag("o.status = 'COMPLETED'")}, {_flag("o.status = 'CANCELLED'")},
                {_flag("o.refunded_amount > 0")}, SUM({_cents("o.refunded_amount")})
            FROM orders_order o WHERE {where} GROUP BY 1, 2""",
        f"""INSERT INTO analytics_dayregion (shop_id, day, country, state, orders, gmv_cents)
            SELECT o.shop_id, {day}, o.ship_country, o.ship_state, COUNT(*), {gmv}
            FROM orders_order o WHERE {where} GROUP BY 1, 2, 3, 4""",
        f"""INSERT INTO analytics_dayhour (shop_id, day, hour, orders)
            SELECT o.shop_id, {day}, {hour}, COUNT(*) FROM orders_order o WHERE {where} GROUP BY 1, 2, 3""",
        f"""INSERT INTO analytics_dayproduct (shop_id, day, product_id, sku_id, units, revenue_cents)
            SELECT o.shop_id, {day}, l.product_id, l.sku_id, SUM(l.quantity), SUM({_cents("l.original_price")}
                * l.quantity - {_cents("l.seller_discount")} - {_cents("l.platform_discount")})
            {lines} GROUP BY 1, 2, 3, 4""",
        f"""INSERT INTO analytics_skuname (shop_id, sku_id, product_id, product_name, sku_name, seller_sku)
            SELECT o.shop_id, l.sku_id, MAX(l.product_id), MAX(l.product_name), MAX(l.sku_name), MAX(l.seller_sku)
            {lines} GROUP BY o.shop_id, l.sku_id
            ON CONFLICT (shop_id, sku_id) DO UPDATE SET product_id = excluded.product_id,
                product_name = excluded.product_name, sku_name = excluded.sku_name, seller_sku = excluded.seller_sku""",
    ]


def _param(moment: datetime):
    """A UTC instant as the column stores it (SQLite: text without offset)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.vendor == "sqlite" else moment


@transaction.atomic
def refresh_days(shop: Shop, first: date, last: date) -> None:
    """Re-aggregate the shop's local days [first, last] from its orders."""
    bounds = days_to_utc(first, last, shop.tzinfo)
    for model in (DayShop, DayRegion, DayHour, DayProduct):
        model.objects.filter(shop=shop, day__gte=first, day__lte=last).delete()
    with connection.cursor() as cursor:
        for sql in _statements(shop, bounds.start, bounds.end):
            cursor.execute(sql, [shop.pk, _param(bounds.start), _param(bounds.end)])
    _months(shop, first, last)
    flag_anomalies(shop, first, last + timedelta(days=anomaly_rule.WINDOW))


def _months(shop: Shop, first: date, last: date) -> None:
    """Re-add the months that [first, last] touches from the daily rows."""
    start, end = first.replace(day=1), next_month(last.replace(day=1))
    month = "substr(day, 1, 7) || '-01'" if connection.vendor == "sqlite" else "CAST(date_trunc('month', day) AS DATE)"
    MonthProduct.objects.filter(shop=shop, month__gte=start, month__lt=end).delete()
    MonthRegion.objects.filter(shop=shop, month__gte=start, month__lt=end).delete()
    where = "shop_id = %s AND day >= %s AND day < %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO analytics_monthproduct (shop_id, month, product_id, sku_id, units, revenue_cents)
            SELECT shop_id, {month}, product_id, sku_id, SUM(units), SUM(revenue_cents) FROM analytics_dayproduct
            WHERE {where} GROUP BY 1, 2, 3, 4""",
            [shop.pk, start, end],
        )
        cursor.execute(
            f"""INSERT INTO analytics_monthregion (shop_id, month, country, state, orders, gmv_cents)
            SELECT shop_id, {month}, country, state, SUM(orders), SUM(gmv_cents) FROM analytics_dayregion
            WHERE {where} GROUP BY 1, 2, 3, 4""",
            [shop.pk, start, end],
        )


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def flag_anomalies(shop: Shop, first: date, last: date) -> None:
    """Re-judge the shop's regions on days [first, last] (a day's change moves the next WINDOW days' baselines)."""
    base = first - timedelta(days=anomaly_rule.WINDOW)
    rows = DayRegion.objects.filter(shop=shop, day__gte=base, day__lte=last).values_list(
        "country", "state", "day", "orders"
    )
    length = (last - base).days + 1
    history = DayShop.objects.filter(shop=shop).order_by("day").values_list("day", flat=True).first()
    judge_from = (history - base).days + anomaly_rule.WINDOW if history else length
    series = defaultdict(lambda: [0] * length)  # (country, state or "") -> orders per day from `base`
    for country, state, day, orders in rows:
        i = (day - base).days
        series[(country, "")][i] += orders
        if state:
            series[(country, state)][i] += orders
    found = [
        RegionAnomaly(
            shop=shop, day=base + timedelta(days=i), country=country, state=state, orders=n, baseline=middle, mad=mad
        )
        for (country, state), counts in series.items()
        for i, n, middle, mad in anomaly_rule.scan(counts, anomaly_rule.WINDOW, judge_from)
    ]
    RegionAnomaly.objects.filter(shop=shop, day__gte=first, day__lte=last).delete()
    RegionAnomaly.objects.bulk_create(found, batch_size=1000)


def local_day(shop: Shop, moment: datetime) -> date:
    return moment.astimezone(shop.tzinfo).date()


def _days_of(shop: Shop, moments) -> set[date]:
    return {local_day(shop, m) for m in moments}


def _refresh_set(shop: Shop, days: set[date]) -> None:
    """Few days one by one; many (a bulk change) as one span."""
    if not days:
        return
    if len(days) <= 7:
        for day in sorted(days):
            refresh_days(shop, day, day)
    else:
        refresh_days(shop, min(days), max(days))


@transaction.atomic
def rebuild_shop(shop: Shop, observed=None) -> None:
    """Everything of one shop, from scratch (after a bulk load, or by `manage.py rebuild_analytics`).
    `observed`: the (count, latest update) read before, so that a write during the rebuild is seen next time."""
    observed = observed or _observed(shop)
    for model in (DayShop, DayRegion, DayHour, DayProduct, MonthProduct, MonthRegion, SkuName, RegionAnomaly, DirtyDay):
        model.objects.filter(shop=shop).delete()
    orders = Order.objects.filter(shop=shop).order_by()
    first = orders.order_by("created_at").values_list("created_at", flat=True).first()
    if first is not None:
        last = orders.order_by("-created_at").values_list("created_at", flat=True).first()
        refresh_days(shop, local_day(shop, first), local_day(shop, last))
    _remember(shop, observed)


def _remember(shop: Shop, observed) -> None:
    count, newest = observed
    RollupState.objects.update_or_create(shop=shop, defaults={"order_count": count, "updated_max": newest})


def _observed(shop: Shop):
    """The shop's order count and latest update time (two index reads)."""
    orders = Order.objects.filter(shop=shop).order_by()
    return orders.count(), orders.aggregate(m=Max("updated_at"))["m"]


def _is_fresh(shop: Shop, state: RollupState | None, observed) -> bool:
    return (
        state is not None
        and observed == (state.order_count, state.updated_max)
        and not DirtyDay.objects.filter(shop=shop).exists()
    )


def ensure_fresh(shops) -> None:
    """Bring the rollup of `shops` up to date with their orders (see the module's note).

    One refresher per shop at a time (the shop's row is locked); a day's dirty mark is cleared only if
    it was not marked again meanwhile (its `marked_at` moved), so a change committed during a refresh
    is refreshed by the next read rather than lost."""
    states = {s.shop_id: s for s in RollupState.objects.filter(shop__in=shops)}
    for shop in shops:
        if _is_fresh(shop, states.get(shop.pk), _observed(shop)):
            continue
        with transaction.atomic():
            Shop.objects.select_for_update().filter(pk=shop.pk).first()
            state = RollupState.objects.filter(shop=shop).first()
            observed = _observed(shop)
            if state is None:
                rebuild_shop(shop, observed)
                continue
            if _is_fresh(shop, state, observed):
                continue  # another request refreshed it meanwhile
            marks = dict(DirtyDay.objects.filter(shop=shop).values_list("day", "marked_at"))
            dirty = set(marks)
            count, newest = observed
            if newest is not None and (state.updated_max is None or newest > state.updated_max):
                since = Order.objects.filter(shop=shop).order_by()
                if state.updated_max:
                    since = since.filter(updated_at__gt=state.updated_max)
                dirty |= _days_of(shop, since.values_list("created_at", flat=True).iterator())
            _refresh_set(shop, dirty)
            for day, marked_at in marks.items():
                DirtyDay.objects.filter(shop=shop, day=day, marked_at__lte=marked_at).delete()
            rolled = DayShop.objects.filter(shop=shop).aggregate(n=Sum("orders"))["n"] or 0
            if count != rolled:
                rebuild_shop(shop, observed)  # orders deleted or inserted with old update times: start again
            else:
                _remember(shop, observed)


def mark_dirty(shop_id: int, days) -> None:
    now = timezone.now()
    DirtyDay.objects.bulk_create(
        [DirtyDay(shop_id=shop_id, day=d, marked_at=now) for d in set(days)],
        update_conflicts=True,
        unique_fields=["shop", "day"],
        update_fields=["marked_at"],
    )
