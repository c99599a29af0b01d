"""Reading the Analytics page's numbers back in tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import OrderFactory


def at(shop, text: str) -> datetime:
    """A local wall-clock time of the shop ('2026-03-10 23:59:59') as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(shop.time_zone))


def order(shop, when: str, **fields):
    created = at(shop, when)
    fields.setdefault("updated_at", created)
    return OrderFactory(shop=shop, created_at=created, **fields)


def dashboard(client, first: str, last: str, expect=200, **params):
    response = client.get("/analytics/", {"preset": "custom", "date_from": first, "date_to": last, **params})
    assert response.status_code == expect, response.content[:2000]
    return response


def table(response, name) -> list[list[str]]:
    return [[str(c) for c in row] for row in response.context["tables"][name].rows]


def kpi(response, metric, currency="") -> list[str]:
    """[this period, previous, change, last year, change] of one KPI row."""
    for row in table(response, "kpis"):
        if row[0] == metric and row[1] == currency:
            return row[2:]
    raise AssertionError(f"no KPI {metric} {currency}")
