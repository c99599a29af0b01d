"""Migrations stay safe on a big live PostgreSQL table: every index added to or removed from an existing
orders table after the initial schema is built CONCURRENTLY (in a non-atomic migration), and no
migration imports the app's code (a migration must do tomorrow what it did the day it was written)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import migrations

import orders.migrations
from orders.migrations._operations import AddIndexSafely, RemoveIndexSafely

MIGRATION_DIRS = [
    Path(__import__(app).__file__).parent / "migrations"
    for app in ("orders", "accounts", "exports", "partner_api", "analytics", "leases")
]
APP_PACKAGES = ("orders", "accounts", "exports", "partner_api", "analytics", "leases", "sellercenter")
ORDER_MIGRATIONS = sorted(
    name for _, name, _ in pkgutil.iter_modules(orders.migrations.__path__) if name[:4].isdigit() and name > "0002"
)


@pytest.mark.parametrize("name", ORDER_MIGRATIONS)
def test_indexes_on_the_orders_tables_are_built_concurrently(name):
    migration = importlib.import_module(f"orders.migrations.{name}").Migration
    plain = [op for op in migration.operations if type(op) in (migrations.AddIndex, migrations.RemoveIndex)]
    assert plain == [], f"{name}: use AddIndexSafely / RemoveIndexSafely (orders/migrations/_operations.py)"
    if any(isinstance(op, AddIndexSafely | RemoveIndexSafely) for op in migration.operations):
        assert migration.atomic is False, f"{name}: a concurrent index build needs atomic = False"


@pytest.mark.parametrize(
    "path",
    sorted(p for d in MIGRATION_DIRS if d.exists() for p in d.glob("0*.py")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_migrations_import_no_app_code(path):
    """Frozen helpers inside a migrations package (orders/migrations/_*.py) are fine; the app's constants
    and functions are not: they change, and an old migration would then build something else. (Django's
    own `import app.models` lines name field defaults and validators, which the model state needs.)"""
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in names:
            top = name.split(".")[0]
            assert top not in APP_PACKAGES or ".migrations" in name, f"{path.name} imports {name}"
