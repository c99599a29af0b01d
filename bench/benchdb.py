"""The benchmark databases: one per size and per database kind, built once with `seed_demo` and reused.

    SQLite      <data dir>/orders-N.sqlite3 (bench/data/ unless --data-dir)
    PostgreSQL  database sc_bench_N (or --pg-name) on the server DATABASE_URL points at; when
                DATABASE_URL is unset or SQLite, BENCH_POSTGRES_URL, else postgres://postgres:postgres@127.0.0.1:5432/

Every benchmark script takes these options, so that they all measure the same data set. The kind
defaults to the vendor of DATABASE_URL (SQLite when unset). Only the order benchmark builds a data
set; the others stop when it is missing (building 1,000,000 orders takes minutes).
"""

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-20T12:00:00+00:00"  # the seed's moment: requests see it as now (see orders_bench.pin_clock)
SHOPS = 6
SEED = 2026
KINDS = ("sqlite", "postgres")
DEFAULT_POSTGRES = "postgres://postgres:postgres@127.0.0.1:5432/"


def add_arguments(parser):
    """The options every benchmark script shares to name its data set."""
    parser.add_argument(
        "--database",
        choices=KINDS,
        default=default_kind(),
        help="the database kind (default: DATABASE_URL's, SQLite when unset)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=ROOT / "bench" / "data",
        help="where the SQLite data sets live (default bench/data)",
    )
    parser.add_argument("--pg-name", help="the PostgreSQL database's name (default sc_bench_<orders>)")


def forwarded(args) -> list[str]:
    """The shared options as command-line arguments, for a child process on the same data set's kind."""
    return ["--database", args.database, "--data-dir", str(args.data_dir)]


def default_kind() -> str:
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def postgres_server() -> str:
    """The URL of the PostgreSQL server (its database part is replaced by the bench's own)."""
    given = os.environ.get("DATABASE_URL", "")
    return given if given.startswith("postgres") else os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def database_url(kind: str, orders: int, data_dir: Path, pg_name: str | None = None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{Path(data_dir).resolve() / f'orders-{orders}.sqlite3'}"
    return with_database(postgres_server(), pg_name or f"sc_bench_{orders}")


def create_postgres_database(url: str):
    """CREATE DATABASE for `url` when it does not exist (connecting to the server's `postgres` database)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(url: str):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(args, orders: int | None = None):
    """Points Django at the data set of `orders` (default args.orders) and sets Django up.

    Connections are kept across requests (CONN_MAX_AGE=60 unless set), as the README deploys it."""
    orders = args.orders if orders is None else orders
    os.environ.setdefault("CONN_MAX_AGE", "60")
    url = database_url(args.database, orders, args.data_dir, args.pg_name)
    if args.database == "sqlite":
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    else:
        create_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def ensure_built(orders: int, verbose: bool = True):
    """Migrates, and builds the data set with seed_demo (then ANALYZE) unless it holds `orders` orders."""
    from django.core.management import call_command
    from django.db import connection

    from orders.models import Order

    call_command("migrate", verbosity=0)
    have = Order.objects.count()
    if have != orders:
        if verbose:
            print(f"building {orders:,} orders on {connection.vendor} (have {have:,}) ...", flush=True)
        started = time.monotonic()
        call_command(
            "seed_demo", orders=orders, shops=SHOPS, seed=SEED, now=NOW, reset=True, verbosity=1 if verbose else 0
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics of the finished data set
        if verbose:
            print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    else:
        call_command("seed_demo", orders=0, shops=SHOPS, verbosity=0)  # make sure the demo users exist


def require_built(orders: int):
    """Stops unless the data set holds exactly `orders` orders; migrates (new tables) when it does."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import DatabaseError

    from orders.models import Order

    try:
        have = Order.objects.count()
    except DatabaseError:
        have = 0
    if have != orders:
        sys.exit(
            f"the {connection.vendor} data set holds {have:,} orders, not {orders:,}: "
            "build it with bench/orders_bench.py first (not rebuilding it here)"
        )
    call_command("migrate", verbosity=0)
    call_command("seed_demo", orders=0, shops=SHOPS, verbosity=0)  # the demo users


def signed_in(username: str = "admin"):
    """A test client signed in as a demo user, second factor passed (as after a real sign-in).

    "admin" is the demo Administrator (Seller Center pages); "root" the superuser (Django admin)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).first().persistent_id
    session.save()
    return client
