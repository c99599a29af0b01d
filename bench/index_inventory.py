"""The index inventory: each index of the order tables, and the benchmark cases whose plans use it.

Reads the plan snapshots (bench/plans/<vendor>/*.txt, written by `orders_bench.py --snapshot-plans`)
and the indexes the database holds (DATABASE_URL: a benchmark database), and prints a Markdown table:
index -> cases on SQLite, cases on PostgreSQL. An index that no case uses on either database is
marked: a candidate to drop (or a case is missing).

    .venv/bin/python bench/index_inventory.py > bench/INDEXES.md
"""

import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercenter.settings")

import django  # noqa: E402

django.setup()

import plans  # noqa: E402

TABLES = (
    "orders_order",
    "orders_lineitem",
    "orders_package",
    "orders_trackingevent",
    "orders_statushistory",
    "orders_returnrequest",
    "orders_cancellationrequest",
)
SQL_INDEXES = {  # made by migrations in SQL, not declared on a model
    "orders_buyer_word": [
        "orders_buyer_word_pkey (word, order_id) INCLUDE (shop_id, status, created_at)",
        "orders_buyer_word_order (order_id)",
    ],
}
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# What needs an index beside the list benchmark's cases (the API, the triggers, deletes by foreign key)
OTHER_USES = {
    "order_buyer_user": "Partner API search by buyer_user_id (bench/api_bench.py)",
    "order_shop_ship_by": "the All tab sorted by ship-by deadline, each shop's range in order (a case to add)",
    "order_shop_updated": "Partner API sort and filter by update_time; the list's updated-time range",
    "orders_buyer_word_order": "the words triggers: an order's words deleted and updated by order id",
    "orders_lineitem_package_id_0e0e35e1": "a package's lines (detail page, split shipments); deletes",
    "orders_statushistory_actor_id_3683a881": "deleting a user (foreign key)",
    "orders_cancellationrequest_resolved_by_id_af9c8edf": "deleting a user (foreign key)",
}


def declared() -> dict[str, list[tuple[str, str]]]:
    """table -> its indexes as the database holds them: (name, columns), primary keys left out."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            constraints = connection.introspection.get_constraints(cursor, table)
            found[table] = sorted(
                (name, ", ".join(str(c) for c in info["columns"] if c) or "(expressions)")
                for name, info in constraints.items()
                if info["index"] and not info["primary_key"]
            )
    return found


def used_by(plans_dir: Path) -> dict[str, dict[str, list[str]]]:
    """vendor -> index name -> the cases whose snapshot names it."""
    usage = {vendor: defaultdict(list) for vendor in VENDORS}
    for vendor in VENDORS:
        for path in sorted((plans_dir / vendor).glob("*.txt")):
            indexes, _ = plans.read_header(path.read_text())
            for name in indexes:
                usage[vendor][name].append(path.stem)
    return usage


def main():
    usage = used_by(ROOT / "bench" / "plans")
    everything = {name for vendor in usage.values() for name in vendor}
    print("# Index inventory\n")
    print(
        "Each index of the order tables and the benchmark cases whose query plans use it "
        "(from `bench/plans/`; regenerate with `DATABASE_URL=<a benchmark database> bench/index_inventory.py`). "
        "An index marked (no case) serves no benchmark case on either database: a candidate to drop, or "
        "a case the benchmark is missing (foreign-key indexes also serve deletes and joins).\n"
    )
    for table, indexes in sorted(declared().items()) + [
        (t, [(i.split(" ")[0], i) for i in v]) for t, v in SQL_INDEXES.items()
    ]:
        print(f"## {table}\n\n| index | columns | SQLite cases | PostgreSQL cases |\n|---|---|---|---|")
        for name, columns in indexes:
            cells = []
            for vendor in VENDORS:
                cases = usage[vendor].get(name, [])
                cells.append(f"{len(cases)}: {', '.join(cases[:4])}{' …' if len(cases) > 4 else ''}" if cases else "—")
            flag = (
                ""
                if name in everything
                else f" (no case; {OTHER_USES[name]})"
                if name in OTHER_USES
                else " **(no case)**"
            )
            print(f"| `{name}`{flag} | {columns} | {cells[0]} | {cells[1]} |")
        print()


if __name__ == "__main__":
    main()
