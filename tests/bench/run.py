"""Benchmark: what production runs, measured against the framework's floor on the same machine.

PostgreSQL with a demo portfolio of BENCH_PROJECTS projects and BENCH_TASKS tasks, DEBUG off,
collected static files, gunicorn with 2 workers. For every page in pages.py:
- cold: sequential requests with the cache off (CACHE_URL=dummycache://), median and worst,
  statements per request and response size;
- warm: wrk with 16 connections for BENCH_WRK_SECONDS, cache on, requests/s and its ratio to a
  bare Django view (/bench-floor/) served by the same gunicorn;
- each worker's resident memory at the end.
Prints a table and writes bench-output/bench-<time>.json; exits non-zero on a failed budget only
with BENCH_STRICT=1.

    make bench                                     # 10,000 projects, 100,000 tasks, PostgreSQL
    BENCH_PROJECTS=500 BENCH_TASKS=5000 make bench # a quick run while working
    BENCH_DB=sqlite make bench
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

from common import OUTPUT, ROOT, Server, database, grow_portfolio, static_files
from pages import FLOOR, PAGES
from report import check_budgets, machine, print_table, write_json

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
TASKS = int(os.environ.get("BENCH_TASKS", str(10 * PROJECTS)))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "4"))
CONNECTIONS = 16
# Bounds that keep a run short while pages are still slow: a page whose first request takes longer
# than SLOW seconds is timed once, and is not put under load when it takes longer than TOO_SLOW_FOR_LOAD.
SLOW = float(os.environ.get("BENCH_SLOW_SECONDS", "10"))
TOO_SLOW_FOR_LOAD = float(os.environ.get("BENCH_TOO_SLOW_FOR_LOAD", "1"))


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing it from the system packages (apt-get install -y wrk)…", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)


def fetch(url):
    """(status, body size, seconds) of one GET, 4xx/5xx included."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            status, size = response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        status, size = exc.code, len(exc.read())
    return status, size, time.perf_counter() - started


def queries_logged(log, path):
    """Statements of the last logged request for `path` (the log is written when a response closes)."""
    counts = [int(n) for line in log.read_text().splitlines() for p, n in [line.split("\t")] if p == path]
    return counts[-1] if counts else None


def cold_pass(env, urls):
    """Sequential requests with the cache off: one untimed warm-up, then up to REPEAT timed ones."""
    log = OUTPUT / "queries.log"
    log.write_text("")
    results = {}
    with Server({**env, "CACHE_URL": "dummycache://", "BENCH_QUERY_LOG": str(log)}, "gunicorn-cold") as server:
        for name, path in [("floor", FLOOR), *urls]:
            status, size, first = fetch(server.base + path)
            times = [first] if first > SLOW else [fetch(server.base + path)[2] for _ in range(REPEAT)]
            results[name] = {
                "url": path,
                "status": status,
                "size": size,
                "cold_median": statistics.median(times),
                "cold_worst": max(times),
                "cold_runs": len(times),
                "first_request": first,
            }
            print(f"  cold {name:32} {1000 * statistics.median(times):9.0f} ms", flush=True)
        results["rss_cold_mib"] = server.worker_rss_mib()
    # Read at the end: a worker logs a request once its response is closed, just after the client has it.
    for name, path in [("floor", FLOOR), *urls]:
        results[name]["queries"] = queries_logged(log, path)
    return results


def warm_cache():
    """The cache production uses: Redis shared by the workers (BENCH_CACHE_URL), emptied first; without
    a Redis answering, each worker's local memory with the page cache turned on explicitly."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
    try:
        import redis

        redis.Redis.from_url(url).flushdb()
    except Exception as exc:  # no Redis here: say so and measure with the per-process cache
        print(f"  (no Redis at {url}: {exc}; warm pass with each worker's local memory)", flush=True)
        return {"CACHE_URL": "locmemcache://", "PAGE_CACHE_SECONDS": "600"}
    return {"CACHE_URL": url, "PAGE_CACHE_SECONDS": "600"}


def wrk(url):
    """(requests per second, errors) from wrk: non-2xx/3xx responses and socket errors both count."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{WRK_SECONDS}s", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate, errors = 0.0, 0
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        elif line.startswith("Non-2xx or 3xx responses:"):
            errors += int(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            errors += sum(int(part.split()[-1]) for part in line.split(":", 1)[1].split(","))
    return rate, errors


def warm_up(url):
    """Up to three sequential requests, so that each worker has seen the page; returns the last status
    and the slowest request after the first (the first fills the cache), or the first when it was slow."""
    times = []
    for _ in range(3):
        status, _, seconds = fetch(url)
        times.append(seconds)
        if seconds > SLOW:
            break
    return status, max(times[1:] or times)


def drain(base):
    """Wait until the workers are idle again (wrk leaves slow requests queued when it stops)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and fetch(base + FLOOR)[2] > 0.2:
        time.sleep(0.5)


def warm_pass(env, urls, cold):
    """wrk against each page with the cache on, after a warm-up; pages still slow are not loaded
    (nor even warmed up when a cold request took more than SLOW seconds: that keeps a run short)."""
    results = {}
    with Server({**env, **warm_cache()}, "gunicorn-warm") as server:
        for name, path in [("floor", FLOOR), *urls]:
            if cold[name]["cold_median"] > SLOW:
                status, seconds = cold[name]["status"], cold[name]["cold_median"]
            else:
                status, seconds = warm_up(server.base + path)
            if seconds > TOO_SLOW_FOR_LOAD:
                results[name] = {
                    "warm_rps": None,
                    "warm_errors": None,
                    "warm_note": f"not loaded: {seconds:.1f} s a request",
                }
            else:
                rate, errors = wrk(server.base + path)
                results[name] = {"warm_rps": rate, "warm_errors": errors + (status >= 400)}
                drain(server.base)
            print(f"  warm {name:32} {results[name]['warm_rps'] or 0:9.0f} req/s", flush=True)
        results["rss_warm_mib"] = server.worker_rss_mib()
    return results


def resolve(env):
    out = subprocess.run(
        [sys.executable, "placeholders.py"],
        env=env,
        cwd=ROOT / "tests" / "bench",
        check=True,
        capture_output=True,
        text=True,
    )
    slugs = json.loads(out.stdout.strip().splitlines()[-1])
    return [(name, url.format(**slugs)) for name, url, *_ in PAGES]


def main():
    started = time.perf_counter()
    ensure_wrk()
    OUTPUT.mkdir(exist_ok=True)
    backend = os.environ.get("BENCH_DB", "postgres")
    print(f"Bench: {PROJECTS} projects, {TASKS} tasks on {backend}", flush=True)
    with database() as env:
        seconds = grow_portfolio(env, PROJECTS, TASKS)
        print(f"  seeded in {seconds:.0f} s", flush=True)
        with static_files(env) as env:
            urls = resolve(env)
            cold = cold_pass(env, urls)
            warm = warm_pass(env, urls, cold)
        info = machine(env, backend)
    rows = {name: {**cold[name], **warm[name]} for name in ["floor", *(n for n, _ in urls)]}
    run = {
        "machine": info,
        "projects": PROJECTS,
        "tasks": TASKS,
        "seed_seconds": round(seconds, 1),
        "rows": rows,
        "worker_rss_mib": {"cold": cold["rss_cold_mib"], "warm": warm["rss_warm_mib"]},
        "seconds": round(time.perf_counter() - started),
    }
    failures = check_budgets(run)
    print_table(run, failures)
    path = write_json(run, failures)
    print(f"\nWritten to {path.relative_to(ROOT)}; whole run {run['seconds']} s.")
    if failures and os.environ.get("BENCH_STRICT") == "1":
        sys.exit(f"{len(failures)} budget(s) failed.")


if __name__ == "__main__":
    main()
