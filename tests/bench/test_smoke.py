"""Every benchmark script runs at a tiny size (a smoke run), so that none is ever shipped broken.

The order benchmark builds a 300-order data set (SQLite in a temporary folder, or a database of its own
on the PostgreSQL server when the suite runs there); the other scripts reuse it. Each must exit 0 and
print its figures."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ORDERS = "300"


def leftover_processes() -> list[str]:
    """Processes still running a command of this checkout's load test (gunicorn on bench.pinned, the pinned
    simulator and worker)."""
    left = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            here = Path(os.readlink(entry / "cwd")) == ROOT  # the load test starts its processes here
        except OSError:
            continue
        if here and ("bench.pinned:application" in command or "bench/pinned.py" in command):
            left.append(f"{entry.name}: {command}")
    return left


def run(script, *args, data):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONN_MAX_AGE": "0"}
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--orders", ORDERS, *data, *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, \
        f"{script} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def data(tmp_path):
    """The options naming a fresh tiny data set on the suite's database kind; dropped afterwards."""
    if connection.vendor != "postgresql":
        yield ["--database", "sqlite", "--data-dir", str(tmp_path)]
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import benchdb

    name = f"sc_bench_smoke_{uuid.uuid4().hex[:8]}"
    yield ["--database", "postgres", "--pg-name", name]
    benchdb.drop_postgres_database(benchdb.database_url("postgres", int(ORDERS), tmp_path, name))


def test_every_benchmark_script_runs_at_a_tiny_size(data):
    out = run("orders_bench.py", "--repeat", "1", data=data)
    assert "list: no filter" in out and "admin: orders" in out and "buyer first name: rarest" in out

    out = run("api_bench.py", "--repeat", "1", data=data)
    assert "search: 100, first page" in out and "detail: 50 ids (newest)" in out

    out = run("analytics_bench.py", "--repeat", "1", data=data)
    assert "all shops, this year" in out and "CSV trend" in out

    out = run("exports_bench.py", "--only", "ours", "--sample", "100", data=data)
    assert "ours csv " in out and "ours xlsx" in out and "rows/s" in out

    # gunicorn, the simulator and the task worker for 5 s with 2 users; it exits 1 on any error or non-200
    out = run("load_test.py", "--smoke", data=data)
    assert "page kind" in out and "errors 0 " in out and "export job" in out and "simulate --interval 1" in out
    assert not leftover_processes(), "the load test left processes behind"
