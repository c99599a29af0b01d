"""Benchmark of the Partner API on the large data set. Prints figures; it asserts nothing.

    .venv/bin/python bench/api_bench.py                   # 1,000,000 orders (bench/benchdb.py)
    .venv/bin/python bench/api_bench.py --orders 10000 [--database postgres]

Reuses bench/orders_bench.py's data set, but never builds it: when the order count differs from
--orders it stops (building 1,000,000 orders takes minutes; run orders_bench.py for that).
Each request is signed as an integrator would sign it and sent through Django's test client in this
process: the figure is server time (middleware, signature, queries, JSON), the median of --repeat
requests after one warm-up.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    benchdb.add_arguments(parser)
    return parser.parse_args()


def setup(args):
    benchdb.configure(args)
    benchdb.require_built(args.orders)  # migrates (the partner_api tables) and makes sure the demo users exist


def credentials():
    """A fresh app and grant of the demo Administrator for the shop with the most orders."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from accounts.models import Shop
    from partner_api.models import ApiApp
    from tests.factories import GrantFactory

    admin = get_user_model().objects.get(username="admin")
    ApiApp.objects.filter(name="api_bench").delete()
    app = ApiApp.objects.create(name="api_bench", created_by=admin)
    shop = Shop.objects.annotate(n=Count("orders")).order_by("-n").first()
    GrantFactory(app=app, authorised_by=admin, shops=[shop], access_token="SCAT_bench")
    return app, shop


def cases(api, shop):
    from orders.models import Order
    from partner_api import cursor

    shop_orders = Order.objects.filter(shop=shop)
    count = shop_orders.count()
    middle = shop_orders.order_by("-created_at", "-id")[count // 2]
    deep = cursor.encode(
        cursor.Position(middle.created_at, middle.pk, count), cursor.fingerprint(shop.pk, {}, "create_time", True)
    )
    status = "COMPLETED"
    matching = shop_orders.filter(status=status).order_by("-created_at", "-id")
    n = matching.count()
    mid = matching[n // 2]
    deep_status = cursor.encode(
        cursor.Position(mid.created_at, mid.pk, n),
        cursor.fingerprint(shop.pk, {"order_status": status}, "create_time", True),
    )
    recent = list(shop_orders.order_by("-created_at").values_list("id", flat=True)[:50])
    skip = min(1000, count // 2)  # old orders, 1,000 in (fewer on a tiny data set)
    old = list(shop_orders.order_by("created_at").values_list("id", flat=True)[skip : skip + 50])
    yield "search: 100, first page", lambda: api.search()
    yield f"search: 100, deep page ({count // 2:,} in)", lambda: api.search(page_token=deep)
    yield f"search: 100 {status}, first page", lambda: api.search({"order_status": status})
    yield f"search: 100 {status}, deep page", lambda: api.search({"order_status": status}, page_token=deep_status)
    yield "search: 100 by update_time", lambda: api.search(sort_field="update_time")
    yield (
        "search: 100 created in one day",
        lambda: api.search(
            {
                "create_time_ge": int(middle.created_at.timestamp()) - 86400,
                "create_time_lt": int(middle.created_at.timestamp()),
            }
        ),
    )
    yield "detail: 50 ids (newest)", lambda: api.details(recent)
    yield "detail: 50 ids (old), repeated", lambda: api.details(old, repeated=True)


def measure(call, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm-up
    times, queries, response = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    data = response.json()
    return statistics.median(times), max(times), queries, data["code"], len((data["data"] or {}).get("orders", []))


def main():
    args = parse_args()
    setup(args)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tests.partner_api.client import PartnerClient

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.PARTNER_API_RATE_LIMIT_PER_MINUTE = 1_000_000
    app, shop = credentials()
    api = PartnerClient(Client(), app.app_key, app.app_secret, "SCAT_bench", shop.code)
    load = os.getloadavg()
    print(
        f"# {args.orders:,} orders on {connection.vendor}; shop {shop.code}; median of {args.repeat} signed "
        f"requests (ms), max, queries; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"{'case':<40} {'median':>8} {'max':>8} {'queries':>8} {'code':>6} {'orders':>7}")
    for name, call in cases(api, shop):
        median, worst, queries, code, n = measure(call, args.repeat)
        print(f"{name:<40} {median:8.1f} {worst:8.1f} {queries:8d} {code:6d} {n:7d}", flush=True)
    app.delete()


if __name__ == "__main__":
    main()
