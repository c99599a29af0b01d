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


def leftover_processes(tag: str) -> list[str]:
    """Processes still running with LOAD_TEST_RUN=`tag` in their environment: what one load test started."""
    left, needle = [], f"LOAD_TEST_RUN={tag}".encode()
    for entry in Path("/proc").iterdir():
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                left.append(f"{entry.name}: {command}")
        except OSError:
            continue
    return left


def run(script, *args, data, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONN_MAX_AGE": "0", **(env or {})}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--orders", ORDERS, *data, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, (
        f"{script} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
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
    tag = uuid.uuid4().hex
    out = run("load_test.py", "--smoke", data=data, env={"LOAD_TEST_RUN": tag})
    assert "page kind" in out and "errors 0 " in out and "export job" in out and "simulate --interval 1" in out
    assert not leftover_processes(tag), "the load test left processes behind"
