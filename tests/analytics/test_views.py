import csv
import io

import pytest

from accounts.roles import Role

from .helpers import dashboard, order, table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CUSTOMER_SERVICE, Role.FULFILLMENT, Role.VIEWER])
def test_a_role_without_the_analytics_permission_gets_403(client, shop, member_of, role):
    client.force_login(member_of(shop, role))
    assert client.get("/analytics/").status_code == 403
    assert client.get("/analytics/trend.csv").status_code == 403
    assert b'href="/analytics/"' not in client.get("/orders/").content  # and no menu entry


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.ADMINISTRATOR])
def test_roles_with_the_permission_see_the_page_and_the_menu_entry(client, shop, member_of, role):
    client.force_login(member_of(shop, role))
    response = client.get("/analytics/")
    assert response.status_code == 200
    assert b'href="/analytics/"' in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/analytics/").status_code == 302


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"preset": "custom", "date_from": "2026-03-10", "date_to": "2026-03-01"},
            "The end date is before the start date",
        ),
        ({"preset": "custom", "date_from": "2026-03-10"}, "needs both a start and an end date"),
        ({"preset": "custom"}, "needs both a start and an end date"),
        ({"preset": "custom", "date_from": "2020-01-01", "date_to": "2026-03-01"}, "at most 1098 days"),
        ({"preset": "this_year", "date_from": "2026-01-01", "date_to": "2026-01-02"}, "Choose “Custom”"),
        ({"preset": "custom", "date_from": "1900-01-01", "date_to": "1900-01-02"}, "Choose a date between"),
        ({"preset": "custom", "date_from": "2026-02-30", "date_to": "2026-03-01"}, "Enter a valid date"),
        ({"preset": "last_24h"}, "Select a valid choice"),
        ({"preset": "fortnight"}, "Select a valid choice"),
        ({"grain": "hour"}, "Select a valid choice"),
        ({"compare": "tomorrow"}, "Select a valid choice"),
        ({"shop": "GCP_NOT_MINE"}, "Select a valid choice"),
    ],
)
def test_bad_range_input_gives_a_clear_400(client, shop, member_of, params, message):
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    response = client.get("/analytics/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_response = client.get("/analytics/kpis.csv", params)
    assert csv_response.status_code == 400 and message in csv_response.content.decode()


def test_another_shops_code_is_refused_not_shown(client, shop, other_shop, member_of):
    order(other_shop, "2026-03-02 10:00")
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    response = client.get("/analytics/", {"shop": other_shop.code})
    assert response.status_code == 400


def test_only_the_users_shops_are_counted(client, shop, other_shop, member_of):
    order(shop, "2026-03-02 10:00")
    order(other_shop, "2026-03-02 10:00")
    order(other_shop, "2026-03-03 10:00")
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    response = dashboard(client, "2026-03-01", "2026-03-31")
    assert table(response, "kpis")[0][:3] == ["Orders", "", "1"]


NAMES = [
    "kpis",
    "trend",
    "products_revenue",
    "products_units",
    "skus_revenue",
    "skus_units",
    "countries",
    "states",
    "funnel",
    "hours",
    "weekdays",
    "anomalies",
]


def test_every_csv_download_matches_its_table(client, shop, member_of):
    order(shop, "2026-03-02 10:00", ship_state="Nevada", line__product_name="=HYPERLINK(1)")
    order(shop, "2026-03-05 18:00", total=0, original_product_total=0, shipping_fee=0)
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    page = dashboard(client, "2026-03-01", "2026-03-31")
    for name in NAMES:
        response = client.get(
            f"/analytics/{name}.csv", {"preset": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        expected = [[c if not c.startswith("=") else "'" + c for c in row] for row in table(page, name)]
        assert rows == [page.context["tables"][name].headers, *expected], name
    assert client.get("/analytics/nothing.csv").status_code == 404


def test_every_chart_is_accessible_and_has_no_inline_style(client, shop, member_of):
    order(shop, "2026-03-02 10:00")
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    html = dashboard(client, "2026-03-01", "2026-03-31").content.decode()
    assert html.count("<svg") >= 7  # trend, GMV per currency, countries, states, funnel, hours, weekdays
    assert html.count("<svg") == html.count("<title id=") == html.count("<desc id=")
    assert html.count('aria-labelledby="chart-') == html.count("<svg")
    assert ' style="' not in html and "<script" not in html
    assert "css/analytics.css" in html
