"""Load test: gunicorn with several workers, many signed-in users, the emulator writing and an export running.

    .venv/bin/python bench/load_test.py                                  # 1,000,000 orders, SQLite (bench/data/)
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/ .venv/bin/python bench/load_test.py --database postgres
    .venv/bin/python bench/load_test.py --orders 300 --smoke             # 2 users for 5 s (the CI smoke run)

On the data set of bench/orders_bench.py (bench/benchdb.py: bench/data/orders-N.sqlite3 or database sc_bench_N,
never rebuilt here), on loopback only, bounded in time, this script
- starts gunicorn (--workers 3, sellercenter.production behind a pretend TLS proxy: X-Forwarded-Proto https;
  CONN_MAX_AGE=60), `manage.py simulate --interval 1` (new orders, payments, shipping, deliveries...) and
  `manage.py db_worker`, each in a process group of its own, all with the clock pinned to the seed's moment
  (bench/pinned.py);
- asks for a big export through the Exports page (as the demo Accountant: this year's orders, CSV, one row
  per line), which the worker runs while the load runs;
- runs N users (threads, one session each: admin with its second factor passed, accountant, support,
  packer, viewer in turn) without think time for --duration seconds over the order list (tabs, presets and
  filters with values drawn from a random sample of the data), searches (buyer first names, product names,
  seller SKUs at the rarest, median and most common term of the data, order ids and tracking numbers in the
  search box) and order detail pages (random orders of the user's shops);
- prints requests, errors (5xx or a failed connection), other non-200 answers, throughput and the
  p50/p95/p99 latency seen by the client overall and per page kind, with gunicorn's own time per request
  (its access log: the time in the worker, without the wait in the listen queue);
- stops every process group it started (SIGTERM, then SIGKILL) in a finally block, also on Ctrl+C, and
  leaves the data set as it found it: the export job is cancelled (before the worker stops: it would finish
  it first) and deleted, and the orders the simulator placed are deleted, so the data set keeps exactly N orders (bench/orders_bench.py would otherwise rebuild it). The
  simulator's moves of existing orders (paid, shipped, delivered...) stay: a minute's worth.

Exit status 1 when any request failed or answered anything but 200, or when a process died.
"""

import argparse
import contextlib
import ctypes
import http.client
import io
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402

USERS = ("admin", "accountant", "support", "packer", "viewer")
KINDS = (("list", 5), ("search", 3), ("detail", 2))  # the mix of page kinds, by weight
TABS = ("unpaid", "to_ship", "shipped", "completed", "cancelled", "after_sales")
PRESETS = (
    "today",
    "yesterday",
    "last_24h",
    "last_7d",
    "last_30d",
    "this_month",
    "last_month",
    "this_quarter",
    "this_year",
)
SORTS = ("-total", "total", "created", "-paid")
SAMPLE = 2000  # orders drawn at random: detail pages, order-id searches and the filters' values
REQUEST_TIMEOUT = 60  # seconds (gunicorn's --timeout too): a request slower than this is an error


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users (default 20)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--settings",
        choices=("production", "development"),
        default="production",
        help="sellercenter.production (default) or sellercenter.settings with DEBUG off",
    )
    parser.add_argument("--no-simulator", action="store_true", help="no `manage.py simulate` beside the site")
    parser.add_argument("--no-export", action="store_true", help="no export job during the load")
    parser.add_argument(
        "--keep-orders",
        action="store_true",
        help="keep the orders the simulator placed (the data set then holds more than N)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the users' choices")
    parser.add_argument(
        "--logs",
        type=Path,
        help="keep the logs of gunicorn (with its access log), the simulator "
        "and the worker in this folder (default: removed at the end)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a smoke run: 2 users for 5 s, and even a tiny export becomes a background job",
    )
    benchdb.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.duration = 2, 5
    if not (1 <= args.users <= 200 and 0 < args.duration <= 600 and 1 <= args.workers <= 16):
        parser.error("--users 1..200, --duration up to 600 s, --workers 1..16")
    return args


# ---------------------------------------------------------------- the environment every process shares


def prepare_environment(args, var_dir: Path):
    """Settings, the pinned clock's start, a throw-away var directory (export files, collected static files)."""
    os.environ["LOAD_CLOCK_START"] = repr(time.time())
    os.environ.setdefault("CONN_MAX_AGE", "60")
    os.environ["SELLERCENTER_VAR_DIR"] = str(var_dir)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # production's logging: no line per sign-in
    os.environ["PYTHONUNBUFFERED"] = "1"  # the children's logs are whole when they are stopped
    os.environ.setdefault("LOAD_TEST_RUN", secrets.token_hex(8))  # marks every process this run starts
    if args.smoke:
        os.environ["EXPORT_IMMEDIATE_ROWS"] = "0"  # the smoke data set is tiny: still a job for the worker
    if args.settings == "production":
        os.environ["DJANGO_SETTINGS_MODULE"] = "sellercenter.production"
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        os.environ["SECURE_PROXY_SSL_HEADER_NAME"] = "HTTP_X_FORWARDED_PROTO"  # loopback plays the TLS proxy
        os.environ["CSRF_TRUSTED_ORIGINS"] = ""
    else:
        os.environ["DJANGO_SETTINGS_MODULE"] = "sellercenter.settings"
        os.environ["DEBUG"] = "false"
    import pinned

    pinned.pin_clock()  # this process too: the sessions' stamps and the export's presets


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- what the users ask for


class Plan:
    """Each user's session and the URLs they draw from: filters, terms and orders taken from the data."""

    def __init__(self, usernames, rng):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from search_terms import all_terms, describe

        from accounts.models import Shop
        from accounts.roles import Perm
        from orders.models import Order
        from orders.selectors.visibility import visible_shop_ids
        from orders.statuses import OrderStatus

        self.rng = rng
        self.deepest = max(2, min(20, Order.objects.count() // 150))  # a page past the end answers 400
        self.terms = all_terms()
        self.described = describe(self.terms)
        self.sample = list(
            Order.objects.order_by("?").values_list(
                "pk", "shop_id", "ship_country", "ship_state", "carrier", "payment_method"
            )[:SAMPLE]
        )
        self.statuses = list(OrderStatus.values)
        codes = dict(Shop.objects.values_list("pk", "code"))
        self.users = []
        for username in usernames:
            user = get_user_model().objects.get(username=username)
            client = Client()
            client.force_login(user)  # a session of its own, as after a real sign-in
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:  # the second factor passed, as benchdb.signed_in does
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            shops = set(visible_shop_ids(user))
            orders = [row for row in self.sample if row[1] in shops]
            if not orders:
                sys.exit(f"{username} sees none of the sampled orders")
            columns = ["product", "sku", "order id", "tracking"]
            if visible_shop_ids(user, Perm.VIEW_BUYER_PII):  # the others may not search by buyer (400)
                columns.append("buyer")
            self.users.append(
                {
                    "name": username,
                    "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "shops": sorted(codes[pk] for pk in shops),
                    "orders": orders,
                    "columns": columns,
                }
            )

    def url(self, user, kind) -> tuple[str, str]:
        """(case, URL): the case names the page's shape (which filter, which searched column)."""
        pick = self.rng.choice
        if kind == "detail":
            return "detail", f"/orders/{pick(user['orders'])[0]}/"
        if kind == "search":
            column = pick(user["columns"])
            if column == "order id":
                return "search: order id", "/orders/?" + urlencode({"q": pick(user["orders"])[0]})
            terms = self.terms.get(column) or self.terms["buyer"]
            param = {"buyer": "buyer", "product": "product", "sku": "product", "tracking": "q"}[column]
            return f"search: {column}", "/orders/?" + urlencode({param: pick(terms).value})
        order = pick(user["orders"])  # a real order's country, state, carrier and payment method
        filters = {}
        shape = pick(
            (
                "none",
                "tab",
                "tab",
                "preset",
                "status",
                "shop",
                "country",
                "state",
                "carrier",
                "payment",
                "sort",
                "page",
                "tab+preset",
                "shop+tab",
            )
        )
        if "tab" in shape:
            filters["tab"] = pick(TABS)
        if "preset" in shape:
            filters["preset"] = pick(PRESETS)
        if "shop" in shape:
            filters["shop"] = pick(user["shops"])
        if shape == "status":
            filters["status"] = pick(self.statuses)
        if shape == "country":
            filters["country"] = order[2]
        if shape == "state" and order[3]:
            filters["state"] = order[3]
        if shape == "carrier" and order[4]:
            filters["carrier"] = order[4]
        if shape == "payment":
            filters["payment_method"] = order[5]
        if shape == "sort":
            filters["sort"] = pick(SORTS)
        if shape == "page":
            filters["page"] = self.rng.randint(2, self.deepest)
        return f"list: {shape}", "/orders/" + ("?" + urlencode(filters) if filters else "")


def session_for(username) -> str:
    """A signed-in session's cookie for `username` (the export's owner)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# ---------------------------------------------------------------- HTTP


class Browser:
    """One user's connection to the site (gunicorn's sync workers close it after each answer; http.client
    opens a new one as needed), with the headers a TLS-terminating proxy would add."""

    def __init__(self, port, cookie):
        self.port, self.cookies = port, {"sessionid": cookie}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def request(self, method, url, body=None, headers=None):
        from django.conf import settings

        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        cookie = cookie.replace("sessionid=", f"{settings.SESSION_COOKIE_NAME}=", 1)
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}", **(headers or {})}
        try:
            self.connection.request(method, url, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            self.connection.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data, response

    def close(self):
        self.connection.close()


def wait_until_serving(port, gunicorn, deadline_seconds=90):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise RuntimeError(f"gunicorn ended (exit status {gunicorn.returncode}) before it served")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {deadline_seconds} s")


def start_export(port, username, preset):
    """The Exports page as a person uses it: open it, then post the form (this year's orders, CSV, lines)."""
    from django.contrib.auth import get_user_model

    from exports.models import ExportJob

    owner = get_user_model().objects.get(username=username)
    before = set(ExportJob.objects.filter(owner=owner).values_list("pk", flat=True))
    browser = Browser(port, session_for(username))
    status, page, _ = browser.request("GET", "/exports/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise RuntimeError(f"the Exports page answered {status} without a form")
    origin = f"https://127.0.0.1:{port}"
    form = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "date_field": "created",
            "preset": preset,
            "format": "csv",
            "layout": "lines",
        }
    )
    status, page, _ = browser.request(
        "POST",
        "/exports/",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": f"{origin}/exports/"},
    )
    browser.close()
    if status != 302:
        raise RuntimeError(f"posting the export form answered {status}: {page[:300]!r}")
    job = ExportJob.objects.filter(owner=owner).exclude(pk__in=before).first()
    if job is None:
        raise RuntimeError("the export form created no job")
    return job


def wait_running(job, seconds):
    """Until the worker has taken the job (or `seconds` passed): the load then runs beside the export."""
    from exports.models import ExportStatus

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status != ExportStatus.QUEUED:
            return
        time.sleep(0.5)


# ---------------------------------------------------------------- the load


def run_load(plan, port, duration, seed):
    """Every user in a thread of its own, without think time, until `duration` seconds have passed.
    Returns [(kind, status or None, seconds, error text)] and the wall time of the load."""
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    results = [[] for _ in plan.users]
    started = time.monotonic()
    deadline = started + duration

    def user_loop(index, user):
        rng = random.Random(seed * 1000 + index)
        plan_rng = random.Random(seed * 1000 + index + 500)
        browser = Browser(port, user["cookie"])
        own = Plan.__new__(Plan)  # the same data, this thread's own random choices
        own.__dict__.update(plan.__dict__, rng=plan_rng)
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            case, url = own.url(user, kind)
            begun = time.perf_counter()
            try:
                status, _, _ = browser.request("GET", url, headers={"X-Load-Kind": kind, "X-Load-Case": case})
                error = None if status < 500 else f"{status} {url}"
            except Exception as exc:  # noqa: BLE001 - a refused, reset or timed-out connection: counted, not raised
                status, error = None, f"{type(exc).__name__}: {exc} ({url})"
            results[index].append((kind, status, time.perf_counter() - begun, error, url, case))
        browser.close()

    threads = [threading.Thread(target=user_loop, args=(i, user), daemon=True) for i, user in enumerate(plan.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + REQUEST_TIMEOUT + 30)
    return [row for rows in results for row in rows], time.monotonic() - started


def percentiles(seconds):
    """p50, p95, p99 in ms."""
    if not seconds:
        return (float("nan"),) * 3
    if len(seconds) == 1:
        return (seconds[0] * 1000,) * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def server_times(access_log: Path):
    """gunicorn's time per request (seconds) by page kind and by case, and the slowest requests, from the
    access log's `<µs> "<kind>" "<case>" <status> "<request line>"` lines."""
    times, cases, every = defaultdict(list), defaultdict(list), []
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            match = re.match(r'(\d+) "([a-z]+)" "([^"]*)" (\d+) "(.*)"$', line)
            if match:
                seconds = int(match.group(1)) / 1e6
                times[match.group(2)].append(seconds)
                cases[match.group(3)].append(seconds)
                every.append((seconds, match.group(4), match.group(5)))
    return times, cases, sorted(every, reverse=True)[:8]


def by_case(rows, cases):
    lines = [f"{'case':<22} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'server p50':>10} {'p95':>7}"]
    for case in sorted({r[5] for r in rows}):
        mine = [r[2] for r in rows if r[5] == case and r[3] is None]
        p50, p95, _ = percentiles(mine)
        s50, s95, _ = percentiles(cases.get(case, []))
        lines.append(f"{case:<22} {len(mine):8d} {p50:8.0f} {p95:8.0f} {s50:10.0f} {s95:7.0f}")
    return lines


def report(rows, wall, server):
    lines = [
        (
            f"{'page kind':<10} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
            f" {'server p50':>10} {'p95':>7} {'p99':>7}"
        )
    ]
    for kind in ("all", *(k for k, _ in KINDS)):
        mine = [r for r in rows if kind == "all" or r[0] == kind]
        ok = [r[2] for r in mine if r[3] is None]
        theirs = [t for k, ts in server.items() for t in ts] if kind == "all" else server.get(kind, [])
        p50, p95, p99 = percentiles(ok)
        s50, s95, s99 = percentiles(theirs)
        lines.append(
            f"{kind:<10} {len(mine):8d} {sum(r[3] is not None for r in mine):6d} {len(mine) / wall:7.1f} "
            f"{p50:8.0f} {p95:8.0f} {p99:8.0f} {s50:10.0f} {s95:7.0f} {s99:7.0f}"
        )
    return lines


# ---------------------------------------------------------------- processes


def _die_with_parent():
    """In the child before exec: SIGTERM when the load test itself dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(argv, log: Path):
    """A child in a session (process group) of its own; started before the load's threads exist."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            argv,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def cancel_export(job):
    """Before the worker is stopped: on SIGTERM it would finish the job first (django-tasks' graceful stop),
    writing on while the next run or benchmark starts. Cancelled, it stops at its next heartbeat."""
    from django.db import close_old_connections

    from exports.services.jobs import cancel_job

    close_old_connections()
    return job is not None and cancel_job(job)


def cleanup_data(job, keep_orders):
    """The data set as it was: the export job gone, the simulator's orders gone (created after the seed's moment).
    Audit events (the export asked for) and the simulator's moves of existing orders stay."""
    from datetime import datetime

    from django.apps import apps

    from exports.models import ExportJob
    from orders.models import Order

    notes = []
    if job is not None:
        job.refresh_from_db()
        if job.task_id and apps.is_installed("django_tasks_db"):  # its task's result, left RUNNING by the stop
            apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(pk=job.task_id).delete()
        ExportJob.objects.filter(pk=job.pk).delete()
        notes.append(f"export job {job.pk} and its task deleted")
    if not keep_orders:
        placed = Order.objects.filter(created_at__gt=datetime.fromisoformat(benchdb.NOW))
        count = placed.count()
        if count:
            placed.delete()
            notes.append(f"{count} simulated order(s) deleted")
    return notes


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    with tempfile.TemporaryDirectory(prefix="load-test-") as folder:
        return run(args, Path(folder))


def run(args, folder: Path):
    prepare_environment(args, folder / "var")
    url = benchdb.configure(args)
    with contextlib.redirect_stdout(io.StringIO()):  # seed_demo's list of demo sign-ins
        benchdb.require_built(args.orders)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from orders.demo.supervisor import stop_groups
    from orders.models import Order

    if args.settings == "production":
        call_command("collectstatic", interactive=False, verbosity=0)  # WhiteNoise's manifest
    rng = random.Random(args.seed)
    usernames = [USERS[i % len(USERS)] for i in range(args.users)]
    started_plan = time.monotonic()
    plan = Plan(usernames, rng)
    database = url.rsplit("/", 1)[-1]
    print(
        f"# load test: {args.orders:,} orders on {connection.vendor} ({database}); gunicorn --workers {args.workers} "
        f"({settings.SETTINGS_MODULE}, DEBUG {settings.DEBUG}, CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}); "
        f"{args.users} users ({', '.join(sorted(set(usernames)))}) without think time for {args.duration:g} s; "
        f"mix list/search/detail {'/'.join(str(w) for _, w in KINDS)}; set-up {time.monotonic() - started_plan:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    for line in plan.described:
        print(line)
    port = free_port()
    logs = args.logs or folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes, job, failures = [], None, []
    manage = [sys.executable, str(ROOT / "bench" / "pinned.py")]
    try:
        gunicorn = start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.pinned:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                str(REQUEST_TIMEOUT),
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--access-logfile",
                str(logs / "access.log"),
                "--access-logformat",
                '%(D)s "%({x-load-kind}i)s" "%({x-load-case}i)s" %(s)s "%(r)s"',
            ],
            logs / "gunicorn.log",
        )
        processes.append(("gunicorn", gunicorn, logs / "gunicorn.log"))
        if not args.no_export:
            worker = start([*manage, "db_worker", "--interval", "1", "--no-reload"], logs / "worker.log")
            processes.append(("db_worker", worker, logs / "worker.log"))
        wait_until_serving(port, gunicorn)
        if not args.no_export:
            job = start_export(port, "accountant", "this_year")
            wait_running(job, 30)
            job.refresh_from_db()
            export_start = (job.status, job.rows_written)
        if not args.no_simulator:
            simulator = start([*manage, "simulate", "--interval", "1", "--seed", str(args.seed)], logs / "simulate.log")
            processes.append(("simulate", simulator, logs / "simulate.log"))
        orders_before = Order.objects.count()
        rows, wall = run_load(plan, port, args.duration, args.seed)
        for name, process, log in processes:
            if process.poll() is not None:
                failures.append(
                    f"{name} ended during the load (exit status {process.returncode}); see its log:\n"
                    + log.read_text(errors="replace")[-2000:]
                )
        if job is not None:
            job.refresh_from_db()
            if job.status == "failed":
                failures.append(f"the export job failed: {job.error}")
        placed = Order.objects.count() - orders_before
    finally:
        cancel_export(job)
        stop_groups([process for _, process, _ in processes], grace=10)
        notes = cleanup_data(job, args.keep_orders)
    ticks = (
        len(re.findall(r"^tick \d+", (logs / "simulate.log").read_text(errors="replace"), re.MULTILINE))
        if (logs / "simulate.log").exists()
        else 0
    )
    server, cases, slowest = server_times(logs / "access.log")
    errors = [r for r in rows if r[3] is not None]
    odd = [r for r in rows if r[3] is None and r[1] != 200]
    if not args.no_simulator:
        print(f"# beside it: simulate --interval 1: {ticks} tick(s), {placed} new order(s)")
    if job is not None:
        print(
            f"# beside it: export job {job.pk} (this year, CSV, one row per line) by the worker: {export_start[0]} at "
            f"{export_start[1]:,} rows when the load began, {job.status} at {job.rows_written:,} of "
            f"{job.rows_total or 0:,} rows when it ended"
        )
    for line in report(rows, wall, server):
        print(line)
    print(
        f"total: {len(rows):,} requests in {wall:.1f} s, {len(rows) / wall:.1f} req/s; errors {len(errors)} "
        f"(5xx or connection); other non-200 {len(odd)}"
    )
    print("# by case (client p50/p95, then gunicorn's time)")
    for line in by_case(rows, cases):
        print(line)
    print("# the slowest requests in gunicorn (ms, status, request)")
    for seconds, status, request in slowest:
        print(f"{seconds * 1000:8.0f} {status} {request}")
    for row in (errors + odd)[:10]:
        print(f"  {row[0]} {row[1]} {row[3] or row[4]}")
    for note in notes:
        print(f"# cleaned up: {note}")
    for failure in failures:
        print(failure)
    return 1 if errors or odd or failures or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
