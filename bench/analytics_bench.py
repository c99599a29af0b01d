"""Benchmark of the Analytics page on the order benchmark's data set. Prints figures; asserts nothing.

    .venv/bin/python bench/analytics_bench.py                 # 1,000,000 orders (bench/benchdb.py)
    .venv/bin/python bench/analytics_bench.py --orders 10000 [--database postgres]

The order data set is never built here (bench/orders_bench.py builds it): if it does not hold exactly
--orders orders, the script stops. The analytics rollup (its own tables) is built once if missing,
and that time is printed.
Server time through Django's test client, median of --repeat requests after one warm-up.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    benchdb.add_arguments(parser)
    args = parser.parse_args()
    benchdb.configure(args)
    benchdb.require_built(args.orders)  # migrates (adds the analytics tables) when the count matches
    from django.conf import settings
    from django.db import connection
    from orders_bench import measure

    from accounts.models import Shop
    from analytics.models import RollupState
    from analytics.services.rollup import ensure_fresh

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    started = time.monotonic()
    missing = Shop.objects.exclude(pk__in=RollupState.objects.values("shop_id")).count()
    ensure_fresh(list(Shop.objects.all()))
    print(
        f"# rollup freshness check{' and build of ' + str(missing) + ' shops' if missing else ''}: "
        f"{time.monotonic() - started:.1f} s"
    )
    from django.utils import timezone

    from analytics.services.rollup import mark_dirty

    shop = Shop.objects.order_by("-pk").last()  # the largest demo shop (first created)
    mark_dirty(shop.pk, [timezone.now().astimezone(shop.tzinfo).date()])  # as a status change would
    started = time.monotonic()
    ensure_fresh([shop])
    print(f"# refresh of one dirty day (with its anomalies): {(time.monotonic() - started) * 1000:.0f} ms")
    client = benchdb.signed_in("admin")
    cases = [
        ("all shops, this year", "/analytics/?preset=this_year"),
        ("all shops, this year, by day", "/analytics/?preset=this_year&grain=day"),
        ("all shops, last 30 days", "/analytics/?preset=last_30d"),
        (
            "all shops, 366 days vs last year",
            "/analytics/?preset=custom&date_from=2025-11-26&date_to=2026-11-26&compare=last_year",
        ),
        (f"one shop ({shop.code}), this year", f"/analytics/?preset=this_year&shop={shop.code}"),
        ("one shop, last 30 days", f"/analytics/?preset=last_30d&shop={shop.code}"),
        ("CSV trend, all shops, this year", "/analytics/trend.csv?preset=this_year"),
    ]
    print(f"# {args.orders:,} orders on {connection.vendor}; median of {args.repeat} requests (ms), max, queries")
    print(f"{'case':<44} {'median':>8} {'max':>8} {'queries':>8} {'status':>7}")
    for name, url in cases:
        timing = measure(client, url, args.repeat)
        print(f"{name:<44} {timing.median:8.1f} {timing.worst:8.1f} {timing.queries:8d} {timing.status:7d}", flush=True)
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
