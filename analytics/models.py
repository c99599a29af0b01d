"""The daily rollup the dashboard reads: orders aggregated per shop and *local* calendar day.

Rebuilt from the orders by analytics.services.rollup (in SQL, one INSERT ... SELECT per table);
never edited by hand. Money is kept in integer minor units (cents) so that sums are exact on
SQLite (which stores decimals as floating point) as on PostgreSQL. A row holds one currency: the
shop's. "Orders" are orders placed (created) that day; GMV, units and revenue count the paid ones.
"""

from django.db import models


def _shop():
    return models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")


class DayShop(models.Model):
    """One shop's local day: the KPIs and the status funnel."""

    shop = _shop()
    day = models.DateField()
    orders = models.IntegerField()
    paid_orders = models.IntegerField()
    gmv_cents = models.BigIntegerField(help_text="Totals of the paid orders, in cents.")
    units = models.IntegerField(help_text="Quantities of the paid orders' lines.")
    shipped = models.IntegerField()
    delivered = models.IntegerField()
    completed = models.IntegerField()
    cancelled = models.IntegerField()
    refunded_orders = models.IntegerField()
    refunded_cents = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="analytics_dayshop_once")]


class DayRegion(models.Model):
    """Orders placed on one local day in one shop to one ship-to country and state."""

    shop = _shop()
    day = models.DateField()
    country = models.CharField(max_length=2)
    state = models.CharField(max_length=100, blank=True)
    orders = models.IntegerField()
    gmv_cents = models.BigIntegerField()

    class Meta:  # covering: a range of days is grouped from the index alone
        indexes = [
            models.Index(
                fields=["shop", "day", "country", "state", "orders", "gmv_cents"], name="analytics_region_covering"
            )
        ]


class DayHour(models.Model):
    """Orders placed in one local hour of one local day in one shop."""

    shop = _shop()
    day = models.DateField()
    hour = models.SmallIntegerField()
    orders = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["shop", "day", "hour", "orders"], name="analytics_hour_covering")]


class DayProduct(models.Model):
    """Units and revenue (line totals after discounts) of one SKU in the paid orders of a local day."""

    shop = _shop()
    day = models.DateField()
    product_id = models.CharField(max_length=32)
    sku_id = models.CharField(max_length=32)
    units = models.IntegerField()
    revenue_cents = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["shop", "day", "product_id", "sku_id", "units", "revenue_cents"],
                name="analytics_product_covering",
            )
        ]


class SkuName(models.Model):
    """The latest names a SKU was sold under (read only for the few SKUs in a top 10)."""

    shop = _shop()
    sku_id = models.CharField(max_length=32)
    product_id = models.CharField(max_length=32)
    product_name = models.CharField(max_length=255)
    sku_name = models.CharField(max_length=128, blank=True)
    seller_sku = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "sku_id"], name="analytics_skuname_once")]
        indexes = [models.Index(fields=["shop", "product_id"], name="analytics_skuname_product")]


class RegionAnomaly(models.Model):
    """A local day on which a region's orders exceeded its trailing baseline (analytics.anomaly_rule)."""

    shop = _shop()
    day = models.DateField()
    country = models.CharField(max_length=2)
    state = models.CharField(max_length=100, blank=True, help_text="Empty: the whole country.")
    orders = models.IntegerField()
    baseline = models.FloatField(help_text="Median of the previous days.")
    mad = models.FloatField(help_text="Median absolute deviation of the previous days.")

    class Meta:
        indexes = [models.Index(fields=["shop", "day"], name="analytics_anomaly_shop_day")]


class DirtyDay(models.Model):
    """A local day whose orders changed since it was rolled up (written by the signal receivers)."""

    shop = _shop()
    day = models.DateField()
    marked_at = models.DateTimeField(help_text="The latest mark: a refresh clears only the marks it has seen.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="analytics_dirty_once")]


class RollupState(models.Model):
    """What the rollup of a shop was built from: the shop's order count and latest update time.

    Writes that bypass the signals (bulk_create, queryset.update) change one or the other, and the
    next read refreshes the days they touched (see services.rollup.ensure_fresh)."""

    shop = models.OneToOneField("accounts.Shop", on_delete=models.CASCADE, primary_key=True, related_name="+")
    order_count = models.BigIntegerField(default=0)
    updated_max = models.DateTimeField(null=True)


class MonthProduct(models.Model):
    """DayProduct added up per calendar month: a long range reads whole months here, its edges by day."""

    shop = _shop()
    month = models.DateField(help_text="The first day of the month.")
    product_id = models.CharField(max_length=32)
    sku_id = models.CharField(max_length=32)
    units = models.IntegerField()
    revenue_cents = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["shop", "month", "product_id", "sku_id", "units", "revenue_cents"],
                name="analytics_mproduct_covering",
            )
        ]


class MonthRegion(models.Model):
    """DayRegion added up per calendar month."""

    shop = _shop()
    month = models.DateField(help_text="The first day of the month.")
    country = models.CharField(max_length=2)
    state = models.CharField(max_length=100, blank=True)
    orders = models.IntegerField()
    gmv_cents = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["shop", "month", "country", "state", "orders", "gmv_cents"], name="analytics_mregion_covering"
            )
        ]
