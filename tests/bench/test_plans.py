"""Query plans of the benchmark's cases (bench/plans.py): normalised so snapshots only change with the
plan, checked so that a case losing its index fails, and the main cases served by their named indexes."""

import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import plans  # noqa: E402

from accounts.roles import Role  # noqa: E402
from tests.factories import LineItemFactory, OrderFactory, PackageFactory, UserFactory  # noqa: E402

SQLITE_PLAN = """SEARCH orders_order USING INDEX order_shop_status_created_id (shop_id=? AND status=?)
SEARCH orders_package USING INTEGER PRIMARY KEY (rowid=?)
SCAN orders_lineitem
CORRELATED SCALAR SUBQUERY 3"""
POSTGRES_PLAN = """Limit
  ->  Index Scan Backward using order_created_id on orders_order
        Filter: ((status)::text = 'UNPAID'::text AND shop_id = ANY ('{1,2,3}'::bigint[]))
  ->  Bitmap Index Scan on package_tracking_number
  ->  Seq Scan on orders_returnrequest"""


def test_normalising_drops_literals_and_numbering():
    assert plans.normalise("CORRELATED SCALAR SUBQUERY 3") == "CORRELATED SCALAR SUBQUERY"
    assert (
        plans.normalise("Filter: (created_at >= '2026-11-01 00:00:00+00'::timestamptz AND id = 1234)")
        == "Filter: (created_at >= ?::timestamptz AND id = ?)"
    )
    assert plans.normalise("shop_id = ANY ('{1,2,3}'::bigint[])") == "shop_id = ANY (?::bigint[])"
    assert plans.normalise("SEARCH t USING INDEX ix (a IN (1, 2, 3))") == "SEARCH t USING INDEX ix (a IN (?))"


def test_indexes_and_whole_reads_are_found_on_both_databases():
    sqlite = SQLITE_PLAN.splitlines()
    assert plans.indexes_used(sqlite) == {"order_shop_status_created_id", "orders_package:rowid"}
    assert plans.whole_reads(sqlite) == {"orders_lineitem"}
    postgres = POSTGRES_PLAN.splitlines()
    assert plans.indexes_used(postgres) == {"order_created_id", "package_tracking_number"}
    assert plans.whole_reads(postgres) == {"orders_returnrequest"}


def test_the_check_fails_a_case_that_lost_its_index_or_reads_a_table_whole():
    then = plans.render("list: x", "/orders/?x=1", 20000, [["SEARCH orders_order USING INDEX ix_a (a=?)"]])
    same = plans.render("list: x", "/orders/?x=2", 20000, [["SEARCH orders_order USING INDEX ix_a (a=?)"]])
    worse = plans.render("list: x", "/orders/?x=1", 20000, [["SCAN orders_order"]])
    assert plans.check(then, same) == []
    assert plans.check(then, worse) == ["no longer uses index ix_a", "now reads all of orders_order"]


def test_every_snapshot_names_its_case_and_size():
    snapshots = list((Path(plans.__file__).parent / "plans").glob("*/*.txt"))
    assert snapshots, "bench/plans/ holds no snapshots: run orders_bench.py --snapshot-plans"
    for path in snapshots:
        head = path.read_text().splitlines()[:5]
        assert head[0].startswith("# case: ") and head[2].startswith("# orders: "), path


@pytest.fixture
def served_by_index(django_db_blocker):
    """On PostgreSQL a table of a few rows is read whole whatever its indexes (cheaper); with sequential
    scans priced out, the plan shows whether an index can serve the query, which is what is tested here.
    The planner's real choices at size are the snapshots' business (orders_bench.py --check-plans)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    else:
        yield


@pytest.mark.django_db
def test_main_cases_use_their_named_indexes(client, member_of, shop, served_by_index, settings):
    settings.DEBUG = False
    for _ in range(5):
        line = LineItemFactory(
            order__shop=shop, order__buyer_email="buyer@example.com", order__buyer_name="Quincy Adams"
        )
        package = PackageFactory(order=line.order)
    admin = member_of(shop, Role.ADMINISTRATOR)
    client.force_login(admin)
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    from tests.clients import SignedInClient

    superuser = SignedInClient()
    superuser.force_login(root)
    order = OrderFactory(shop=shop)
    expected = {  # url -> (client, the index its plans must name, or the start of the names of its family)
        f"/orders/?tracking={package.tracking_number}": (client, "package_tracking_number"),
        # by seller SKU: its own index, or the (order, product, SKU, seller SKU) one that covers it
        f"/orders/?product={line.seller_sku}": (client, "line_"),
        "/orders/?tab=to_ship": (client, "order_shop_status"),  # the (shop, status, ...) indexes
        "/orders/?buyer=quincy": (client, "orders_buyer_word"),  # the words table's key, on both databases
        # newest first through one of the (created) or (shop, created) indexes, as the statistics decide
        "/admin/orders/order/": (superuser, "order_"),
        "/admin/orders/order/?q=buyer@example.com": (superuser, "order_buyer_email"),
        f"/admin/orders/package/?q={package.tracking_number}": (superuser, "package_tracking_number"),
    }
    for url, (who, index) in expected.items():
        lines = [line for plan in plans.case_plan(who, url) for line in plan]
        assert not set(plans.whole_reads(lines)) & {"orders_order", "orders_lineitem", "orders_package"}, (url, lines)
        if connection.vendor == "sqlite":
            # PostgreSQL picks among the indexes by the statistics the tests before left on a few rows, so
            # which one it names here varies; at size its choices are the 1,000,000-order snapshots'
            # (bench/plans/postgresql, orders_bench.py --check-plans)
            assert any(name.startswith(index) for name in plans.indexes_used(lines)), (url, lines)
    assert order.pk
