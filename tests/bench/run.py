"""Benchmark: time and query counts of the main pages at a small and a large portfolio, in one run.

Absolute times on a shared machine are noise; the ratio large/small, measured in the same run,
is the figure to watch (it should stay near 1 for paginated pages). Query counts must not grow.

    make bench                     # 100 and 10,000 projects
    BENCH_SMALL=10 BENCH_LARGE=2000 make bench
"""

import os
import statistics
import subprocess
import sys
import time

from common import ROOT, grow_portfolio, prepare_database

SMALL = int(os.environ.get("BENCH_SMALL", "100"))
LARGE = int(os.environ.get("BENCH_LARGE", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))

MEASURE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from projects.models import Project

repeat = int(sys.argv[1])


# Counts the statements a request sends (Django's query log is capped and reset per request).
class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

project = Project.objects.published().order_by("code").first()
admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
    "bench-admin", "", "bench-password-123")
pages = {
    "home": ("/en/", None),
    "directory": ("/en/projects/", None),
    "directory, filtered and sorted": ("/en/projects/?status=implementation&ordering=-investment", None),
    "project page": (project.get_absolute_url(), None),
    "commission report": ("/en/reports/", None),
    "API project list": ("/api/v1/projects/", None),
    "API project list CSV": ("/api/v1/projects/?format=csv", None),
    "API totals": ("/api/v1/summary/", None),
    "admin project list": ("/admin/projects/project/", admin),
}
results = {}
for name, (url, user) in pages.items():
    client = Client()
    if user:
        client.force_login(user)
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        status = client.get(url).status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    results[name] = {"url": url, "status": status, "queries": queries.count, "median_ms": 1000 * statistics.median(times)}
print(json.dumps(results))
"""


def measure(env):
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(REPEAT)],
        env={**env, "DJANGO_SETTINGS_MODULE": "partnership.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    started = time.perf_counter()
    env = prepare_database(SMALL)
    small = measure(env)
    seeded = time.perf_counter()
    grow_portfolio(env, LARGE)
    seed_large = time.perf_counter() - seeded
    large = measure(env)
    print(f"\nBenchmark: {SMALL} vs {LARGE} demo projects, median of {REPEAT} requests each (ms)\n")
    print(f"{'page':34} {'status':>6} {'queries':>15} {'small':>9} {'large':>9} {'ratio':>6}")
    ratios = []
    for name in small:
        a, b = small[name], large[name]
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("nan")
        ratios.append(ratio)
        queries = f"{a['queries']} → {b['queries']}"
        print(f"{name:34} {b['status']:>6} {queries:>15} {a['median_ms']:>9.1f} {b['median_ms']:>9.1f} {ratio:>6.2f}")
    print(
        f"\nGrowing the portfolio to {LARGE} projects took {seed_large:.1f} s; whole run {time.perf_counter() - started:.0f} s."
    )
    print(f"Median ratio large/small: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
