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
  import-export csv same columns
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
ALL = {"filters": {}, "shops": []}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200_000, help="rows for the slow reference tools")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    return parser.parse_args()


def setup(orders):
    from orders_bench import setup_database

    setup_database(orders)


def user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def ours(username, fmt, out):
    """The export job's own steps: scope, its own connection, count, write."""
    from exports.columns import Format, Layout
    from exports.services.files import write_export
    from exports.services.reading import batches, count_rows, snapshot_cursors
    from exports.services.scope import export_query, scope_for

    from exports.services.jobs import _yield_to_the_site

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
    sql = parts[0] + "".join(f"{int(p) if isinstance(p, int) else repr(str(p))}{rest}"
                             for p, rest in zip(query.params, parts[1:]))
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


def write_dataset(resource, queryset, out):
    """django-import-export's own export: a tablib Dataset in memory, then its CSV."""
    dataset = resource.export(queryset=queryset)
    with open(out, "w", encoding="utf-8", newline="") as written:
        written.write(dataset.csv)
    return len(dataset)


def import_export_raw_sample(out, sample):
    """django-import-export with 27 of the columns as the model holds them: no labels, zones or formatting."""
    from import_export import fields, resources

    from orders.models import LineItem

    class LineResource(resources.ModelResource):
        order_id = fields.Field(attribute="order__id", column_name="Order ID")
        status = fields.Field(attribute="order__status", column_name="Order Status")
        created = fields.Field(attribute="order__created_at", column_name="Created Time")
        paid = fields.Field(attribute="order__paid_at", column_name="Paid Time")
        shipped = fields.Field(attribute="order__shipped_at", column_name="Shipped Time")
        total = fields.Field(attribute="order__total", column_name="Order Amount")
        currency = fields.Field(attribute="order__currency", column_name="Currency")
        buyer = fields.Field(attribute="order__buyer_name", column_name="Buyer Name")
        recipient = fields.Field(attribute="order__ship_name", column_name="Recipient")
        phone = fields.Field(attribute="order__ship_phone", column_name="Phone #")
        country = fields.Field(attribute="order__ship_country", column_name="Country")
        state = fields.Field(attribute="order__ship_state", column_name="Province")
        city = fields.Field(attribute="order__ship_city", column_name="City")
        address = fields.Field(attribute="order__ship_line1", column_name="Detail Address")
        postcode = fields.Field(attribute="order__ship_postcode", column_name="Zipcode")
        payment = fields.Field(attribute="order__payment_method", column_name="Payment Method")
        message = fields.Field(attribute="order__buyer_message", column_name="Buyer Message")
        tracking = fields.Field(attribute="package__tracking_number", column_name="Tracking ID")
        carrier = fields.Field(attribute="package__carrier", column_name="Shipping Provider Name")

        class Meta:
            model = LineItem
            fields = ("order_id", "status", "sku_id", "seller_sku", "product_name", "sku_name", "quantity",
                      "original_price", "seller_discount", "platform_discount", "total", "currency", "created",
                      "paid", "shipped", "buyer", "recipient", "phone", "country", "state", "city", "address",
                      "postcode", "payment", "message", "tracking", "carrier")

    queryset = LineItem.objects.select_related("order", "package").order_by("order__created_at", "order_id", "id")
    return write_dataset(LineResource(), queryset[:sample], out)


def import_export_same_columns_sample(out, sample):
    """django-import-export with a resource giving our export's columns (exports/columns.py LINE_COLUMNS):
    same headers and order, choice labels, money with two decimals, times in the shop's zone, the
    formula guard, addresses hidden while the buyer may still cancel."""
    from django.db.models import OuterRef, Subquery
    from import_export import fields, resources, widgets

    from accounts.spreadsheet import FORMULA_STARTS
    from orders.masking import ADDRESS_HIDDEN_STATUSES, HIDDEN
    from orders.models import LineItem, ReturnRequest
    from orders.statuses import ReturnType

    return_labels = dict(ReturnType.choices)

    class Text(widgets.Widget):
        """Free text; a leading apostrophe where a spreadsheet would read a formula (as our SQL does)."""

        def render(self, value, obj=None, **kwargs):
            text = "" if value is None else str(value)
            return "'" + text if text[:1] in FORMULA_STARTS else text

    class Money(widgets.Widget):
        def render(self, value, obj=None, **kwargs):
            return "" if value is None else f"{value:.2f}"

    class AddressField(fields.Field):
        """The recipient's address: hidden for everyone while the order is UNPAID or ON_HOLD."""

        def export(self, instance, **kwargs):
            if instance.order.status in ADDRESS_HIDDEN_STATUSES:
                return HIDDEN
            return super().export(instance, **kwargs)

    def text(attribute, header):
        return fields.Field(attribute=attribute, column_name=header, widget=Text())

    def money(attribute, header):
        return fields.Field(attribute=attribute, column_name=header, widget=Money())

    def address(attribute, header):
        return AddressField(attribute=attribute, column_name=header, widget=Text())

    def local_time(attribute, header):
        return fields.Field(attribute=attribute, column_name=f"{header} (shop time, ISO 8601)")

    def shop_time(line, moment):
        """ISO 8601 in the shop's own zone, whole seconds, with the offset: 2026-02-28T16:01:26-08:00."""
        if moment is None:
            return ""
        return moment.astimezone(line.order.shop.tzinfo).replace(microsecond=0).isoformat()

    class LineResource(resources.ModelResource):
        order_id = fields.Field(attribute="order_id", column_name="Order ID")
        status = fields.Field(attribute="order__get_status_display", column_name="Order Status")
        return_type = fields.Field(attribute="latest_return_type", column_name="Cancelation/Return Type")
        sku_id = fields.Field(attribute="sku_id", column_name="SKU ID")
        seller_sku = text("seller_sku", "Seller SKU")
        product_name = text("product_name", "Product Name")
        variation = text("sku_name", "Variation")
        quantity = fields.Field(attribute="quantity", column_name="Quantity")
        unit_price = money("original_price", "SKU Unit Original Price")
        subtotal_before = money("original_total", "SKU Subtotal Before Discount")
        platform_discount = money("platform_discount", "SKU Platform Discount")
        seller_discount = money("seller_discount", "SKU Seller Discount")
        subtotal_after = money("line_total", "SKU Subtotal After Discount")
        shipping_fee = money("order__shipping_fee", "Shipping Fee After Discount")
        original_shipping_fee = money("order__original_shipping_fee", "Original Shipping Fee")
        tax = money("order__tax", "Taxes")
        total = money("order__total", "Order Amount")
        refunded = money("order__refunded_amount", "Order Refund Amount")
        currency = fields.Field(attribute="order__currency", column_name="Currency")
        created = local_time("order__created_at", "Created Time")
        paid = local_time("order__paid_at", "Paid Time")
        rts = local_time("order__rts_sla_at", "RTS Time")
        shipped = local_time("order__shipped_at", "Shipped Time")
        delivered = local_time("order__delivered_at", "Delivered Time")
        completed = local_time("order__completed_at", "Completed Time")
        cancelled = local_time("order__cancelled_at", "Cancelled Time")
        time_zone = fields.Field(attribute="order__shop__time_zone", column_name="Time Zone")
        tracking_id = fields.Field(attribute="package__tracking_number", column_name="Tracking ID")
        package_id = fields.Field(attribute="package_id", column_name="Package ID")
        cancel_by = fields.Field(attribute="order__get_cancellation_initiator_display", column_name="Cancel By")
        cancel_reason = text("order__cancel_reason", "Cancel Reason")
        fulfillment = fields.Field(attribute="order__get_fulfillment_type_display", column_name="Fulfillment Type")
        delivery = fields.Field(attribute="order__get_delivery_option_display", column_name="Delivery Option")
        carrier = text("order__carrier", "Shipping Provider Name")
        buyer_message = text("order__buyer_message", "Buyer Message")
        buyer_username = text("order__buyer_nickname", "Buyer Username")
        buyer_name = text("order__buyer_name", "Buyer Name")
        buyer_email = text("order__buyer_email", "Buyer Email")
        recipient = address("order__ship_name", "Recipient")
        phone = address("order__ship_phone", "Phone #")
        zipcode = address("order__ship_postcode", "Zipcode")
        country = text("order__ship_country", "Country")
        province = text("order__ship_state", "Province")
        city = text("order__ship_city", "City")
        district = address("order__ship_district", "Districts")
        line1 = address("order__ship_line1", "Detail Address")
        line2 = address("order__ship_line2", "Additional Address Information")
        payment = fields.Field(attribute="order__get_payment_method_display", column_name="Payment Method")
        seller_note = text("order__seller_note", "Seller Note")
        shop = text("order__shop__name", "Shop")

        class Meta:
            model = LineItem
            fields = ("order_id", "status", "return_type", "sku_id", "seller_sku", "product_name", "variation",
                      "quantity", "unit_price", "subtotal_before", "platform_discount", "seller_discount",
                      "subtotal_after", "shipping_fee", "original_shipping_fee", "tax", "total", "refunded",
                      "currency", "created", "paid", "rts", "shipped", "delivered", "completed", "cancelled",
                      "time_zone", "tracking_id", "package_id", "cancel_by", "cancel_reason", "fulfillment",
                      "delivery", "carrier", "buyer_message", "buyer_username", "buyer_name", "buyer_email",
                      "recipient", "phone", "zipcode", "country", "province", "city", "district", "line1", "line2",
                      "payment", "seller_note", "shop")

        def dehydrate_return_type(self, line):
            return return_labels.get(line.latest_return_type, "")

        def dehydrate_created(self, line):
            return shop_time(line, line.order.created_at)

        def dehydrate_paid(self, line):
            return shop_time(line, line.order.paid_at)

        def dehydrate_rts(self, line):
            return shop_time(line, line.order.rts_sla_at)

        def dehydrate_shipped(self, line):
            return shop_time(line, line.order.shipped_at)

        def dehydrate_delivered(self, line):
            return shop_time(line, line.order.delivered_at)

        def dehydrate_completed(self, line):
            return shop_time(line, line.order.completed_at)

        def dehydrate_cancelled(self, line):
            return shop_time(line, line.order.cancelled_at)

    # The latest return request's type, as a subquery: order.returns read per line would be a query
    # per row, and a prefetch makes import-export page through the rows with OFFSET.
    latest_return = (ReturnRequest.objects.filter(order=OuterRef("order")).order_by("-requested_at")
                     .values("return_type")[:1])
    queryset = (LineItem.objects.select_related("order__shop", "package")
                .annotate(latest_return_type=Subquery(latest_return))
                .order_by("order__created_at", "order_id", "id"))
    return write_dataset(LineResource(), queryset[:sample], out)


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
        rows = import_export_same_columns_sample(out, sample)
    elif name == "import-export csv raw 27 columns":
        rows = import_export_raw_sample(out, sample)
    else:
        raise SystemExit(f"unknown case {name}")
    seconds = time.perf_counter() - started
    size = os.path.getsize(out)
    os.remove(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": name, "rows": rows, "seconds": seconds, "peak_mb": peak, "bytes": size}))


def setup_quiet():
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'data' / f'orders-{args.orders}.sqlite3'}"
    import django

    django.setup()


def child(name, args, wait=True):
    command = [sys.executable, __file__, "--orders", str(args.orders), "--sample", str(args.sample), "--case", name]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    if not wait:
        return process
    output, _ = process.communicate()
    return json.loads(output.strip().splitlines()[-1])


def report(result):
    rate = result["rows"] / result["seconds"] if result["seconds"] else 0
    print(f"{result['case']:<32} {result['rows']:>10,} rows {result['seconds']:8.1f} s {rate:10,.0f} rows/s "
          f"peak {result['peak_mb']:6.0f} MB  {result['bytes'] / 1e6:8.1f} MB file", flush=True)
    return result


def list_latency(repeat=15):
    """Median server time of the order list (first page, no filter) as an Administrator."""
    from django.conf import settings
    from orders_bench import signed_in_admin

    settings.ALLOWED_HOSTS = ["*"]
    client = signed_in_admin()
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
    setup(args.orders)
    from django.db import connection

    print(f"# {args.orders:,} orders on {connection.vendor}; one row per order line; one process per export")
    results = {}
    for name in ("ours csv", "ours csv masked", "sqlite3 cli csv", "ours xlsx", "openpyxl xlsx",
                 "import-export csv same columns", "import-export csv raw 27 columns"):
        if args.only and args.only not in name:
            continue
        if name == "sqlite3 cli csv" and connection.vendor != "sqlite":
            continue
        results[name] = report(child(name, args))
    rate = {name: r["rows"] / r["seconds"] for name, r in results.items()}
    if "ours csv" in rate and "sqlite3 cli csv" in rate:
        print(f"ours csv takes {results['ours csv']['seconds'] / results['sqlite3 cli csv']['seconds']:.2f}x "
              f"the sqlite3 tool's time (goal: within 4x)")
    if "ours csv" in rate and "import-export csv same columns" in rate:
        print(f"ours csv: {rate['ours csv'] / rate['import-export csv same columns']:.1f}x django-import-export's "
              "throughput on the same columns (goal: at least 10x)")
    if "ours csv" in rate and "import-export csv raw 27 columns" in rate:
        print(f"ours csv: {rate['ours csv'] / rate['import-export csv raw 27 columns']:.1f}x django-import-export's "
              "throughput on 27 raw columns")
    if "ours xlsx" in rate and "openpyxl xlsx" in rate:
        print(f"ours xlsx: {rate['ours xlsx']:,.0f} rows/s against openpyxl write-only + lxml "
              f"{rate['openpyxl xlsx']:,.0f} rows/s (goal: at least as fast)")
    if not args.only or "list" in args.only:
        idle = list_latency()
        process = child("ours xlsx", args, wait=False)
        time.sleep(3)
        busy = list_latency()
        process.terminate()  # the figure is taken; no need to finish the file
        process.wait()
        print(f"list page: idle {idle:.1f} ms median, during an export {busy:.1f} ms ({busy / idle:.2f}x; "
              "goal: under 2x)")


if __name__ == "__main__":
    main()
