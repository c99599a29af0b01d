"""Export benchmark, side by side on one database. Prints figures; it asserts nothing.

    .venv/bin/python bench/exports_bench.py                    # 1,000,000 orders (bench/data), every case
    .venv/bin/python bench/exports_bench.py --orders 10000     # the small data set
    .venv/bin/python bench/exports_bench.py --only csv         # cases whose name contains "csv"

Each export runs in a process of its own (as the task worker would), so its peak memory (max RSS)
is its own. Cases, all over every order of the database, one row per order line:
  ours csv            the export job's code path: plain CSV, unmasked (an Administrator)
  ours csv masked     the same for an Accountant: names, e-mails and phones masked in Python
  sqlite3 cli csv     the sqlite3 command-line tool with `.mode csv` running the export's SELECT in its
                      one-value-per-column form (times left in UTC: less work than ours)
  ours xlsx           the export job's XLSX (xlsxwriter, constant memory)
  openpyxl xlsx       openpyxl's write-only mode with lxml, same rows, typed cells (on --sample rows)
  import-export csv same columns        (bench/import_export_reference.py)
                      django-import-export, a ModelResource over LineItem with our columns, headers and
                      formatting: labels, shop-zone times, money, formula guard (on --sample rows)
  import-export csv raw 27 columns
                      the same tool with 27 of the columns as stored, unformatted (on --sample rows)
  list during export  the order list's median latency idle, then while "ours xlsx" runs
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import benchdb  # noqa: E402

ALL = {"filters": {}, "shops": []}
CASES = (
    "ours csv",
    "ours csv masked",
    "sqlite3 cli csv",
    "ours xlsx",
    "openpyxl xlsx",
    "import-export csv same columns",
    "import-export csv raw 27 columns",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200_000, help="rows for the slow reference tools")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--list-repeat", type=int, default=15, help="requests per list latency figure")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    benchdb.add_arguments(parser)
    return parser.parse_args()


def setup(args):
    benchdb.configure(args)
    benchdb.ensure_built(args.orders)


def unavailable(name, vendor) -> str | None:
    """Why a case cannot run here (a tool not installed, another database), or None."""
    import importlib.util
    import shutil

    if name == "sqlite3 cli csv" and (vendor != "sqlite" or not shutil.which("sqlite3")):
        return "needs SQLite and the sqlite3 command-line tool"
    if name.startswith("import-export") and not importlib.util.find_spec("import_export"):
        return "django-import-export is not installed (pip install -e '.[bench]')"
    return None


def user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def ours(username, fmt, out):
    """The export job's own steps: scope, its own connection, count, write."""
    from exports.columns import Format, Layout
    from exports.services.files import write_export
    from exports.services.jobs import _yield_to_the_site
    from exports.services.reading import batches, count_rows, snapshot_cursors
    from exports.services.scope import export_query, scope_for

    _yield_to_the_site()  # as the task worker does
    scope = scope_for(user(username), ALL)
    with snapshot_cursors() as (vendor, counter, cursor):
        query = export_query(scope, Layout.LINES, Format(fmt), vendor)
        total = count_rows(counter, query)
        write_export(out, batches(cursor, query), query, Format(fmt))
    return total


def inline_sql():
    """The export's SELECT with its parameters written in, as the sqlite3 tool needs it: the one-value-
    per-column form (the XLSX export's), so that the tool writes the same rows and columns. (The CSV
    export's own SELECT joins finished fields into a few strings; times are then shifted into the
    shop's zone in Python: work the tool is spared.)"""
    from django.db import connection

    from exports.columns import Format, Layout
    from exports.services.scope import export_query, scope_for

    query = export_query(scope_for(user("admin"), ALL), Layout.LINES, Format.XLSX, connection.vendor)
    parts = query.sql.split("%s")
    assert len(parts) == len(query.params) + 1
    sql = parts[0] + "".join(
        f"{int(p) if isinstance(p, int) else repr(str(p))}{rest}" for p, rest in zip(query.params, parts[1:])
    )
    return sql.replace("%%", "%")


def sqlite_cli(out):
    from django.db import connection

    sql = inline_sql()
    script = f".headers on\n.mode csv\n.output {out}\n{sql};\n"
    started = time.perf_counter()
    subprocess.run(["sqlite3", connection.settings_dict["NAME"]], input=script, text=True, check=True)
    seconds = time.perf_counter() - started
    import csv

    with open(out, encoding="utf-8", newline="") as written:
        rows = sum(1 for _ in csv.reader(written)) - 1  # records, not lines: messages hold newlines
    return rows, seconds


def openpyxl_sample(out, sample):
    """openpyxl write-only (lxml installed) on the same rows, typed as our writer types them."""
    import openpyxl
    from django.db import connection

    from exports.columns import Format, Layout
    from exports.services.reading import batches
    from exports.services.scope import export_query, scope_for
    from exports.shaping import xlsx_rows
    from exports.writers import headers

    query = export_query(scope_for(user("admin"), ALL), Layout.LINES, Format.XLSX, connection.vendor)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(headers(query.columns))
    shaped, written = xlsx_rows(query.outputs, query.zones), 0
    with connection.cursor() as cursor:
        for batch in batches(cursor, query):
            for row in shaped(batch):
                sheet.append(row)
            written += len(batch)
            if written >= sample:
                break
    book.save(out)
    return written


def run_case(name, sample):
    """Runs in a child process; prints one JSON line."""
    setup_quiet()
    out = tempfile.NamedTemporaryFile(suffix=".xlsx" if "xlsx" in name else ".csv", delete=False).name
    started = time.perf_counter()
    if name == "ours csv":
        rows = ours("admin", "csv", out)
    elif name == "ours csv masked":
        rows = ours("accountant", "csv", out)
    elif name == "ours xlsx":
        rows = ours("admin", "xlsx", out)
    elif name == "sqlite3 cli csv":
        rows, seconds = sqlite_cli(out)
        started = time.perf_counter() - seconds
    elif name == "openpyxl xlsx":
        rows = openpyxl_sample(out, sample)
    elif name == "import-export csv same columns":
        from import_export_reference import import_export_same_columns_sample

        rows = import_export_same_columns_sample(out, sample)
    elif name == "import-export csv raw 27 columns":
        from import_export_reference import import_export_raw_sample

        rows = import_export_raw_sample(out, sample)
    else:
        raise SystemExit(f"unknown case {name}")
    seconds = time.perf_counter() - started
    size = os.path.getsize(out)
    os.remove(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": name, "rows": rows, "seconds": seconds, "peak_mb": peak, "bytes": size}))


def setup_quiet():
    benchdb.configure(parse_args())


def child(name, args, wait=True):
    command = [
        sys.executable,
        __file__,
        "--orders",
        str(args.orders),
        "--sample",
        str(args.sample),
        "--case",
        name,
        *benchdb.forwarded(args),
    ]
    if args.pg_name:
        command += ["--pg-name", args.pg_name]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    if not wait:
        return process
    output, _ = process.communicate()
    return json.loads(output.strip().splitlines()[-1])


def report(result):
    rate = result["rows"] / result["seconds"] if result["seconds"] else 0
    print(
        f"{result['case']:<32} {result['rows']:>10,} rows {result['seconds']:8.1f} s {rate:10,.0f} rows/s "
        f"peak {result['peak_mb']:6.0f} MB  {result['bytes'] / 1e6:8.1f} MB file",
        flush=True,
    )
    return result


def list_latency(repeat=15):
    """Median server time of the order list (first page, no filter) as an Administrator."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    client = benchdb.signed_in("admin")
    client.get("/orders/")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert client.get("/orders/").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
    return statistics.median(times)


def main():
    args = parse_args()
    if args.case:
        run_case(args.case, args.sample)
        return
    setup(args)
    from django.db import connection

    print(f"# {args.orders:,} orders on {connection.vendor}; one row per order line; one process per export")
    results = {}
    for name in CASES:
        if args.only and args.only not in name:
            continue
        reason = unavailable(name, connection.vendor)
        if reason:
            print(f"{name:<32} skipped: {reason}", flush=True)
            continue
        results[name] = report(child(name, args))
    rate = {name: r["rows"] / r["seconds"] for name, r in results.items()}
    if "ours csv" in rate and "sqlite3 cli csv" in rate:
        print(
            f"ours csv takes {results['ours csv']['seconds'] / results['sqlite3 cli csv']['seconds']:.2f}x "
            f"the sqlite3 tool's time (goal: within 4x)"
        )
    if "ours csv" in rate and "import-export csv same columns" in rate:
        print(
            f"ours csv: {rate['ours csv'] / rate['import-export csv same columns']:.1f}x django-import-export's "
            "throughput on the same columns (goal: at least 10x)"
        )
    if "ours csv" in rate and "import-export csv raw 27 columns" in rate:
        print(
            f"ours csv: {rate['ours csv'] / rate['import-export csv raw 27 columns']:.1f}x django-import-export's "
            "throughput on 27 raw columns"
        )
    if "ours xlsx" in rate and "openpyxl xlsx" in rate:
        print(
            f"ours xlsx: {rate['ours xlsx']:,.0f} rows/s against openpyxl write-only + lxml "
            f"{rate['openpyxl xlsx']:,.0f} rows/s (goal: at least as fast)"
        )
    if not args.only or "list" in args.only:
        idle = list_latency(args.list_repeat)
        process = child("ours xlsx", args, wait=False)
        time.sleep(3)
        busy = list_latency(args.list_repeat)
        process.terminate()  # the figure is taken; no need to finish the file
        process.wait()
        print(
            f"list page: idle {idle:.1f} ms median, during an export {busy:.1f} ms ({busy / idle:.2f}x; goal: under 2x)"
        )


if __name__ == "__main__":
    main()
