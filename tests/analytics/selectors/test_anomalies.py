"""A planted spike in one state is flagged, listed, linked and marked on the chart; ordinary days are not."""

from datetime import date, timedelta

import pytest

from accounts.roles import Role

from ..helpers import dashboard, order, table

pytestmark = pytest.mark.django_db
SPIKE = date(2026, 3, 20)


@pytest.fixture
def planted(shop):
    first = SPIKE - timedelta(days=35)
    for i in range(36):
        day = first + timedelta(days=i)
        for n in range(1 + i % 3):  # 1 to 3 orders a day in California
            order(shop, f"{day} {8 + n:02d}:00")
        order(shop, f"{day} 12:00", ship_state="Nevada")  # one a day in Nevada
    for n in range(24):  # the spike: 24 more in Nevada on one day, late evening local time
        order(shop, f"{SPIKE} 22:{n:02d}", ship_state="Nevada")
    return shop


def test_a_planted_spike_is_flagged_and_an_ordinary_day_is_not(client, planted, member_of):
    client.force_login(member_of(planted, Role.ACCOUNTANT))
    page = dashboard(client, "2026-03-01", "2026-03-25", grain="day")
    rows = table(page, "anomalies")
    # Nevada: 25 orders against a median of 1 (MAD 0, taken as 1): threshold 7. The whole US: 28 against 3.
    assert [r[:4] for r in rows] == [
        ["2026-03-20", planted.name, "US", "28"],
        ["2026-03-20", planted.name, "Nevada, US", "25"],
    ]
    assert rows[1][4:] == ["1", "0", "7"]
    links = page.context["tables"]["anomalies"].links
    assert links[1] == (
        f"/orders/?preset=custom&date_from=2026-03-20&date_to=2026-03-20&country=US&state=Nevada&shop={planted.code}"
    )
    assert client.get(links[1]).status_code == 200  # the order list takes the filter as it is
    trend = page.context["tables"]["trend"]
    flagged = [row[0] for row in trend.rows if row[-1]]
    assert flagged == ["2026-03-20"]
    assert str(trend.chart).count('class="mark"') == 1 and "Anomaly: 20 Mar" in str(trend.chart)


def test_no_spike_no_anomaly(client, shop, member_of):
    for i in range(40):
        order(shop, f"{date(2026, 2, 1) + timedelta(days=i)} 10:00")
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    assert table(dashboard(client, "2026-03-01", "2026-03-10"), "anomalies") == []
