"""The soak's fault mode (SOAK_FAULT=1, `make soak-fault`): a third of the way into the measured
run PostgreSQL is stopped, left down SOAK_OUTAGE_SECONDS (5) and started again, while wrk keeps its
connections busy; gunicorn is not touched.

Answers are split by the second they came in: before the stop, during the outage (stop to PostgreSQL
accepting connections again) and after. The run passes when no answer is a 5xx other than 503, there
is no 503 before the stop and at least one during the outage (pages the cache holds still answer
200), and the last SETTLE seconds answer without any 503. Recovery time: from PostgreSQL accepting
connections to the first 200 from /healthz (which asks the database).

Restarting PostgreSQL breaks every other test run on the same server, so the fault mode refuses to
start while a pytest process is running; one started meanwhile delays the outage (while the recovery
still fits in the run) or makes it skipped.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

OUTAGE_SECONDS = float(os.environ.get("SOAK_OUTAGE_SECONDS", "5"))
CLUSTER = os.environ.get("SOAK_PG_CLUSTER", "main")
SETTLE = 10


def by_status(counts):
    """{status: n} from wrk's {(second, status): n}."""
    totals = Counter()
    for (_, status), n in counts.items():
        totals[status] += n
    return totals


def other_tests():
    out = subprocess.run(["pgrep", "-f", "pytest"], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split() if int(pid) != os.getpid()]


def check_nobody_testing():
    if other_tests():
        sys.exit(f"Fault mode refused: pytest is running ({other_tests()}); restarting PostgreSQL would break it.")


def pg_version():
    return os.environ.get("SOAK_PG_VERSION") or max(os.listdir("/etc/postgresql"), key=float)


def pg_ctl(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), CLUSTER, action], check=True)


def pg_ready():
    parts = urlsplit(os.environ["PG_URL"])
    command = ["pg_isready", "-q", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    return subprocess.run(command).returncode == 0


def healthy(base):
    try:
        return urllib.request.urlopen(base + "/healthz", timeout=5).status == 200
    except (urllib.error.URLError, OSError):
        return False


class Outage:
    """Stops PostgreSQL `after` seconds from now and starts it again; then judges wrk's counts."""

    def __init__(self, base, seconds):
        self.base = base
        self.after = seconds / 3
        self.latest = seconds - OUTAGE_SECONDS - 2 * SETTLE  # room left to see the recovery
        self.down_at = self.up_at = self.healthy_at = None
        self.skipped = None

    def run(self):
        started = time.monotonic()
        time.sleep(self.after)
        while other_tests():  # wait for another test run to end, as long as the recovery still fits
            if time.monotonic() - started > self.latest:
                self.skipped = f"pytest kept running ({other_tests()}): PostgreSQL left alone"
                return
            time.sleep(1)
        self.down_at = time.time()
        try:
            pg_ctl("stop")
            time.sleep(OUTAGE_SECONDS)
        finally:
            pg_ctl("start")
        while not pg_ready():
            time.sleep(0.1)
        self.up_at = time.time()
        while not healthy(self.base):
            time.sleep(0.1)
        self.healthy_at = time.time()

    def phases(self, counts):
        phases = {"before": Counter(), "during": Counter(), "after": Counter()}
        for (second, status), n in counts.items():
            if second < int(self.down_at):
                phases["before"][status] += n
            elif second <= int(self.up_at):
                phases["during"][status] += n
            else:
                phases["after"][status] += n
        return phases

    def verdict(self, counts):
        """Prints the counts by phase and status; returns the problems found."""
        if self.skipped or self.healthy_at is None:
            return [self.skipped or "the outage did not finish before the run ended"]
        phases = self.phases(counts)
        print(f"  outage: PostgreSQL down {self.up_at - self.down_at:.1f} s (stop to accepting connections)")
        for name, statuses in phases.items():
            print(f"    {name:6} {dict(sorted(statuses.items()))}")
        print(f"  recovery: /healthz 200 {self.healthy_at - self.up_at:.2f} s after PostgreSQL was back")
        problems = [
            f"{n} × {status} {name} the outage"
            for name, statuses in phases.items()
            for status, n in statuses.items()
            if status >= 500 and status != 503
        ]
        if phases["before"][503]:
            problems.append(f"{phases['before'][503]} × 503 before the outage")
        if not phases["during"][503]:
            problems.append("no 503 during the outage: the outage was not seen")
        end = max(second for second, _ in counts)
        tail = Counter({status: n for (second, status), n in counts.items() if second > end - SETTLE})
        if tail[503] or not tail[200]:
            problems.append(f"the last {SETTLE} s did not answer 200 without 503: {dict(tail)}")
        return problems
