"""Benchmark of the order pages and Django admin's big changelists on a large data set. Prints figures.

    .venv/bin/python bench/orders_bench.py                          # 1,000,000 orders, SQLite in bench/data/
    .venv/bin/python bench/orders_bench.py --orders 10000           # the small reference data set
    .venv/bin/python bench/orders_bench.py --against 10000          # and the ratio to 10,000 orders
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/x .venv/bin/python bench/orders_bench.py
    .venv/bin/python bench/orders_bench.py --databases sqlite,postgres --against 10000   # side by side
    .venv/bin/python bench/orders_bench.py --save a.json ... ; --compare a.json b.json
    .venv/bin/python bench/orders_bench.py --orders 20000 --snapshot-plans   # bench/plans/<vendor>/
    .venv/bin/python bench/orders_bench.py --orders 20000 --check-plans      # fails when a case lost its index

The data set (bench/benchdb.py: a SQLite file, or database sc_bench_N on PostgreSQL) is built once with
`seed_demo` and reused. Each URL is requested through Django's test client in this process: the figure
is server time (middleware, view, queries, template), the median of --repeat runs after one warm-up.
Search terms come from the data's frequency distribution (bench/search_terms.py) and are printed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402
import plans  # noqa: E402
import results  # noqa: E402

PLANS = ROOT / "bench" / "plans"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument(
        "--against",
        type=int,
        metavar="ORDERS",
        help="also time each case on this many orders (e.g. 10000), in a second process whose "
        "requests alternate with this one's, and print the ratio: on a shared machine whose "
        "speed drifts, both sizes then see the same conditions",
    )
    parser.add_argument(
        "--databases",
        help="comma-separated kinds (sqlite,postgres): run each in turn, then print their figures side by side",
    )
    parser.add_argument(
        "--save",
        type=Path,
        help="write this run's figures to a JSON file (with --databases: one file per kind, named <stem>-<kind>.json)",
    )
    parser.add_argument("--compare", type=Path, nargs="+", metavar="JSON", help="print saved runs side by side")
    parser.add_argument(
        "--snapshot-plans",
        action="store_true",
        help="write each case's normalised query plans to --plans-dir/<vendor>/ instead of timing",
    )
    parser.add_argument(
        "--check-plans",
        action="store_true",
        help="compare each case's plans with its snapshot; exit 1 when a case lost an index",
    )
    parser.add_argument("--plans-dir", type=Path, default=PLANS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the --against process
    benchdb.add_arguments(parser)
    return parser.parse_args(argv)


class Timing(NamedTuple):
    median: float
    worst: float
    queries: int
    status: int
    theirs: float | None = None  # the --against data set's median


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


def measure(client, url, repeat, reference=None, name=None) -> Timing:
    """`repeat` requests after one warm-up (none when `repeat` is 1: a smoke run); with a `reference`
    process, each request alternates with one of the same case there, whose median comes last."""
    if repeat > 1:
        client.get(url)
        if reference:
            reference.ask(name)
    times, theirs = [], []
    for _ in range(repeat):
        if reference:
            theirs.append(reference.ask(name))
        elapsed, queries, status = request(client, url)
        times.append(elapsed)
    return Timing(statistics.median(times), max(times), queries, status, statistics.median(theirs) if theirs else None)


class Reference:
    """The same benchmark on another data set, in a child process answering one request per line."""

    def __init__(self, orders, args):
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if args.database == "postgres":
            env["DATABASE_URL"] = benchdb.postgres_server()
        command = [sys.executable, __file__, "--orders", str(orders), "--serve", *benchdb.forwarded(args)]
        self.process = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.terms = []
        for line in self.process.stdout:  # the set-up's own output comes first, then its search terms
            if line.strip() == "ready":
                break
            if line.startswith("# "):
                self.terms.append(line.rstrip())
        else:
            sys.exit(f"the benchmark on {orders:,} orders did not start")

    def ask(self, name) -> float:
        self.process.stdin.write(name + "\n")
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def serve(clients, cases):
    """--serve: time one request of the named case per line read; the first of each is its warm-up."""
    urls = dict(cases)
    for line in cases.describe():
        print(line)
    print("ready", flush=True)
    for line in sys.stdin:
        url = urls[line.strip()]
        print(f"{request(client_for(clients, url), url)[0]:.3f}", flush=True)


def client_for(clients, url):
    return clients["root" if url.startswith("/admin/") else "admin"]


def pin_clock():
    """Requests see the seed's moment as now (the clock running on from it), whatever the calendar says:
    a date preset then selects the same stretch of the seeded history at every size and on every day."""
    from django.utils import timezone

    moment, started = datetime.fromisoformat(benchdb.NOW), time.monotonic()
    timezone.now = lambda: moment + timedelta(seconds=time.monotonic() - started)


def selected(cases, only):
    return [(name, url) for name, url in cases if not only or only in name]


def time_cases(args, clients, cases):
    from django.db import connection

    reference = Reference(args.against, args) if args.against else None
    terms = cases.describe()
    print(
        f"# {args.orders:,} orders on {connection.vendor}; median of {args.repeat} requests (ms), max, queries"
        + (f"; then the median on {args.against:,} orders, requests alternating, and the ratio" if reference else "")
    )
    for line in terms:
        print(line)
    for line in reference.terms if reference else []:
        print(f"# @{args.against:,}: {line[2:]}")
    print(
        f"{'case':<44} {'median':>8} {'max':>8} {'queries':>8} {'status':>7}"
        + (f" {f'@{args.against:,}':>9} {'ratio':>6}" if reference else "")
    )
    rows = []
    for name, url in selected(cases, args.only):
        timing = measure(client_for(clients, url), url, args.repeat, reference, name)
        rows.append((name, timing))
        print(
            f"{name:<44} {timing.median:8.1f} {timing.worst:8.1f} {timing.queries:8d} {timing.status:7d}"
            + (f" {timing.theirs:9.1f} {timing.median / timing.theirs:6.2f}" if reference else ""),
            flush=True,
        )
    if reference:
        reference.close()
    if args.save:
        results.save(args.save, connection.vendor, args.orders, args.against, terms, rows)
    return 1 if any(timing.status >= 500 for _, timing in rows) else 0  # a page past a small set's end: 400


def plan_cases(args, clients, cases):
    """--snapshot-plans writes each case's plans; --check-plans compares them with the snapshots."""
    from django.db import connection

    failed = 0
    for name, url in selected(cases, args.only):
        text = plans.render(name, url, args.orders, plans.case_plan(client_for(clients, url), url))
        path = plans.snapshot_path(args.plans_dir, connection.vendor, name)
        if args.snapshot_plans:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"{name:<44} {text.splitlines()[3]}")
        elif not path.exists():
            print(f"{name:<44} no snapshot ({path})")
        else:
            problems = plans.check(path.read_text(), text)
            failed += bool(problems)
            print(f"{name:<44} {'; '.join(problems) or 'ok'}")
    if args.check_plans:
        print(
            f"# {failed} case(s) lost an index or read a big table whole" if failed else "# every case as snapshotted"
        )
    return 1 if failed else 0


def each_database(args, argv):
    """--databases: one run per kind, each in its own process, then their figures side by side."""
    saved, skip = [], {"--databases", "--save", "--database"}
    rest, drop = [], False
    for arg in argv:
        if drop:
            drop = False
            continue
        if arg.split("=")[0] in skip:
            drop = "=" not in arg
            continue
        rest.append(arg)
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.databases.split(","):
            out = Path(folder) / f"{kind}.json"
            if args.save:
                out = args.save.with_name(f"{args.save.stem}-{kind}.json")
            print(f"## {kind}", flush=True)
            env = dict(os.environ)
            if kind == "postgres":
                env["DATABASE_URL"] = benchdb.postgres_server()
            subprocess.run([sys.executable, __file__, *rest, "--database", kind, "--save", str(out)], env=env)
            if out.exists():
                saved.append(results.load(out))
    if not saved:
        return 1
    print("\n".join(results.side_by_side(saved)))
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.compare:
        print("\n".join(results.side_by_side([results.load(path) for path in args.compare])))
        return 0
    if args.databases:
        return each_database(args, argv)
    benchdb.configure(args)
    benchdb.ensure_built(args.orders, verbose=not args.serve)
    pin_clock()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    from orders_cases import Cases

    clients = {"admin": benchdb.signed_in("admin"), "root": benchdb.signed_in("root")}
    cases = Cases()
    if args.serve:
        return serve(clients, cases)
    if args.snapshot_plans or args.check_plans:
        return plan_cases(args, clients, cases)
    return time_cases(args, clients, cases)


def signed_in_admin():
    """The demo Administrator's client (kept for the other benchmark scripts)."""
    return benchdb.signed_in("admin")


if __name__ == "__main__":
    sys.exit(main())
