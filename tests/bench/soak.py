"""Soak test: production settings under 50 steady connections for a bounded time; fails on any
server error or socket error, or when a worker's memory grows by 10 % or more.

PostgreSQL (`PG_URL`'s server; the soak creates `<name>_soak_bench` and drops it at the end) with
SOAK_PROJECTS (10,000) demo projects and SOAK_TASKS (100,000) tasks, gunicorn with 2 workers, the
page cache on in Redis (BENCH_CACHE_URL, emptied first). wrk holds SOAK_CONNECTIONS (50) connections
over a mix of public pages, API calls and a few 404s (soak.lua), SOAK_WARMUP seconds (20) first,
then SOAK_SECONDS (60) measured; each worker's resident memory is read after the warm-up and at the end.

With SOAK_FAULT=1 (`make soak-fault`) PostgreSQL is stopped mid-soak and started again (fault.py);
with SOAK_CACHE=0 the page cache is off and every request reaches the database.

    make soak
    SOAK_PROJECTS=500 SOAK_TASKS=5000 make soak     # a quick run while working
    make soak-fault

Traffic goes only to 127.0.0.1, and the run stops by itself.
"""

import json
import os
import subprocess
import sys
import threading
import urllib.request
from urllib.parse import urlsplit, urlunsplit


def own_database(url):
    """PG_URL with its database renamed `<name>_soak_bench`, so that a soak never uses the bench's."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "partnership"
    if "soak" not in name:
        name = f"{name}_soak_bench"
    return urlunsplit(parts._replace(path=f"/{name}"))


os.environ["PG_URL"] = own_database(os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/partnership"))

import fault  # noqa: E402
from common import BENCH, OUTPUT, Server, database, grow_portfolio, static_files  # noqa: E402
from run import ensure_wrk, warm_cache  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
WARMUP = int(os.environ.get("SOAK_WARMUP", "20"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "50"))
PROJECTS = int(os.environ.get("SOAK_PROJECTS", "10000"))
TASKS = int(os.environ.get("SOAK_TASKS", str(10 * PROJECTS)))
MAX_GROWTH = float(os.environ.get("SOAK_MAX_RSS_GROWTH", "0.10"))
FAULT = os.environ.get("SOAK_FAULT", "0") == "1"
CACHE = os.environ.get("SOAK_CACHE", "1") == "1"  # 0: every request reaches the database

LANGUAGES = ["en", "ru", "kk", "uz"]
PAGES = [
    "/{lang}/",
    "/{lang}/projects/",
    "/{lang}/projects/?status=implementation&ordering=-investment",
    "/{lang}/projects/?sector={sector}&ordering=title",
    "/{lang}/projects/?working_group={group}",
    "/{lang}/projects/?page=50",
    "/{lang}/reports/",
    "/{lang}/reports/working-groups/{group}/",
    "/{lang}/reports/sectors/{sector}/",
    "/{lang}/map/",
    "/{lang}/working-groups/",
]
API = ["/api/v1/projects/", "/api/v1/projects/?page=3&status=implementation", "/api/v1/summary/"]
PER_PROJECT = ["/{lang}/projects/{project}/", "/api/v1/projects/{project}/"]
MISSING = [
    "/en/no-such-page/",
    "/en/projects/no-such-project/",
    "/api/v1/projects/no-such-project/",
    "/en/projects/?page=99999",
]
SAMPLE = 50  # project pages in the mix, spread over the first API page


def slugs(base, resource):
    with urllib.request.urlopen(f"{base}/api/v1/{resource}/?page_size=500", timeout=300) as response:
        return [row["slug"] for row in json.load(response)["results"]]


def mix(base):
    """The paths the connections walk: every page in every language, the API, projects, 404s."""
    projects = slugs(base, "projects")
    projects = projects[:: max(1, len(projects) // SAMPLE)][:SAMPLE]
    group, sector = slugs(base, "working-groups")[0], slugs(base, "sectors")[0]
    paths = [page.format(lang=lang, group=group, sector=sector) for page in PAGES for lang in LANGUAGES]
    paths += [
        path.format(lang=LANGUAGES[n % len(LANGUAGES)], project=slug)
        for n, slug in enumerate(projects)
        for path in PER_PROJECT
    ]
    return paths + API + MISSING


def wrk(base, seconds, paths_file):
    """Counts {(second, status): n}, socket errors and latency (p50, p95, max in µs) from soak.lua."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(BENCH / "soak.lua"), base],
        env={**os.environ, "SOAK_PATHS": str(paths_file)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts, socket_errors, latency = {}, {}, (0, 0, 0)
    for line in out.splitlines():
        word, *values = line.split()
        if word == "count":
            counts[(int(values[0]), int(values[1]))] = int(values[2])
        elif word == "socket":
            socket_errors = dict(zip(["connect", "read", "write", "timeout"], map(int, values), strict=True))
        elif word == "latency":
            latency = tuple(int(v) for v in values)
    return counts, socket_errors, latency


def worker_rss(server):
    """{pid: MiB} of each gunicorn worker."""
    from common import rss_kib, worker_pids

    return {pid: round(rss_kib(pid) / 1024, 1) for pid in worker_pids(server.process.pid)}


def memory_verdict(start, end):
    """Problems with the workers' memory: a worker replaced, or one that grew by MAX_GROWTH or more."""
    problems = []
    if set(start) != set(end):
        problems.append(f"workers changed during the soak: {sorted(start)} → {sorted(end)}")
    for pid in set(start) & set(end):
        growth = end[pid] / start[pid] - 1 if start[pid] else 0
        print(f"  worker {pid}: {start[pid]:.1f} MiB → {end[pid]:.1f} MiB ({100 * growth:+.1f} %)")
        if growth >= MAX_GROWTH:
            problems.append(f"worker {pid} memory grew {100 * growth:.1f} % (limit {100 * MAX_GROWTH:.0f} %)")
    return problems


def soak(server, paths_file):
    """Warm up, then the measured run (with the outage in fault mode); returns the problems found."""
    wrk(server.base, WARMUP, paths_file)
    rss_start = worker_rss(server)
    outage = fault.Outage(server.base, SECONDS) if FAULT else None
    if outage:
        threading.Thread(target=outage.run, daemon=True).start()
    counts, socket_errors, latency = wrk(server.base, SECONDS, paths_file)
    rss_end = worker_rss(server)
    total = sum(counts.values())
    by_status = fault.by_status(counts)
    print(f"Soak: {total} requests in {SECONDS} s over {CONNECTIONS} connections ({total / SECONDS:.0f} req/s)")
    print(f"  statuses {dict(sorted(by_status.items()))}, socket errors {socket_errors}")
    print(
        f"  latency median {latency[0] / 1000:.0f} ms, p95 {latency[1] / 1000:.0f} ms, max {latency[2] / 1000:.0f} ms"
    )
    memory = memory_verdict(rss_start, rss_end)
    problems = [f"socket errors: {socket_errors}"] if any(socket_errors.values()) else []
    if outage:  # the workers' memory is reported only: the outage itself allocates
        return problems + outage.verdict(counts)
    problems += memory
    errors = {status: n for status, n in by_status.items() if status >= 500}
    if errors:
        problems.append(f"server errors: {errors}")
    return problems


def cache():
    return warm_cache() if CACHE else {"CACHE_URL": "dummycache://"}


def main():
    ensure_wrk()
    if FAULT:
        fault.check_nobody_testing()
    print(f"Soak: {PROJECTS} projects, {TASKS} tasks on PostgreSQL{' with an outage' if FAULT else ''}", flush=True)
    with database() as env:
        grow_portfolio(env, PROJECTS, TASKS)
        with static_files(env) as env, Server({**env, **cache()}, "gunicorn-soak") as server:
            paths = mix(server.base)
            paths_file = OUTPUT / "soak-paths.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            print(f"  {len(paths)} paths in the mix ({paths_file})", flush=True)
            problems = soak(server, paths_file)
    for problem in problems:
        print(f"  FAIL: {problem}")
    if problems:
        sys.exit("Soak failed.")
    print("Soak passed.")


if __name__ == "__main__":
    main()
