"""The Exports page and the order list's Export buttons: bad input refused with a reason and nothing
made, small exports downloaded at once with the right rows, who may export, and the audit trail."""

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEvent, AuditKind
from accounts.roles import Role
from exports.models import ExportJob
from orders.statuses import OrderStatus
from tests.factories import ExportJobFactory, MembershipFactory, OrderFactory, ShopFactory

from .conftest import EXPORTS_URL, FROM_LIST_URL, as_dicts, body_of, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

MARCH = {
    "preset": "custom",
    "date_from": "2026-03-01",
    "date_to": "2026-03-31",
    "date_field": "created",
    "format": "csv",
    "layout": "lines",
}
NO_EXPORT_ROLES = [Role.VIEWER, Role.FULFILLMENT, Role.CUSTOMER_SERVICE]


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("at", "id"))


def files_written():
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def ids_in(response):
    data = body_of(response)
    rows = xlsx_rows(data) if response["Content-Type"].startswith("application/vnd") else csv_rows(data)
    return sorted(row["Order ID"].strip('="') for row in as_dicts(rows))


def ids(*orders):
    return sorted(str(o.pk) for o in orders)


def local(zone, *args):
    return datetime(*args, tzinfo=ZoneInfo(zone))


# Bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"preset": ""}, "Choose a date range", id="no-range"),
        pytest.param({"date_from": "2026-02-30"}, "Enter a valid date.", id="invalid-date"),
        pytest.param(
            {"date_from": "2026-03-31", "date_to": "2026-03-01"},
            "The end date is before the start date.",
            id="end-before-start",
        ),
        pytest.param(
            {"date_from": "2025-03-01", "date_to": "2026-03-02"}, "An export covers at most 366 days", id="367-days"
        ),
        pytest.param({"format": "pdf"}, "Choose CSV for Excel, plain CSV or XLSX.", id="unknown-format"),
        pytest.param({"layout": "sideways"}, "Choose one row per order line or per order.", id="unknown-layout"),
        pytest.param({"shops": ["GCP_NOT_MINE"]}, "Select a valid choice", id="unknown-shop"),
    ],
)
def test_bad_input_answers_400_with_the_reason_and_makes_nothing(signed_in, shop, changes, message):
    OrderFactory(shop=shop, created_at=local("America/Los_Angeles", 2026, 3, 5, 12))
    response = signed_in().post(EXPORTS_URL, {**MARCH, **changes})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert message in response.text
    assert not ExportJob.objects.exists()
    assert files_written() == []
    assert not events(AuditKind.EXPORT_CREATED)


def test_the_page_shows_the_form_and_the_limits(signed_in):
    page = signed_in().get(EXPORTS_URL)
    assert page.status_code == 200
    assert "Export orders" in page.text and "No exports yet." in page.text
    assert "5,000" in page.text and "366 days" in page.text
    assert 'http-equiv="refresh"' not in page.text  # nothing running: no refresh


# Small exports from the Exports page ------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Jakarta", "Australia/Sydney"])
def test_the_range_is_in_the_shop_zone_and_its_end_day_is_inclusive(client, member_of, zone):
    shop = ShopFactory(time_zone=zone)
    client.force_login(member_of(shop, Role.ACCOUNTANT))
    first = OrderFactory(shop=shop, created_at=local(zone, 2026, 3, 1, 0, 0, 0))
    last = OrderFactory(shop=shop, created_at=local(zone, 2026, 3, 31, 23, 59, 0))
    very_last = OrderFactory(shop=shop, created_at=local(zone, 2026, 3, 31, 23, 59, 59, 999000))
    OrderFactory(shop=shop, created_at=local(zone, 2026, 2, 28, 23, 59, 59))  # the day before
    OrderFactory(shop=shop, created_at=local(zone, 2026, 4, 1, 0, 0, 0))  # the day after
    response = client.post(EXPORTS_URL, MARCH)
    assert response.status_code == 200
    assert ids_in(response) == ids(first, last, very_last)


def test_each_shop_in_one_export_has_its_range_in_its_own_zone(client, member_of):
    west, east = ShopFactory(time_zone="America/Los_Angeles"), ShopFactory(time_zone="Asia/Jakarta")
    user = member_of(west, Role.ACCOUNTANT)
    MembershipFactory(user=user, shop=east, role=Role.ACCOUNTANT)
    inside = [OrderFactory(shop=shop, created_at=local(shop.time_zone, 2026, 3, 31, 23, 30)) for shop in (west, east)]
    inside += [OrderFactory(shop=shop, created_at=local(shop.time_zone, 2026, 3, 1, 0, 30)) for shop in (west, east)]
    for shop in (west, east):
        OrderFactory(shop=shop, created_at=local(shop.time_zone, 2026, 4, 1, 0, 30))
        OrderFactory(shop=shop, created_at=local(shop.time_zone, 2026, 2, 28, 23, 30))
    client.force_login(user)
    assert ids_in(client.post(EXPORTS_URL, MARCH)) == ids(*inside)


def test_the_download_is_an_attachment_named_after_the_moment(signed_in, shop):
    OrderFactory(shop=shop, created_at=local("America/Los_Angeles", 2026, 3, 5, 12))
    response = signed_in().post(EXPORTS_URL, MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert response["Cache-Control"] == "no-store"
    assert not ExportJob.objects.exists()  # small: no job


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("csv_excel", "text/csv; charset=utf-8", "csv"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
@pytest.mark.parametrize("layout", ["lines", "orders"])
def test_each_format_and_layout(signed_in, shop, fmt, content_type, extension, layout):
    order = OrderFactory(shop=shop, created_at=local("America/Los_Angeles", 2026, 3, 5, 12))
    response = signed_in().post(EXPORTS_URL, {**MARCH, "format": fmt, "layout": layout})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    assert ids_in(response) == ids(order)


def test_statuses_and_the_date_field_are_honoured(signed_in, shop):
    zone = "America/Los_Angeles"
    waiting = OrderFactory(shop=shop, created_at=local(zone, 2026, 3, 5, 12))
    delivered = OrderFactory(shop=shop, status=OrderStatus.DELIVERED, created_at=local(zone, 2026, 3, 6, 12))
    OrderFactory(shop=shop, status=OrderStatus.CANCELLED, created_at=local(zone, 2026, 3, 7, 12))
    paid_in_march = OrderFactory(
        shop=shop, created_at=local(zone, 2026, 2, 28, 23, 0), paid_at=local(zone, 2026, 3, 1, 0, 30)
    )
    client = signed_in()
    by_status = client.post(EXPORTS_URL, {**MARCH, "status": ["AWAITING_SHIPMENT", "DELIVERED"]})
    assert ids_in(by_status) == ids(waiting, delivered)
    by_paid = client.post(EXPORTS_URL, {**MARCH, "date_field": "paid", "status": ["AWAITING_SHIPMENT"]})
    assert ids_in(by_paid) == ids(waiting, paid_in_march)


def test_a_preset_range(signed_in, shop):
    recent = OrderFactory(shop=shop)  # five hours ago
    OrderFactory(shop=shop, created_at=datetime.now(ZoneInfo("UTC")) - timedelta(days=40))
    assert ids_in(signed_in().post(EXPORTS_URL, {**MARCH, "preset": "last_7d", "date_from": "", "date_to": ""})) == ids(
        recent
    )


def test_one_line_per_sku_or_one_row_per_order(signed_in, shop):
    from tests.factories import LineItemFactory

    order = OrderFactory(shop=shop, created_at=local("America/Los_Angeles", 2026, 3, 5, 12))
    LineItemFactory(order=order)
    client = signed_in()
    assert len(csv_rows(body_of(client.post(EXPORTS_URL, {**MARCH, "layout": "lines"})))) == 3
    assert len(csv_rows(body_of(client.post(EXPORTS_URL, {**MARCH, "layout": "orders"})))) == 2


def test_another_shops_orders_never_appear(signed_in, shop, other_shop, member_of):
    moment = local("America/Los_Angeles", 2026, 3, 5, 12)
    mine = OrderFactory(shop=shop, created_at=moment)
    theirs = OrderFactory(shop=other_shop, created_at=moment)
    member_of(other_shop, Role.ACCOUNTANT)  # someone else exports there
    client = signed_in()
    assert ids_in(client.post(EXPORTS_URL, MARCH)) == ids(mine)
    assert ids_in(
        client.post(FROM_LIST_URL, {"query": "", "format": "csv", "layout": "lines", "export": "all"})
    ) == ids(mine)
    selected = client.post(
        FROM_LIST_URL,
        {"query": "", "format": "csv", "layout": "lines", "export": "selected", "order": [mine.pk, theirs.pk]},
    )
    assert ids_in(selected) == ids(mine)
    by_id = client.post(
        FROM_LIST_URL,
        {"query": urlencode({"order_ids": str(theirs.pk)}), "format": "csv", "layout": "lines", "export": "all"},
    )
    assert ids_in(by_id) == []


def test_an_accountant_elsewhere_does_not_export_a_shop_where_they_only_view(client, shop, other_shop, member_of):
    user = member_of(shop, Role.ACCOUNTANT)
    MembershipFactory(user=user, shop=other_shop, role=Role.VIEWER)
    moment = local("America/Los_Angeles", 2026, 3, 5, 12)
    mine, _ = OrderFactory(shop=shop, created_at=moment), OrderFactory(shop=other_shop, created_at=moment)
    client.force_login(user)
    assert ids_in(client.post(EXPORTS_URL, MARCH)) == ids(mine)
    response = client.post(EXPORTS_URL, {**MARCH, "shops": [other_shop.code]})
    assert response.status_code == 400 and "Select a valid choice" in response.text


def test_chosen_shops_only(client, shop, other_shop, member_of):
    user = member_of(shop, Role.ACCOUNTANT)
    MembershipFactory(user=user, shop=other_shop, role=Role.ACCOUNTANT)
    moment = local("America/Los_Angeles", 2026, 3, 5, 12)
    mine, theirs = OrderFactory(shop=shop, created_at=moment), OrderFactory(shop=other_shop, created_at=moment)
    client.force_login(user)
    assert ids_in(client.post(EXPORTS_URL, MARCH)) == ids(mine, theirs)
    assert ids_in(client.post(EXPORTS_URL, {**MARCH, "shops": [other_shop.code]})) == ids(theirs)


# The order list's Export buttons ----------------------------------------------------------------------


def list_post(client, query="", export="all", orders=(), **extra):
    return client.post(
        FROM_LIST_URL,
        {
            "query": query,
            "format": "csv",
            "layout": "lines",
            "export": export,
            "order": [str(getattr(o, "pk", o)) for o in orders],
            **extra,
        },
    )


def test_export_all_matching_takes_every_page(signed_in, shop):
    in_transit = [OrderFactory(shop=shop, status=OrderStatus.IN_TRANSIT) for _ in range(23)]  # more than a page
    OrderFactory(shop=shop)
    response = list_post(signed_in(), urlencode({"status": "IN_TRANSIT", "page": "2", "sort": "-total"}))
    assert response.status_code == 200
    assert ids_in(response) == ids(*in_transit)


def test_export_selected_takes_the_ticked_orders_only(signed_in, shop):
    first, _, third = (OrderFactory(shop=shop) for _ in range(3))
    response = list_post(signed_in(), urlencode({"status": "DELIVERED"}), export="selected", orders=[first, third])
    assert ids_in(response) == ids(first, third)  # the ticked rows, whatever the filters


def test_selected_with_all_matching_ticked_exports_what_the_filters_match(signed_in, shop):
    first, second = OrderFactory(shop=shop), OrderFactory(shop=shop, status=OrderStatus.DELIVERED)
    response = list_post(
        signed_in(), urlencode({"status": "DELIVERED"}), export="selected", orders=[first], all_matching="1"
    )
    assert ids_in(response) == ids(second)


@pytest.mark.parametrize(
    ("orders", "extra", "message"),
    [
        pytest.param([], {}, "Tick the orders to export, or use “Export all matching”.", id="nothing-ticked"),
        pytest.param(["12345678901234567"] * 101, {}, "Export at most 100 ticked orders", id="too-many"),
        pytest.param(["abc"], {}, "Export at most 100 ticked orders", id="not-an-id"),
        pytest.param([], {"format": "pdf"}, "Choose CSV for Excel, plain CSV or XLSX.", id="unknown-format"),
        pytest.param([], {"layout": "x"}, "Choose one row per order line or per order.", id="unknown-layout"),
    ],
)
def test_list_export_refusals_go_back_to_the_list_with_a_message(signed_in, shop, orders, extra, message):
    OrderFactory(shop=shop)
    query = urlencode({"status": "AWAITING_SHIPMENT"})
    client = signed_in()
    response = list_post(client, query, export="selected", orders=orders, **extra)
    assert response.status_code == 302 and response["Location"] == f"/orders/?{query}"
    page = client.get(response["Location"])
    assert message in page.text
    assert not events(AuditKind.EXPORT_CREATED) and not ExportJob.objects.exists() and files_written() == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-02-30"}, "valid date"),
        ({"date_from": "2026-05-10", "date_to": "2026-05-01"}, "before the start"),
        ({"status": "LOST"}, "valid choice"),
        ({"shop": "GCP_NOT_MINE"}, "valid choice"),
    ],
)
def test_list_filters_that_do_not_hold_are_refused_with_a_message(signed_in, shop, query, message):
    OrderFactory(shop=shop)
    client = signed_in()
    response = list_post(client, urlencode(query))
    assert response.status_code == 302
    assert message in client.get(response["Location"]).text
    assert not events(AuditKind.EXPORT_CREATED)


def test_a_filter_that_matches_nothing_gives_the_header_only(signed_in, shop):
    OrderFactory(shop=shop)
    response = list_post(signed_in(), urlencode({"status": "CANCELLED"}))
    assert response.status_code == 200 and len(csv_rows(body_of(response))) == 1


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({"product": "No such product"}, id="product"),
        pytest.param({"tracking": "ZZ9999999999"}, id="tracking"),
        pytest.param({"buyer": "Nobody Atall"}, id="buyer-name"),
        pytest.param({"q": "NO-SUCH-SKU"}, id="search"),
    ],
)
def test_a_search_that_matches_nothing_gives_the_header_only(signed_in, shop, query):
    OrderFactory(shop=shop)
    client = signed_in(Role.ADMINISTRATOR)
    assert client.get(reverse("order_list"), query).status_code == 200  # the list itself copes
    response = list_post(client, urlencode(query))
    assert response.status_code == 200 and len(csv_rows(body_of(response))) == 1


# Who may export ---------------------------------------------------------------------------------------


def export_urls(job):
    return [
        ("GET", EXPORTS_URL, {}),
        ("POST", EXPORTS_URL, {**MARCH}),
        ("POST", FROM_LIST_URL, {"query": "", "format": "csv", "layout": "lines", "export": "all"}),
        ("GET", reverse("export_download", args=[job.pk]), {}),
        ("POST", reverse("export_cancel", args=[job.pk]), {}),
    ]


@pytest.mark.parametrize("role", NO_EXPORT_ROLES)
def test_roles_without_export_get_403_everywhere_and_it_is_recorded(client, shop, member_of, role):
    OrderFactory(shop=shop)
    user = member_of(shop, role)
    job = ExportJobFactory(owner=user, shop_ids=[shop.pk])  # even their own earlier export (role changed since)
    client.force_login(user)
    for method, url, data in export_urls(job):
        before = len(events(AuditKind.PERMISSION_DENIED))
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 403, (method, url)
        denied = events(AuditKind.PERMISSION_DENIED)
        assert len(denied) == before + 1, (method, url)
        assert (denied[-1].actor, denied[-1].target) == (user, url)
        assert "Export orders" in denied[-1].detail["reason"]
    assert not events(AuditKind.EXPORT_CREATED) and not events(AuditKind.EXPORT_DOWNLOADED)
    assert ExportJob.objects.get() == job and not ExportJob.objects.filter(cancel_requested=True).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, shop):
    job = ExportJobFactory(shop_ids=[shop.pk])
    for method, url, data in export_urls(job):
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


# The audit trail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv_excel", "csv", "xlsx"])
def test_an_export_from_the_exports_page_is_recorded_with_format_and_filters(signed_in, shop, fmt):
    OrderFactory(shop=shop, created_at=local("America/Los_Angeles", 2026, 3, 5, 12))
    client = signed_in()
    client.post(EXPORTS_URL, {**MARCH, "format": fmt, "layout": "orders", "status": ["AWAITING_SHIPMENT"]})
    [event] = events(AuditKind.EXPORT_CREATED)
    assert (event.actor, event.shop) == (client.user, shop)
    assert event.detail == {
        "format": fmt,
        "layout": "orders",
        "rows": 1,
        "background": False,
        "filters": {
            "filters": {
                "date_field": ["created"],
                "preset": ["custom"],
                "date_from": ["2026-03-01"],
                "date_to": ["2026-03-31"],
                "status": ["AWAITING_SHIPMENT"],
            },
            "shops": [],
        },
    }


def test_an_export_from_the_list_is_recorded_with_format_and_filters(signed_in, shop):
    first, second = OrderFactory(shop=shop), OrderFactory(shop=shop)
    client = signed_in()
    list_post(client, urlencode({"status": "AWAITING_SHIPMENT", "page": "2"}))
    list_post(client, "", export="selected", orders=[first, second], format="xlsx")
    everything, selected = events(AuditKind.EXPORT_CREATED)
    assert everything.detail["filters"] == {"filters": {"status": ["AWAITING_SHIPMENT"]}, "shops": []}
    assert (everything.detail["format"], everything.detail["rows"]) == ("csv", 2)
    assert selected.detail["format"] == "xlsx"
    assert sorted(selected.detail["filters"]["filters"]["order_ids"][0].split()) == ids(first, second)


def test_list_paging_and_sorting_are_not_stored_as_filters(signed_in, shop):
    OrderFactory(shop=shop)
    list_post(signed_in(), urlencode({"status": "AWAITING_SHIPMENT", "page": "2", "page_size": "50", "sort": "-total"}))
    [event] = events(AuditKind.EXPORT_CREATED)
    assert event.detail["filters"] == {"filters": {"status": ["AWAITING_SHIPMENT"]}, "shops": []}


def test_an_export_of_several_shops_is_recorded_once_per_shop(client, shop, other_shop, member_of):
    """Each shop's Administrators see the exports of their shop, and only those (a shop-less row would be
    shown to an Administrator of either shop, with the other shop's filters)."""
    user = member_of(shop, Role.ACCOUNTANT)
    MembershipFactory(user=user, shop=other_shop, role=Role.ACCOUNTANT)
    client.force_login(user)
    list_post(client)
    recorded = events(AuditKind.EXPORT_CREATED)
    assert sorted(e.shop_id for e in recorded) == sorted([shop.pk, other_shop.pk])
    assert all(e.actor == user for e in recorded)


def test_buyer_data_typed_as_a_filter_is_not_written_to_the_audit_trail(client, shop, member_of):
    client.force_login(member_of(shop, Role.ADMINISTRATOR))
    client.post(
        reverse("export_from_list"),
        {"query": "buyer=jane.doe%40example.com&q=Jane", "format": "csv", "layout": "lines", "export": "all"},
    )
    [event] = events(AuditKind.EXPORT_CREATED)
    assert "jane" not in str(event.detail).lower()
    assert event.detail["filters"]["filters"]["buyer"] == ["[buyer data, not recorded]"]


# The job list ------------------------------------------------------------------------------------------


def test_the_page_lists_my_jobs_and_an_administrator_also_sees_the_shops_jobs(client, shop, other_shop, member_of):
    accountant, admin = member_of(shop, Role.ACCOUNTANT), member_of(shop, Role.ADMINISTRATOR)
    mine = ExportJobFactory(owner=accountant, shop_ids=[shop.pk], description="Accountant's March export")
    ExportJobFactory(
        owner=member_of(other_shop, Role.ACCOUNTANT), shop_ids=[other_shop.pk], description="Elsewhere's export"
    )
    client.force_login(accountant)
    page = client.get(EXPORTS_URL).text
    assert "Accountant&#x27;s March export" in page and "Elsewhere" not in page
    assert reverse("export_download", args=[mine.pk]) in page
    client.force_login(admin)
    page = client.get(EXPORTS_URL).text
    assert "Exports by members of the shops you administer" in page
    assert "Accountant&#x27;s March export" in page and accountant.username in page and "Elsewhere" not in page
