"""Django admin's changelists of the big tables read only what an index serves: no COUNT of the whole
table, no MIN/MAX or DISTINCT over it (date hierarchy, value-listing filters), a bounded number of
queries, and searches as equalities or ranges."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.statuses import OrderStatus
from sellercenter.admin_big_tables import BoundedCountPaginator
from tests.factories import (
    AuditEventFactory,
    CancellationRequestFactory,
    OrderFactory,
    PackageFactory,
    ReturnRequestFactory,
    TrackingEventFactory,
    UserFactory,
    WebhookDeliveryFactory,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 8  # session, user, second factor, a filter's shops, the bounded count, the page (+ slack)

BIG = {
    "admin:orders_order_changelist": "orders_order",
    "admin:orders_package_changelist": "orders_package",
    "admin:orders_trackingevent_changelist": "orders_trackingevent",
    "admin:orders_cancellationrequest_changelist": "orders_cancellationrequest",
    "admin:orders_returnrequest_changelist": "orders_returnrequest",
    "admin:accounts_auditevent_changelist": "accounts_auditevent",
    "admin:partner_api_webhookdelivery_changelist": "partner_api_webhookdelivery",
}
QUERIES = {  # each changelist's searches and filters, besides its first page
    "admin:orders_order_changelist": [
        {"q": "12345"},
        {"q": "Michael"},
        {"q": "a@example.com"},
        {"status__exact": OrderStatus.AWAITING_SHIPMENT},
        {"p": "2"},
    ],
    "admin:orders_package_changelist": [{"q": "1Z999"}],
    "admin:orders_trackingevent_changelist": [{"q": "1Z999"}],
    "admin:orders_cancellationrequest_changelist": [{"status__exact": "CANCELLATION_REQUEST_PENDING"}],
    "admin:orders_returnrequest_changelist": [{"q": "12345"}],
    "admin:accounts_auditevent_changelist": [{"kind__exact": "sign_in"}, {"q": "root"}],
    "admin:partner_api_webhookdelivery_changelist": [
        {"status__exact": "pending"},
        {"event_type": "ORDER_STATUS_CHANGE"},
    ],
}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows(shop):
    for _ in range(3):
        order = OrderFactory(shop=shop, buyer_name="Michael Tan")
        TrackingEventFactory(package=PackageFactory(order=order))
        CancellationRequestFactory(order=order)
        ReturnRequestFactory(order__shop=shop)
        AuditEventFactory(shop=shop, shop_name=shop.name)
        WebhookDeliveryFactory()


def whole_table_reads(sql: str, table: str) -> list[str]:
    """What in one statement reads `table` whole: an unbounded COUNT, MIN/MAX, DISTINCT."""
    found = []
    if f'"{table}"' not in sql:
        return found
    if re.search(r"\b(MIN|MAX)\(", sql):
        found.append("MIN/MAX")
    if "DISTINCT" in sql:
        found.append("DISTINCT")
    if re.search(r"COUNT\(", sql) and not re.search(r"\bLIMIT\b", sql):
        found.append("unbounded COUNT")
    return found


@pytest.mark.parametrize("url_name", list(BIG))
def test_big_changelists_never_read_their_table_whole(admin_client, rows, url_name):
    for params in [{}, *QUERIES[url_name]]:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(reverse(url_name), params)
        assert response.status_code == 200, (params, response.status_code)
        statements = [q["sql"] for q in captured.captured_queries]
        problems = [(problem, sql) for sql in statements for problem in whole_table_reads(sql, BIG[url_name])]
        assert not problems, (params, problems)
        assert len(statements) <= MAX_QUERIES, (params, statements)


def test_order_search_matches_id_email_and_name_start_through_indexed_lookups(admin_client, shop):
    michael = OrderFactory(shop=shop, buyer_name="Michael Tan", buyer_email="mt@example.com")
    other = OrderFactory(shop=shop, buyer_name="Ana Michaels", buyer_email="ana@example.com")
    url = reverse("admin:orders_order_changelist")

    def found(term):
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get(url, {"q": term}).text
        assert not any(
            "LIKE" in q["sql"] or "UPPER(" in q["sql"] for q in captured.captured_queries if "orders_order" in q["sql"]
        )
        return {order.pk for order in (michael, other) if f">{order.pk}<" in page}

    assert found("Michael") == {michael.pk}  # the name's start only
    assert found("ana@example.com") == {other.pk}
    assert found(str(other.pk)) == {other.pk}
    assert found("nobody") == set()


def test_the_page_count_stops_at_the_cap(admin_client, shop, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "cap", 2)
    for _ in range(3):
        OrderFactory(shop=shop)
    page = admin_client.get(reverse("admin:orders_order_changelist")).text
    assert "2+ orders" in page


def test_the_order_changelist_has_no_date_hierarchy_or_facets(admin_client, shop):
    OrderFactory(shop=shop)
    page = admin_client.get(reverse("admin:orders_order_changelist"), {"_facets": "True"}).text
    assert 'class="xfull"' not in page  # the date hierarchy's bar
    assert "By created at" in page  # the fixed-choice date filter instead


def test_a_search_term_a_field_cannot_hold_skips_that_field(admin_client, shop):
    package = PackageFactory(order__shop=shop, tracking_number="9400000000000000000000")  # past a bigint
    page = admin_client.get(reverse("admin:orders_package_changelist"), {"q": package.tracking_number})
    assert page.status_code == 200 and package.tracking_number in page.text
