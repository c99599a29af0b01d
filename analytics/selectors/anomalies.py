"""Anomalies in a period: read from the rollup, where they are judged as days are rolled up
(services.rollup.flag_anomalies; the rule is analytics.anomaly_rule)."""

from ..anomaly_rule import threshold
from ..models import RegionAnomaly
from .periods import Period, in_period


def region(a: RegionAnomaly) -> str:
    return f"{a.state}, {a.country}" if a.state else a.country


def find(period: Period) -> list[RegionAnomaly]:
    found = list(RegionAnomaly.objects.filter(in_period(period)).order_by("day", "-orders", "country", "state"))
    for a in found:
        a.region, a.threshold = region(a), threshold(a.baseline, a.mad)
    return found
