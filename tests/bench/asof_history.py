"""Bench of a past day: reports, the API summary and a project page `?as_of=` over a real history.

Builds a PostgreSQL database (`partnership_asof_bench` on the PG_URL server) with the demo
portfolio of BENCH_PROJECTS projects and BENCH_TASKS tasks and its made-up two-year change history
(`seed --demo --history`: ~4 project history rows a project, 2 a task), times the snapshot
backfill (`recompute_figures --snapshots`), then serves it with gunicorn (DEBUG off, 2 workers,
cache off) and times each page with curl: one untimed request, then the median of REPEAT.

With BEFORE_ROOT (a checkout of the code to compare, e.g. /work/main) the same pages are timed
against the same database served by that code first. The database is dropped at the end.

    cd tests/bench && PG_URL=postgres://postgres@127.0.0.1:5432/partnership_asof_bench \\
        BEFORE_ROOT=/work/main ../../.venv/bin/python asof_history.py
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("PG_URL", "postgres://postgres@127.0.0.1:5432/partnership_asof_bench")

from common import BENCH, OUTPUT, ROOT, Server, database, manage, static_files  # noqa: E402

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "10000"))
TASKS = int(os.environ.get("BENCH_TASKS", str(10 * PROJECTS)))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BEFORE_ROOT = os.environ.get("BEFORE_ROOT")
DAYS_BACK = int(os.environ.get("BENCH_DAYS_BACK", "180"))

COUNTS = """
import json, django
django.setup()
from django.db.models import Count, Q
from partnership.models import WorkingGroup
from projects.models import Project, ProjectSnapshot, Task, TaskSnapshot
published = Project.objects.published()
group = WorkingGroup.objects.annotate(n=Count("projects", filter=Q(projects__in=published))).order_by("-n").first()
print(json.dumps({
    "project": published.order_by("code").values_list("slug", flat=True)[published.count() // 2],
    "group": group.slug,
    "projects": Project.objects.count(), "tasks": Task.objects.count(),
    "project_history": Project.history.count(), "task_history": Task.history.count(),
    "project_snapshots": ProjectSnapshot.objects.count(), "task_snapshots": TaskSnapshot.objects.count(),
}))
"""


def curl(url):
    """(status, seconds) of one GET with curl."""
    out = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "--max-time", "600", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1])


def timed(env, pages, root=ROOT, label="after"):
    """Cold medians (cache off) of each page, served by the code at `root`."""
    bench = Path(root) / "tests" / "bench"
    env = {
        **env,
        "CACHE_URL": "dummycache://",
        "PYTHONPATH": f"{root}{os.pathsep}{bench}",
        "PYTHONDONTWRITEBYTECODE": "1",  # another checkout is only read
    }
    results = {}
    # Forget the days the previous pass kept (nothing kept ahead either): each pass has its own first
    # readers.
    manage(env, "shell", "-c", "from projects import asof; asof.forget_from()")
    with Server(env, f"gunicorn-asof-{label}", root=root) as server:
        for name, path in pages:
            if isinstance(path, list):
                # One request for each of several days no request has read yet: each a first reader.
                runs = [curl(server.base + one) for one in path]
                status, times = max(code for code, _t in runs), [seconds for _c, seconds in runs]
                path = path[0]
            else:
                status, first = curl(server.base + path)
                times = [first] if first > 30 else [curl(server.base + path)[1] for _ in range(REPEAT)]
            results[name] = {"url": path, "status": status, "median": statistics.median(times), "runs": times}
            print(f"{label:6} {name:38} {status} median {results[name]['median']:.3f} s  {times}", flush=True)
    return results


def main():
    report = {"projects": PROJECTS, "tasks": TASKS, "repeat": REPEAT, "started": time.strftime("%Y-%m-%d %H:%M")}
    with database() as env:
        started = time.perf_counter()
        manage(env, "seed", "--demo", "--projects", str(PROJECTS), "--tasks", str(TASKS), "--history")
        report["seed_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        manage(env, "recompute_figures", "--snapshots")
        report["backfill_seconds"] = round(time.perf_counter() - started, 1)
        # A database in use is vacuumed and analysed; one loaded a minute ago is not yet (autovacuum
        # would be at work during the timings, and the first scans would set every row's hint bits).
        manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")
        counts = json.loads(
            subprocess.run(
                [sys.executable, "-c", COUNTS],
                env={**env, "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}"},
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        report.update(counts)
        print(json.dumps(report), flush=True)
        day = (datetime.date.today() - datetime.timedelta(days=DAYS_BACK)).isoformat()

        def fresh(page):
            """REPEAT days near `day` that no other page asks for."""
            start = DAYS_BACK + 1 + page * REPEAT
            return [(datetime.date.today() - datetime.timedelta(days=start + n)).isoformat() for n in range(REPEAT)]

        pages = [
            ("report: commission, as of", f"/en/reports/?as_of={day}"),
            ("report: working group, as of", f"/en/reports/working-groups/{counts['group']}/?as_of={day}"),
            ("API summary, as of", f"/api/v1/summary/?as_of={day}"),
            ("project page, as of", f"/en/projects/{counts['project']}/?as_of={day}"),
            # The first request for a day computes its state and keeps it; the ones above read it back.
            ("report: commission, a day first read", [f"/en/reports/?as_of={first}" for first in fresh(0)]),
            (
                "report: working group, a day first read",
                [f"/en/reports/working-groups/{counts['group']}/?as_of={first}" for first in fresh(1)],
            ),
            ("API summary, a day first read", [f"/api/v1/summary/?as_of={first}" for first in fresh(2)]),
            ("report: commission, today", "/en/reports/"),
            ("API summary, today", "/api/v1/summary/"),
        ]
        with static_files(env) as served:
            if BEFORE_ROOT:
                report["before_commit"] = subprocess.run(
                    ["git", "-C", BEFORE_ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
                ).stdout.strip()
                report["before"] = timed(served, pages, BEFORE_ROOT, "before")
            report["after"] = timed(served, pages)
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"asof-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"written {path}")


if __name__ == "__main__":
    main()
