"""Soak test: gunicorn on loopback under steady load for a bounded time; fails on any 5xx or leak.

    make soak                       # 60 seconds, 4 client threads, 500 demo projects
    SOAK_SECONDS=600 make soak

Traffic goes only to 127.0.0.1, and the run stops by itself.
"""

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import ROOT, prepare_database

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


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def worker_pids(master):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main():
    env = prepare_database(PROJECTS)
    env.update({"API_ANON_RATE": "1000000/minute"})
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "partnership.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        for path in PATHS:  # warm up every worker's caches before the first memory reading
            for _ in range(3):
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(base + path, timeout=30)
        rss_start = sum(rss_kib(p) for p in worker_pids(server.pid))
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
        rss_end = sum(rss_kib(p) for p in worker_pids(server.pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
    print(f"Soak: {len(latencies)} requests in {SECONDS} s from {THREADS} threads, {PROJECTS} projects")
    print(
        f"  {len(latencies) / SECONDS:.1f} requests/s, median {1000 * statistics.median(latencies):.0f} ms, "
        f"p95 {1000 * p95:.0f} ms"
    )
    print(f"  worker memory {rss_start / 1024:.0f} MiB → {rss_end / 1024:.0f} MiB")
    print(f"  server errors: {len(errors)}")
    for path, status in errors[:10]:
        print(f"    {status} {path}")
    if errors:
        sys.exit("Soak failed: server errors under load.")
    if rss_start and rss_end > rss_start * MAX_GROWTH:
        sys.exit(f"Soak failed: worker memory grew more than {MAX_GROWTH}×.")


if __name__ == "__main__":
    main()
