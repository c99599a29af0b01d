import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.statuses import OrderStatus
from tests.factories import LineItemFactory, OrderFactory, PackageFactory

pytestmark = pytest.mark.django_db
URL = reverse("order_list")


@pytest.fixture
def signed_in(client, shop, member_of):
    def sign_in(role=Role.ADMINISTRATOR, in_shop=None):
        client.force_login(member_of(in_shop or shop, role))
        return client

    return sign_in


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_lists_own_orders_with_tab_counts(signed_in, shop, other_shop):
    mine = OrderFactory(shop=shop, buyer_name="Alice Walker")
    OrderFactory(shop=shop, status=OrderStatus.UNPAID, paid_at=None)
    theirs = OrderFactory(shop=other_shop)
    page = signed_in().get(URL)
    assert page.status_code == 200
    text = page.text
    assert str(mine.pk) in text and str(theirs.pk) not in text
    assert "A*** W***" in text  # masked in the list until someone reveals that order
    counts = page.context["counts"]
    assert counts["all"] == 2 and counts["unpaid"] == 1 and counts["to_ship"] == 1


def test_items_column_shows_first_product_and_more(signed_in, shop):
    order = OrderFactory(shop=shop)
    LineItemFactory(order=order, product_name="Second thing")
    LineItemFactory(order=order, product_name="Third thing")
    assert "+2 more" in signed_in().get(URL).text


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.CUSTOMER_SERVICE, True),
        (Role.FULFILLMENT, False),
        (Role.ACCOUNTANT, False),
        (Role.VIEWER, False),
    ],
)
def test_buyer_name_masked_in_the_list_unless_revealed_by_a_pii_role(signed_in, shop, role, visible):
    order = OrderFactory(shop=shop, buyer_name="Alice Walker")
    OrderFactory(shop=shop, buyer_name="Bob Stone")
    client = signed_in(role)
    assert "Alice Walker" not in client.get(URL).text
    client.post(reverse("order_reveal_buyer", args=[order.pk]))
    text = client.get(URL).text
    assert ("Alice Walker" in text) is visible
    assert ("A*** W***" in text) is not visible
    assert "B*** S***" in text  # only the revealed order


def test_overdue_ship_by_is_marked(signed_in, shop):
    from datetime import timedelta

    from django.utils import timezone

    OrderFactory(shop=shop, rts_sla_at=timezone.now() - timedelta(hours=2))
    assert "Overdue" in signed_in().get(URL).text


def test_times_name_their_zone(signed_in, shop):
    OrderFactory(shop=shop)
    assert 'title="America/Los_Angeles"' in signed_in().get(URL).text


def test_chips_and_clear_all(signed_in, shop):
    OrderFactory(shop=shop)
    text = signed_in().get(URL, {"status": "AWAITING_SHIPMENT", "preset": "last_7d"}).text
    assert "Status: Awaiting shipment" in text and "Last 7 days" in text and "Clear all" in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "-3"}, "Page numbers start at 1"),
        ({"page": "abc"}, "whole number"),
        ({"page": "999999999"}, "far past the last page"),
        ({"page": "50"}, "past the last page"),
        ({"page": "600"}, "Only the first 10,000 matches"),
        ({"page_size": "7"}, "valid choice"),
        ({"sort": "buyer_password"}, "valid choice"),
        ({"date_from": "2026-02-30"}, "valid date"),
        ({"date_from": "2026-05-10", "date_to": "2026-05-01"}, "before the start"),
        ({"total_min": "lots"}, "number"),
        ({"status": "LOST"}, "valid choice"),
        ({"q": "x" * 500}, "at most 100"),
        ({"order_ids": "9999999999999999999"}, "not an order id"),
        ({"date_to": "9999-12-31"}, "Choose a date between"),
        ({"preset": "custom", "date_from": "0001-01-01"}, "Choose a date between"),
    ],
)
def test_bad_input_answers_400_with_a_reason(signed_in, shop, params, message):
    OrderFactory(shop=shop)
    response = signed_in().get(URL, params)
    assert response.status_code == 400
    assert message in response.text
    assert not response.context.get("table")  # never a silently wrong list


def test_sort_and_page_size(signed_in, shop):
    from decimal import Decimal

    cheap = OrderFactory(shop=shop, original_product_total=Decimal("5.00"))
    dear = OrderFactory(shop=shop, original_product_total=Decimal("500.00"))
    rows = signed_in().get(URL, {"sort": "-total", "page_size": "50"}).context["page"].rows
    assert rows == [dear, cheap]


@pytest.mark.parametrize("size", [20, 100])
def test_query_count_does_not_grow_with_the_page(signed_in, shop, size, django_assert_max_num_queries):
    for _ in range(25):
        order = OrderFactory(shop=shop)
        PackageFactory(order=order)
    client = signed_in()
    with django_assert_max_num_queries(24):
        assert client.get(URL, {"page_size": size}).status_code == 200


@pytest.mark.parametrize(
    ("params", "table", "common"),
    [
        ({"product": "hoodie"}, '"orders_product"', False),
        ({"product": "hoodie"}, '"orders_product"', True),
        ({"q": "TRK0077"}, '"orders_package"."tracking_number" =', False),
        ({"tracking": "TRK0077"}, '"orders_package"."tracking_number" =', False),
    ],
)
def test_a_search_reads_its_matches_once_per_page(signed_in, shop, monkeypatch, params, table, common):
    """The page's filterset and the tab counts' share the search: its lookups run once, not twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProductFactory

    if common:
        monkeypatch.setattr("orders.listing.limits.MATERIALISE_LIMIT", 1)  # matched by a correlated EXISTS
        monkeypatch.setattr("orders.listing.limits.BOUNDED_LIMIT", -1)
    ProductFactory(shop=shop, product_id="P-HOODIE", name="Fleece Hoodie")
    hoodies = [OrderFactory(shop=shop, line=None) for _ in range(3)]
    for order in hoodies:
        LineItemFactory(order=order, product_id="P-HOODIE", product_name="Fleece Hoodie")
    PackageFactory(order=hoodies[0], tracking_number="TRK0077")
    client = signed_in()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert sum(table in query["sql"] for query in captured) == 1
    expected = hoodies if "product" in params else hoodies[:1]
    assert {order.pk for order in response.context["page"].rows} == {order.pk for order in expected}
    assert response.context["counts"]["all"] == len(expected)


def test_counts_are_capped(signed_in, shop, monkeypatch):
    monkeypatch.setattr("orders.listing.limits.TAB_COUNT_CAP", 3)
    for _ in range(5):
        OrderFactory(shop=shop)
    client = signed_in()
    response = client.get(URL, {"page_size": 20})
    page = response.context["page"]
    assert page.count == 4 and page.count_is_capped and page.last_number is None
    assert "3+" in response.text and len(page.rows) == 5


def test_next_page_is_known_without_counting(signed_in, shop):
    for _ in range(21):
        OrderFactory(shop=shop)
    client = signed_in()
    first = client.get(URL).context["page"]
    second = client.get(URL, {"page": 2}).context["page"]
    assert first.has_next and not second.has_next and len(second.rows) == 1
    assert client.get(URL, {"page": 3}).status_code == 400


def test_user_without_shops_is_refused_with_the_reason(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    response = client.get(URL)
    assert response.status_code == 403 and "View orders" in response.text


@pytest.mark.parametrize(
    "params", [{"tab": ""}, {"tab": ["all", ""]}, {"q": "9223372036854775808"}, {"date_field": ""}]
)
def test_odd_but_harmless_input_is_not_an_error(signed_in, shop, params):
    OrderFactory(shop=shop)
    assert signed_in().get(URL, params).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 400), (Role.ACCOUNTANT, 400), (Role.FULFILLMENT, 400), (Role.CUSTOMER_SERVICE, 200)],
)
def test_buyer_search_needs_the_buyer_data_permission(signed_in, shop, role, status):
    OrderFactory(shop=shop, buyer_email="alice.secret@example.com")
    response = signed_in(role).get(URL, {"buyer": "alice.secret@example.com"})
    assert response.status_code == status
    if status == 400:
        assert "may not search by buyer details" in response.text


def test_removing_a_date_chip_removes_the_whole_range(signed_in, shop):
    OrderFactory(shop=shop)
    chips = signed_in().get(URL, {"preset": "custom", "date_from": "2026-01-01", "status": "UNPAID"}).context["chips"]
    for chip in chips:
        if "From" in chip.label or "Range" in chip.label:
            assert "preset" not in chip.remove_url and "date_from" not in chip.remove_url
            assert "status=UNPAID" in chip.remove_url
