"""A benchmark run's figures as a JSON file, and several runs' files printed side by side.

`orders_bench.py --save FILE` writes one run (its database, size, and per case the median, max, query
count, status and, with --against, the smaller set's median); `--compare A B ...` prints the files'
medians in columns with the ratio of each to the first, and each run's own --against ratio.
"""

import json
from pathlib import Path


def save(path, database, orders, against, terms, rows):
    """`rows`: (case name, Timing) pairs."""
    data = {
        "database": database,
        "orders": orders,
        "against": against,
        "terms": terms,
        "cases": {name: timing._asdict() for name, timing in rows},
    }
    Path(path).write_text(json.dumps(data, indent=1))


def load(path) -> dict:
    return json.loads(Path(path).read_text())


def label(run) -> str:
    return f"{run['database']}@{run['orders']:,}"


def side_by_side(runs: list[dict]) -> list[str]:
    """Lines of a table: each case, each run's median (and --against ratio), each run's ratio to the first."""
    names = list(dict.fromkeys(name for run in runs for name in run["cases"]))
    head = f"{'case':<44}"
    for number, run in enumerate(runs):
        head += f" {label(run):>16}" + (f" {'x' + format(run['against'], ','):>9}" if run["against"] else "")
        if number:
            head += f" {'/' + runs[0]['database']:>9}"
    lines = [head]
    for name in names:
        line = f"{name:<44}"
        first = runs[0]["cases"].get(name)
        for number, run in enumerate(runs):
            case = run["cases"].get(name)
            line += f" {case['median']:16.1f}" if case else f" {'-':>16}"
            if run["against"]:
                ratio = case["median"] / case["theirs"] if case and case.get("theirs") else None
                line += f" {ratio:9.2f}" if ratio else f" {'-':>9}"
            if number:
                line += f" {case['median'] / first['median']:9.2f}" if case and first else f" {'-':>9}"
        lines.append(line)
    for run in runs:
        lines += [f"# {label(run)} {line[2:]}" for line in run.get("terms", [])]
    return lines
