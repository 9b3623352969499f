"""The bench's table, its budgets (issue 9) and its JSON record in bench-output/."""

import datetime
import json
import os
import platform
import subprocess

from common import OUTPUT
from pages import PAGES, WORKER_RSS_MIB

BUDGETS = {name: (cold, ratio, size) for name, _, cold, ratio, size in PAGES}


def machine(env, backend):
    """Where the figures come from: cores, memory, database version."""
    with open("/proc/meminfo") as meminfo:
        ram_kib = int(meminfo.readline().split()[1])
    info = {"nproc": os.cpu_count(), "ram_gib": round(ram_kib / 1024**2, 1), "python": platform.python_version()}
    if backend == "sqlite":
        info["database"] = "SQLite"
    else:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            info["database"] = conn.execute("SHOW server_version").fetchone()[0].split()[0]
            info["database"] = f"PostgreSQL {info['database']}"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    info["wrk"] = (wrk.stdout or wrk.stderr).split(" [")[0].strip()
    return info


def check_budgets(run):
    """Every failed budget, as (page, what) pairs."""
    rows, failures = run["rows"], []
    floor = rows["floor"]["warm_rps"] or 0
    for name, (cold, ratio, size) in BUDGETS.items():
        row = rows[name]
        row["ratio"] = row["warm_rps"] / floor if row["warm_rps"] is not None and floor else None
        if row["status"] != 200 or row["warm_errors"]:
            failures.append((name, f"errors (status {row['status']}, {row['warm_errors']} under load)"))
        if row["cold_median"] > cold:
            failures.append((name, f"cold {row['cold_median']:.2f} s > {cold} s"))
        if ratio is not None and (row["ratio"] or 0) < ratio:
            failures.append((name, f"warm {row['ratio'] or 0:.2f}× floor < {ratio}×"))
        if size is not None and row["size"] > size:
            failures.append((name, f"size {row['size'] / 1e6:.1f} MB > {size / 1e6:.0f} MB"))
    for phase, sizes in run["worker_rss_mib"].items():
        if any(rss >= WORKER_RSS_MIB for rss in sizes):
            failures.append((f"workers ({phase})", f"RSS {max(sizes)} MiB ≥ {WORKER_RSS_MIB} MiB"))
    return failures


def _size(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def print_table(run, failures):
    info, rows = run["machine"], run["rows"]
    failed = {(name, what.split()[0]) for name, what in failures}
    print(
        f"\n{run['projects']:,} projects, {run['tasks']:,} tasks (seeded in {run['seed_seconds']} s); "
        f"{info['database']}, {info['nproc']} cores, {info['ram_gib']} GiB; gunicorn 2 workers; wrk 16 connections\n"
    )
    header = f"{'page':32} {'cold median':>11} {'worst':>8} {'budget':>7} {'ok':>4} {'warm req/s':>10} {'ratio':>6} {'need':>5} {'ok':>4} {'queries':>7} {'size':>8}"
    print(header)
    print("-" * len(header))
    floor = rows["floor"]
    print(
        f"{'floor (bare Django view)':32} {1000 * floor['cold_median']:>9.0f}ms {1000 * floor['cold_worst']:>6.0f}ms {'':>7} {'':>4} {floor['warm_rps'] or 0:>10.0f}"
    )
    for name, (cold, ratio, _size_budget) in BUDGETS.items():
        row = rows[name]
        warm = f"{row['warm_rps']:.0f}" if row["warm_rps"] is not None else "skipped"
        shown_ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "–"
        print(
            f"{name:32} {1000 * row['cold_median']:>9.0f}ms {1000 * row['cold_worst']:>6.0f}ms {1000 * cold:>5.0f}ms "
            f"{'FAIL' if row['cold_median'] > cold else 'ok':>4} {warm:>10} {shown_ratio:>6} {ratio or '':>5} "
            f"{'FAIL' if (name, 'warm') in failed else 'ok' if ratio else '':>4} "
            f"{row['queries'] if row['queries'] is not None else '?':>7} {_size(row['size']):>8}"
        )
    print(
        f"\nWorker memory (MiB): cold pass {run['worker_rss_mib']['cold']}, warm pass {run['worker_rss_mib']['warm']}"
    )
    print(f"{len(failures)} budget(s) failed" + (":" if failures else "."))
    for name, what in failures:
        print(f"  {name}: {what}")


def write_json(run, failures):
    OUTPUT.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = OUTPUT / f"bench-{stamp}.json"
    record = {**run, "failures": [{"page": n, "budget": w} for n, w in failures]}
    path.write_text(json.dumps(record, indent=2, default=str))
    (OUTPUT / "latest.json").write_text(path.read_text())
    return path
