"""Soak test: gunicorn on loopback under steady load for a bounded time; fails on any 5xx or leak.

    make soak                       # 60 seconds, 4 client threads, 500 demo projects, PostgreSQL
    BENCH_DB=sqlite make soak
    SOAK_SECONDS=600 make soak

Traffic goes only to 127.0.0.1, and the run stops by itself.
"""

import contextlib
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

from common import Server, prepare_database

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
THREADS = int(os.environ.get("SOAK_THREADS", "4"))
PROJECTS = int(os.environ.get("SOAK_PROJECTS", "500"))
MAX_GROWTH = float(os.environ.get("SOAK_MAX_RSS_GROWTH", "1.5"))

PATHS = [
    "/en/",
    "/ru/projects/",
    "/en/projects/?status=implementation&ordering=-investment",
    "/kk/projects/?page=3",
    "/en/reports/",
    "/uz/working-groups/",
    "/en/trade/",
    "/api/v1/projects/",
    "/api/v1/projects/?format=csv",
    "/en/projects/?status=nonsense",
    "/en/projects/?page=99999",
    "/en/no-such-page/",
    "/healthz",
]


def main():
    env = prepare_database(PROJECTS)
    with Server(env, "gunicorn-soak") as server:
        base = server.base
        for path in PATHS:  # warm up every worker's caches before the first memory reading
            for _ in range(3):
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(base + path, timeout=30)
        rss_start = sum(server.worker_rss_mib())
        stop_at = time.monotonic() + SECONDS
        latencies, errors, lock = [], [], threading.Lock()

        def client(n):
            i = n
            while time.monotonic() < stop_at:
                path = PATHS[i % len(PATHS)]
                i += 1
                started = time.perf_counter()
                try:
                    status = urllib.request.urlopen(base + path, timeout=30).status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                    status = f"connection error: {exc}"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if not isinstance(status, int) or status >= 500:
                        errors.append((path, status))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rss_end = sum(server.worker_rss_mib())
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
    print(f"Soak: {len(latencies)} requests in {SECONDS} s from {THREADS} threads, {PROJECTS} projects")
    print(
        f"  {len(latencies) / SECONDS:.1f} requests/s, median {1000 * statistics.median(latencies):.0f} ms, "
        f"p95 {1000 * p95:.0f} ms"
    )
    print(f"  worker memory {rss_start:.0f} MiB → {rss_end:.0f} MiB")
    print(f"  server errors: {len(errors)}")
    for path, status in errors[:10]:
        print(f"    {status} {path}")
    if errors:
        sys.exit("Soak failed: server errors under load.")
    if rss_start and rss_end > rss_start * MAX_GROWTH:
        sys.exit(f"Soak failed: worker memory grew more than {MAX_GROWTH}×.")


if __name__ == "__main__":
    main()
