"""Days are the shop's local days, also across DST changes; the SQL bucketing agrees with zoneinfo."""

from datetime import UTC, datetime

import pytest

from accounts.roles import Role
from analytics.timezones import offsets
from tests.factories import ShopFactory

from .helpers import dashboard, kpi, order, table

pytestmark = pytest.mark.django_db


def test_offsets_change_at_the_exact_second():
    spans = offsets("America/Los_Angeles", datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC))
    assert spans == [(datetime(2026, 3, 8, 10, 0, tzinfo=UTC), -8 * 3600), (None, -7 * 3600)]
    assert offsets("Asia/Bangkok", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)) == [
        (None, 7 * 3600)
    ]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Jakarta", "Pacific/Chatham"])
def test_the_last_day_ends_at_local_midnight(client, member_of, zone):
    shop = ShopFactory(time_zone=zone)
    order(shop, "2026-03-01 00:00:00")  # first instant of the first day: in
    order(shop, "2026-03-31 23:59:59.999")  # last instant of the last day: in
    order(shop, "2026-04-01 00:00:00")  # the next day: out
    order(shop, "2026-02-28 23:59:59")  # the day before: out (the previous period's)
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    page = dashboard(client, "2026-03-01", "2026-03-31", grain="day")
    assert kpi(page, "Orders")[:2] == ["2", "1"]
    days = {row[0]: row[1] for row in table(page, "trend")}
    assert days["2026-03-01"] == "1" and days["2026-03-31"] == "1"
    hours = {row[0]: int(row[1]) for row in table(page, "hours")}
    assert hours["00:00"] == 1 and hours["23:00"] == 1


def test_a_dst_day_has_its_own_hours(client, member_of):
    """8 March 2026 in Los Angeles has 23 hours (02:00 does not exist); 1 November has 25 (01:00 twice)."""
    shop = ShopFactory(time_zone="America/Los_Angeles")
    for when in ("2026-03-08 00:30", "2026-03-08 01:59:59", "2026-03-08 03:00", "2026-03-08 23:30", "2026-03-09 00:00"):
        order(shop, when)
    # both 01:30s of 1 November: 08:30 UTC (PDT) and 09:30 UTC (PST)
    first, second = (datetime(2026, 11, 1, h, 30, tzinfo=UTC) for h in (8, 9))
    from tests.factories import OrderFactory

    for created in (first, second, datetime(2026, 11, 2, 7, 59, tzinfo=UTC), datetime(2026, 11, 2, 8, 0, tzinfo=UTC)):
        OrderFactory(shop=shop, created_at=created, updated_at=created)
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    march = dashboard(client, "2026-03-08", "2026-03-08")
    assert kpi(march, "Orders")[0] == "4"
    hours = {row[0]: int(row[1]) for row in table(march, "hours")}
    assert (hours["00:00"], hours["01:00"], hours["02:00"], hours["03:00"], hours["23:00"]) == (1, 1, 0, 1, 1)
    november = dashboard(client, "2026-11-01", "2026-11-01")
    assert kpi(november, "Orders")[0] == "3"  # 07:59 UTC on 2 Nov is 23:59 PST on 1 Nov; 08:00 UTC is the 2nd
    hours = {row[0]: int(row[1]) for row in table(november, "hours")}
    assert hours["01:00"] == 2 and hours["23:00"] == 1


def test_shops_in_different_zones_each_use_their_own_days(client, member_of):
    west = ShopFactory(time_zone="America/Los_Angeles")
    east = ShopFactory(time_zone="Asia/Tokyo")
    moment = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)  # 31 March 13:00 in LA, 1 April 05:00 in Tokyo
    from tests.factories import MembershipFactory, OrderFactory

    OrderFactory(shop=west, created_at=moment, updated_at=moment)
    OrderFactory(shop=east, created_at=moment, updated_at=moment)
    user = member_of(west, Role.ACCOUNTANT)
    MembershipFactory(shop=east, user=user, role=Role.ACCOUNTANT)
    client.force_login(user)
    assert kpi(dashboard(client, "2026-03-01", "2026-03-31"), "Orders")[0] == "1"
    assert kpi(dashboard(client, "2026-04-01", "2026-04-30"), "Orders")[0] == "1"
