"""Searches by line and package: a common lookup, probed as a correlated EXISTS, finds exactly the
orders that reading the matching ids first finds."""

import pytest
from django.db import connection

from orders import search
from orders.listing import limits
from orders.models import Order
from tests.factories import LineItemFactory, OrderFactory, PackageFactory, ShopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    shop, other = ShopFactory(), ShopFactory(name="Another Shop")
    made = {name: OrderFactory(shop=shop, line=None) for name in ("hoodie", "hoodie_and_mug", "mug", "renamed")}
    made["other_shop"] = OrderFactory(shop=other, line=None)
    for name in ("hoodie", "hoodie_and_mug", "other_shop"):
        LineItemFactory(
            order=made[name],
            product_id="P-HOODIE",
            product_name="Fleece Hoodie",
            sku_id="S-HOODIE-M",
            seller_sku="FH-M",
        )
    for name in ("hoodie_and_mug", "mug"):
        LineItemFactory(
            order=made[name], product_id="P-MUG", product_name="Enamel Mug", sku_id="S-MUG", seller_sku="MUG-1"
        )
    LineItemFactory(
        order=made["renamed"],
        product_id="P-OLD",
        product_name="Classic HOODIE (old)",
        sku_id="S-OLD",
        seller_sku="OLD-1",
    )
    PackageFactory(order=made["mug"], tracking_number="TRK123")
    return shop, made


CASES = [
    (search.line_matches, {"product_id__in": ["P-HOODIE"]}, {"hoodie", "hoodie_and_mug"}),
    (search.line_matches, {"product_id__in": ["P-HOODIE", "P-OLD"]}, {"hoodie", "hoodie_and_mug", "renamed"}),
    (search.line_matches, {"sku_id": "S-MUG"}, {"hoodie_and_mug", "mug"}),
    (search.line_matches, {"seller_sku": "FH-M"}, {"hoodie", "hoodie_and_mug"}),
    (search.line_matches, {"seller_sku": "fh-m"}, set()),  # seller SKUs match as typed (the caller tries upper case)
    (search.line_matches, {"product_name__icontains": "hoodie"}, {"hoodie", "hoodie_and_mug", "renamed"}),
    (search.line_matches, {"product_name__icontains": "100%"}, set()),  # LIKE's wildcards stay literal
    (search.package_matches, {"tracking_number": "TRK123"}, {"mug"}),
]


@pytest.mark.parametrize(("matches", "lookups", "expected"), CASES, ids=[str(case[1]) for case in CASES])
@pytest.mark.parametrize("size", ["ids", "lines", "exists"], ids=["ids read", "lines subquery", "EXISTS probe"])
def test_ids_lines_and_exists_probe_find_the_same_orders(world, monkeypatch, matches, lookups, expected, size):
    shop, made = world
    if size != "ids":
        monkeypatch.setattr(limits, "MATERIALISE_LIMIT", -1)  # every lookup now counts as common
    if size == "exists":
        monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # and as matching more lines than are read
    match = matches([shop.pk], **lookups)
    assert (match.bound is None) == (size == "exists")
    found = Order.objects.filter(match.condition, shop_id__in=[shop.pk])  # the list limits the outer query to the shops
    assert {name for name, order in made.items() if order in found} == expected


def test_exists_probe_checks_the_lines_columns_without_seeking_them(world, monkeypatch):
    shop, _ = world
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", -1)
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)
    sql = str(Order.objects.filter(search.line_matches([shop.pk], product_id__in=["P-HOODIE"]).condition).query)
    # on SQLite each probe reads one range of the (order, product, SKU, seller SKU) index and checks the
    # column there; `product_id IN (...)` would be sought once per value
    assert ('+U0."product_id" IN' in sql) == (connection.vendor == "sqlite")
    assert 'U0."product_id" IN' in sql


def test_product_condition_probes_the_catalogues_products_when_common(world, monkeypatch):
    shop, made = world
    from tests.factories import ProductFactory

    ProductFactory(shop=shop, product_id="P-HOODIE", name="Fleece Hoodie")
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 1)  # two orders match: more than the limit
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # an EXISTS probe
    match = search.product_condition("hoodie", [shop.pk])
    assert match.bound is None
    found = Order.objects.filter(match.condition, shop_id__in=[shop.pk])
    assert set(found) == {made["hoodie"], made["hoodie_and_mug"]}


@pytest.mark.parametrize(
    ("limit", "lookups", "floor"),
    [
        (limits.MATERIALISE_LIMIT, {"product_id__in": ["P-HOODIE"]}, 0),  # ids read: bounded, no floor needed
        (1, {"product_id__in": ["P-HOODIE"]}, 2),  # two orders of the shop found: at least two match
        (1, {"product_id__in": ["P-HOODIE", "P-MUG", "P-OLD"]}, 2),  # the read stops at limit + 1
        (0, {"seller_sku": "FH-M"}, 1),
    ],
)
def test_a_common_lookup_notes_how_many_orders_it_found(world, monkeypatch, limit, lookups, floor):
    shop, _ = world
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", limit)
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # an EXISTS probe
    match = search.line_matches([shop.pk], **lookups)
    assert match.floor == floor
    assert Order.objects.filter(match.condition, shop_id=shop.pk).count() >= floor


def test_search_box_floor_is_its_commonest_parts(world, monkeypatch):
    shop, made = world
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 0)  # the SKU id is common (its read stops at one order)
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # an EXISTS probe
    match = search.search_condition("S-MUG", [shop.pk])
    assert match.bound is None and match.floor == 1
    assert set(Order.objects.filter(match.condition, shop_id=shop.pk)) == {made["hoodie_and_mug"], made["mug"]}


# (MATERIALISE_LIMIT, BOUNDED_LIMIT) -> how the three "Walker" orders are matched
BUYER_SIZES = [
    ((5, 10), "ids", 3),  # few: their ids, read first (distinct: the exact count)
    ((2, 10), "subquery", 4),  # more than the ids read: the table answers; its 4 (word, order) rows bound them
    ((1, 3), "subquery", 3),  # 4 rows over the bound: the distinct orders counted, 3, within it
    ((1, 2), "subquery", None),  # more orders than the bound too: unbounded
]


@pytest.mark.parametrize(("sizes", "form", "bound"), BUYER_SIZES, ids=[case[1] + str(case[2]) for case in BUYER_SIZES])
def test_buyer_name_search_bounds_what_it_matches(db, monkeypatch, sizes, form, bound):
    shop = ShopFactory()
    walkers = {
        OrderFactory(shop=shop, buyer_name=name, buyer_nickname="").pk
        for name in ("Alice Walker", "Bob Walker", "Walker Walkerson")
    }  # the last: two words start alike
    OrderFactory(shop=shop, buyer_name="Carol Stone")
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", sizes[0])
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", sizes[1])
    match = search.buyer_condition("walk")
    assert match.bound == bound
    assert ("FROM orders_buyer_word" in str(Order.objects.filter(match.condition).query)) == (form == "subquery")
    assert set(Order.objects.filter(match.condition).values_list("pk", flat=True)) == walkers
    # a bounded subquery can read its matches' keys from the words table itself
    assert (match.read_keys is not None) == (form == "subquery" and bound is not None)


# Buyer-name search, as a table: CI runs it on SQLite and on PostgreSQL, and both must find these names
PARITY_NAMES = [
    "Alice Walker",
    "Ali Baba",
    "Nguyễn Thị Quý",
    "ĐỖ Văn Đức",
    "Søren Łukasz",
    "Zoë O'Brien-Smith",
    "สมศักดิ์ ใจดี",
    "Walker Walkerson",
    "MARIA DA SILVA",
    "Łódź Trader",
]
PARITY_SEARCHES = [
    ("ali", {"Alice Walker", "Ali Baba"}),  # a word's beginning, not inside a word: not "Baba"
    ("ALI walk", {"Alice Walker"}),  # every word typed, any order, any case
    ("walk ali", {"Alice Walker"}),
    ("quy", {"Nguyễn Thị Quý"}),  # accents folded both ways
    ("Quý nguyen", {"Nguyễn Thị Quý"}),
    ("duc", {"ĐỖ Văn Đức"}),  # đ folds to d
    ("đức", {"ĐỖ Văn Đức"}),
    ("soren lukasz", {"Søren Łukasz"}),
    ("zoe brien", {"Zoë O'Brien-Smith"}),  # punctuation splits words
    ("smith", {"Zoë O'Brien-Smith"}),
    ("สมศ", {"สมศักดิ์ ใจดี"}),  # Thai: marks dropped alike
    ("walker", {"Alice Walker", "Walker Walkerson"}),
    ("alker", set()),  # inside a word: no
    ("maria silva", {"MARIA DA SILVA"}),
    ("lodz", {"Łódź Trader"}),
    ("zz", set()),
    ("!!", set()),  # no word at all
]


@pytest.mark.parametrize(("text", "expected"), PARITY_SEARCHES, ids=[case[0] for case in PARITY_SEARCHES])
@pytest.mark.parametrize("materialise", [2_000, 0], ids=["ids read", "words subquery"])
def test_buyer_name_search_finds_the_same_orders_on_every_database(db, monkeypatch, text, expected, materialise):
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", materialise)
    shop = ShopFactory()
    orders = {OrderFactory(shop=shop, buyer_name=name, buyer_nickname="").pk: name for name in PARITY_NAMES}
    found = Order.objects.filter(search.buyer_condition(text).condition).values_list("pk", flat=True)
    assert {orders[pk] for pk in found} == expected


def test_a_common_lookup_knows_which_shops_hold_its_matches(world, monkeypatch):
    shop, made = world
    other = made["other_shop"].shop
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 0)  # every lookup now counts as common
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # an EXISTS probe
    assert search.line_matches([shop.pk, other.pk], seller_sku="FH-M").shops == {shop.pk, other.pk}
    assert search.line_matches([shop.pk, other.pk], seller_sku="MUG-1").shops == {shop.pk}


def test_a_catalogue_product_is_searched_in_the_shops_that_sell_it(world, monkeypatch):
    from tests.factories import ProductFactory

    shop, made = world
    other = made["other_shop"].shop
    ProductFactory(shop=shop, product_id="P-MUG", name="Enamel Mug")
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 0)
    monkeypatch.setattr(limits, "BOUNDED_LIMIT", -1)  # an EXISTS probe
    match = search.product_condition("enamel", [shop.pk, other.pk])
    assert match.shops == {shop.pk}
    assert set(Order.objects.filter(match.condition)) == {made["hoodie_and_mug"], made["mug"]}


def test_a_lookup_between_the_sizes_is_bounded_by_its_lines(world, monkeypatch):
    shop, made = world
    monkeypatch.setattr(limits, "MATERIALISE_LIMIT", 1)  # two orders: more than are read as ids
    match = search.line_matches([shop.pk], product_id__in=["P-HOODIE"])
    assert match.bound == 3  # its three lines (one in another shop's order): at least as many as the orders
    assert set(Order.objects.filter(match.condition, shop_id=shop.pk)) == {made["hoodie"], made["hoodie_and_mug"]}
