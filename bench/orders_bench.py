"""Benchmark of the order pages on a large data set. Prints figures; it asserts nothing.

    .venv/bin/python bench/orders_bench.py                      # 1,000,000 orders, SQLite in bench/data/
    .venv/bin/python bench/orders_bench.py --orders 10000       # the small reference data set
    DATABASE_URL=postgres://... .venv/bin/python bench/orders_bench.py

The database is built once with `seed_demo` (6 shops, fixed seed and moment) and reused.
Each URL is requested through Django's test client in this process: the figure is server
time (middleware, view, queries, template), the median of --repeat runs after one warm-up.
Database connections are kept across requests (CONN_MAX_AGE=60 unless set), as in the README's
production set-up; CONN_MAX_AGE=0 measures a new connection per request.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOW = "2026-11-20T12:00:00+00:00"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--against", type=int, metavar="ORDERS",
                        help="also time each case on this many orders (e.g. 10000), in a second process whose "
                             "requests alternate with this one's, and print the ratio: on a shared machine whose "
                             "speed drifts, both sizes then see the same conditions")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the --against process
    return parser.parse_args()


def setup_database(orders: int):
    os.environ.setdefault("CONN_MAX_AGE", "60")  # the server as the README deploys it: connections kept
    if os.environ.get("DATABASE_URL"):
        os.environ["BENCH_DATABASE_URL_GIVEN"] = "1"
    else:
        data = ROOT / "bench" / "data"
        data.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{data / f'orders-{orders}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from orders.models import Order

    call_command("migrate", verbosity=0)
    have = Order.objects.count()
    if have != orders:
        print(f"building {orders:,} orders (have {have:,}) ...", flush=True)
        started = time.monotonic()
        call_command("seed_demo", orders=orders, shops=6, seed=2026, now=NOW, reset=True, verbosity=1)
        print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    else:
        call_command("seed_demo", orders=0, shops=6, verbosity=0)  # make sure the demo users exist


def cases():
    from orders.models import LineItem, Order, Package

    sample = Order.objects.filter(status="IN_TRANSIT").order_by("-created_at").first()
    line = LineItem.objects.filter(order=sample).first()
    package = Package.objects.filter(order=sample).first()
    yield "list: no filter", "/orders/"
    for tab in ("unpaid", "to_ship", "shipped", "completed", "cancelled", "after_sales"):
        yield f"list: tab {tab}", f"/orders/?tab={tab}"
    for preset in ("today", "yesterday", "last_24h", "last_7d", "last_30d", "this_month", "last_month",
                   "this_quarter", "this_year"):
        yield f"list: preset {preset}", f"/orders/?preset={preset}"
    yield "list: custom range", "/orders/?preset=custom&date_from=2026-03-01&date_to=2026-03-31"
    yield "list: paid-time range", "/orders/?date_field=paid&preset=last_30d"
    yield "list: status", "/orders/?status=AWAITING_SHIPMENT"
    yield "list: shop", "/orders/?shop=GCP_DEMO_GB_MAPLE"
    yield "list: order id", f"/orders/?order_ids={sample.pk}"
    yield "list: product name", "/orders/?product=hoodie"
    yield "list: seller SKU", f"/orders/?product={line.seller_sku}"
    yield "list: buyer name", f"/orders/?buyer={sample.buyer_name.split()[0]}"
    yield "list: buyer e-mail", f"/orders/?buyer={sample.buyer_email}"
    yield "list: tracking number", f"/orders/?tracking={package.tracking_number}"
    yield "list: search box (tracking)", f"/orders/?q={package.tracking_number}"
    yield "list: total range", "/orders/?total_min=100&total_max=200"
    yield "list: payment method", "/orders/?payment_method=COD"
    yield "list: country", "/orders/?country=TH"
    yield "list: state", f"/orders/?state={sample.ship_state}"
    yield "list: city", f"/orders/?city={sample.ship_city}"
    yield "list: carrier", "/orders/?carrier=UPS"
    yield "list: has buyer message", "/orders/?has_message=true"
    yield "list: billing differs", "/orders/?billing_differs=true"
    yield "list: after-sale refunded", "/orders/?after_sale=refunded"
    yield "list: pending ship overdue", "/orders/?pending=ship_overdue"
    yield "list: sort by total", "/orders/?sort=-total"
    yield "list: sort by ship-by", "/orders/?sort=ship_by&tab=to_ship"
    yield "list: 100 per page", "/orders/?page_size=100"
    yield "list: page 50", "/orders/?page=50"
    yield "list: page 500 (deepest)", "/orders/?page=500"
    yield "detail: in transit", f"/orders/{sample.pk}/"
    completed = Order.objects.filter(status="COMPLETED").order_by("created_at").first()
    yield "detail: completed", f"/orders/{completed.pk}/"
    yield "home: pending board", "/"


def request(client, url):
    """(ms, queries, status) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    queries = len(captured)
    connection.queries_log.clear()  # a kept connection would otherwise log past its limit and warn
    return elapsed, queries, response.status_code


def measure(client, url, repeat, reference=None, name=None):
    """Median and max ms, queries and status of `repeat` requests after one warm-up; with a `reference`
    process, each request alternates with one of the same case there, whose median comes last."""
    client.get(url)
    if reference:
        reference.ask(name)
    times, theirs = [], []
    for _ in range(repeat):
        if reference:
            theirs.append(reference.ask(name))
        elapsed, queries, status = request(client, url)
        times.append(elapsed)
    return statistics.median(times), max(times), queries, status, statistics.median(theirs) if theirs else None


class Reference:
    """The same benchmark on another data set, in a child process answering one request per line."""

    def __init__(self, orders):
        import subprocess

        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        self.process = subprocess.Popen([sys.executable, __file__, "--orders", str(orders), "--serve"], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        for line in self.process.stdout:  # the set-up's own output comes first
            if line.strip() == "ready":
                break
        else:
            sys.exit(f"the benchmark on {orders:,} orders did not start")

    def ask(self, name) -> float:
        self.process.stdin.write(name + "\n")
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def serve(client):
    """--serve: time one request of the named case per line read; the first of each is its warm-up."""
    urls = dict(cases())
    print("ready", flush=True)
    for line in sys.stdin:
        print(f"{request(client, urls[line.strip()])[0]:.3f}", flush=True)


def signed_in_admin():
    """A test client signed in as the demo Administrator, second factor passed (as after a real sign-in)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=admin, confirmed=True).first().persistent_id
    session.save()
    return client


def pin_clock():
    """Requests see the seed's moment as now (the clock running on from it), whatever the calendar says:
    a date preset then selects the same stretch of the seeded history at every size and on every day."""
    from datetime import datetime

    from django.utils import timezone

    moment, started = datetime.fromisoformat(NOW), time.monotonic()
    timezone.now = lambda: moment + timedelta(seconds=time.monotonic() - started)


def main():
    args = parse_args()
    setup_database(args.orders)
    pin_clock()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    client = signed_in_admin()
    if args.serve:
        return serve(client)
    if args.against and os.environ.get("BENCH_DATABASE_URL_GIVEN"):
        sys.exit("--against compares the SQLite data sets in bench/data/; unset DATABASE_URL")
    reference = Reference(args.against) if args.against else None
    print(f"# {args.orders:,} orders on {connection.vendor}; median of {args.repeat} requests (ms), max, queries"
          + (f"; then the median on {args.against:,} orders, requests alternating, and the ratio" if reference else ""))
    print(f"{'case':<34} {'median':>8} {'max':>8} {'queries':>8} {'status':>7}"
          + (f" {f'@{args.against:,}':>9} {'ratio':>6}" if reference else ""))
    for name, url in cases():
        if args.only and args.only not in name:
            continue
        median, worst, queries, status, theirs = measure(client, url, args.repeat, reference, name)
        print(f"{name:<34} {median:8.1f} {worst:8.1f} {queries:8d} {status:7d}"
              + (f" {theirs:9.1f} {median / theirs:6.2f}" if reference else ""), flush=True)
    if reference:
        reference.close()


if __name__ == "__main__":
    main()
