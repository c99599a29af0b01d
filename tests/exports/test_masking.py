"""Buyer data in exports: masked for a role without VIEW_BUYER_PII (an Accountant) as the order pages mask
it, in full for an Administrator, and the recipient's address hidden from everyone while an order is
UNPAID or ON_HOLD; the same through the order list's Export buttons."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.roles import Role
from exports.columns import Format, Layout
from orders.masking import mask_email, mask_name, mask_phone
from orders.statuses import OrderStatus
from tests.factories import MembershipFactory, OrderFactory, ShopFactory

from .conftest import FROM_LIST_URL, as_dicts, body_of, csv_rows, export_dicts, export_file, xlsx_rows

pytestmark = pytest.mark.django_db

ALL_FORMATS = [pytest.param(f, id=f.value) for f in Format]
CSV_FORMATS = [Format.CSV, Format.CSV_EXCEL]
PERSON = {
    "buyer_name": "Jane Doe",
    "buyer_email": "jane.doe@example.com",
    "buyer_phone": "+1 213 555 0188",
    "ship_name": "Jane Doe",
    "ship_phone": "+1 213 555 0188",
    "ship_postcode": "90012",
    "ship_line1": "200 N Spring St",
    "ship_line2": "Suite 4",
    "ship_district": "Downtown",
    "buyer_nickname": "janed",
    "ship_country": "US",
    "ship_state": "California",
    "ship_city": "Los Angeles",
}
# Full values that must appear nowhere in a masked file.
SECRETS = ["Jane", "jane.doe", "Doe", "555 0188", "5550188", "90012", "Spring St", "Suite 4", "Downtown"]
ADDRESS = ["Recipient", "Phone #", "Zipcode", "Districts", "Detail Address", "Additional Address Information"]
HIDDEN_WHEN_MASKED = ["Zipcode", "Districts", "Detail Address", "Additional Address Information"]


def text_of(data: bytes, fmt: Format) -> str:
    if fmt is Format.XLSX:
        return "\n".join(str(v) for row in xlsx_rows(data) for v in row if v is not None)
    return data.decode("utf-8")


@pytest.fixture
def order(shop):
    return OrderFactory(shop=shop, **PERSON)


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("layout", [Layout.LINES, Layout.ORDERS], ids=["lines", "orders"])
def test_an_accountant_gets_buyer_and_recipient_masked(shop, order, accountant, fmt, layout):
    data = export_file(accountant, fmt=fmt, layout=layout)
    [row] = as_dicts(xlsx_rows(data) if fmt is Format.XLSX else csv_rows(data))
    assert row["Buyer Name"] == "J*** D***" == mask_name("Jane Doe")
    assert row["Buyer Email"] == "j***e@e***.com" == mask_email("jane.doe@example.com")
    assert row["Recipient"] == "J*** D***"
    assert all(row[header] == "***" for header in HIDDEN_WHEN_MASKED)
    # what an Accountant may see: the buyer's username and the ship-to region
    assert (row["Buyer Username"], row["Country"], row["Province"], row["City"]) == (
        "janed",
        "US",
        "California",
        "Los Angeles",
    )
    text = text_of(data, fmt)
    assert not [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param(Format.XLSX, id="xlsx"),
        *[pytest.param(f, id=f.value) for f in CSV_FORMATS],
    ],
)
def test_an_accountant_gets_the_phone_masked_as_the_order_pages_mask_it(shop, order, accountant, fmt):
    [row] = export_dicts(accountant, fmt=fmt)
    assert row["Phone #"] == "(+1)213*****88" == mask_phone("+1 213 555 0188")


def test_a_phone_without_a_formula_character_is_masked_alike_in_csv(shop, accountant):
    OrderFactory(shop=shop, **{**PERSON, "ship_phone": "213 555 0188"})
    [row] = export_dicts(accountant, fmt=Format.CSV)
    assert row["Phone #"] == "213*****88" == mask_phone("213 555 0188")


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_an_administrator_gets_them_in_full(shop, order, administrator, fmt):
    [row] = export_dicts(administrator, fmt=fmt)
    phone = "'+1 213 555 0188" if fmt is not Format.XLSX else "+1 213 555 0188"  # CSV: neutralised, not masked
    assert (row["Buyer Name"], row["Buyer Email"], row["Recipient"], row["Phone #"]) == (
        "Jane Doe",
        "jane.doe@example.com",
        "Jane Doe",
        phone,
    )
    assert (row["Zipcode"], row["Districts"], row["Detail Address"], row["Additional Address Information"]) == (
        "90012",
        "Downtown",
        "200 N Spring St",
        "Suite 4",
    )


@pytest.mark.parametrize("status", [OrderStatus.UNPAID, OrderStatus.ON_HOLD])
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ACCOUNTANT])
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_the_address_is_hidden_from_everyone_while_unpaid_or_on_hold(shop, member_of, status, role, fmt):
    held = OrderFactory(shop=shop, status=status, paid_at=None, **PERSON)
    paid = OrderFactory(shop=shop, status=OrderStatus.AWAITING_SHIPMENT, **PERSON)
    rows = {r["Order ID"].strip('="'): r for r in export_dicts(member_of(shop, role), fmt=fmt)}
    assert [rows[str(held.pk)][header] for header in ADDRESS] == ["***"] * len(ADDRESS)
    assert (rows[str(held.pk)]["Country"], rows[str(held.pk)]["City"]) == ("US", "Los Angeles")
    buyer = "Jane Doe" if role == Role.ADMINISTRATOR else "J*** D***"
    assert rows[str(held.pk)]["Buyer Name"] == buyer  # the buyer's own columns are not address columns
    assert rows[str(paid.pk)]["Detail Address"] == ("200 N Spring St" if role == Role.ADMINISTRATOR else "***")
    assert rows[str(paid.pk)]["Recipient"] == buyer


def test_empty_address_fields_stay_empty_when_masked(shop, accountant):
    OrderFactory(shop=shop, **{**PERSON, "ship_line2": "", "ship_district": ""})
    [row] = export_dicts(accountant)
    assert (row["Additional Address Information"], row["Districts"], row["Detail Address"]) == ("", "", "***")


def test_one_shop_without_pii_in_scope_masks_the_whole_export(shop, member_of):
    """Administrator of one shop, Accountant of another: an export of both is masked for both."""
    mine = ShopFactory(name="Administered")
    user = member_of(mine, Role.ADMINISTRATOR)
    MembershipFactory(user=user, shop=shop, role=Role.ACCOUNTANT)
    OrderFactory(shop=mine, **PERSON)
    OrderFactory(shop=shop, **PERSON)
    rows = export_dicts(user)
    assert [r["Buyer Name"] for r in rows] == ["J*** D***"] * 2
    # the administered shop alone: in full
    [row] = export_dicts(user, {"filters": {}, "shops": [mine.code]})
    assert (row["Shop"], row["Buyer Name"], row["Detail Address"]) == ("Administered", "Jane Doe", "200 N Spring St")


# Through the order list's Export buttons --------------------------------------------------------------


def from_list(client, query="", fmt="csv", export="all", orders=()):
    response = client.post(
        FROM_LIST_URL,
        {"query": query, "format": fmt, "layout": "lines", "export": export, "order": [str(o.pk) for o in orders]},
    )
    assert response.status_code == 200, response
    return as_dicts(csv_rows(body_of(response)))


@pytest.mark.parametrize("export", ["all", "selected"])
@pytest.mark.parametrize(
    ("role", "name", "street"),
    [(Role.ACCOUNTANT, "J*** D***", "***"), (Role.ADMINISTRATOR, "Jane Doe", "200 N Spring St")],
)
def test_the_list_export_masks_the_same_way(signed_in, shop, order, role, name, street, export):
    client = signed_in(role)
    [row] = from_list(client, urlencode({"status": "AWAITING_SHIPMENT"}), export=export, orders=[order])
    assert (row["Buyer Name"], row["Recipient"], row["Detail Address"]) == (name, name, street)
    assert row["Buyer Email"] == ("j***e@e***.com" if role == Role.ACCOUNTANT else "jane.doe@example.com")


@pytest.mark.parametrize(
    ("role", "found"),
    [
        pytest.param(Role.ADMINISTRATOR, True, id="administrator"),
        pytest.param(Role.ACCOUNTANT, False, id="accountant"),
    ],
)
def test_the_list_export_cannot_search_by_buyer_details_it_would_mask(signed_in, shop, order, role, found):
    """Filtering by a buyer's e-mail would tell an Accountant whose order it is: it matches nothing for them."""
    rows = from_list(signed_in(role), urlencode({"buyer": "jane.doe@example.com"}))
    assert [r["Order ID"] for r in rows] == ([str(order.pk)] if found else [])


def test_the_order_list_masks_as_the_export_does(signed_in, shop, order):
    """Same masking functions, same output: the list page an Accountant sees and the file agree."""
    client = signed_in(Role.ACCOUNTANT)
    page = client.get(reverse("order_list")).text
    [row] = from_list(client)
    assert row["Buyer Name"] in page and "Jane Doe" not in page
