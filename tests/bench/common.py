"""Shared set-up for the benchmark and the soak test: a throwaway database with a demo portfolio,
served by gunicorn with production settings (DEBUG off, collected static files, 2 workers).

PostgreSQL by default (`PG_URL`: the server, and the database name to derive the bench's own
from); `BENCH_DB=sqlite` for a SQLite file under /tmp. The bench creates its database and drops it
at the end; it only ever creates or drops a database whose name contains "bench".
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
OUTPUT = ROOT / "bench-output"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/partnership")

# Production settings, whatever the caller's environment says; throttling off so that load is not refused.
SERVER_ENV = {
    "DEBUG": "0",
    "PLAIN_HTTP": "1",  # gunicorn on 127.0.0.1 speaks plain HTTP, as behind a TLS proxy
    "MANIFEST_STATIC": "1",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "API_ANON_RATE": "1000000/minute",
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}",
    "ENV_FILE": "/dev/null",
}


def manage(env, *args, quiet=True):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def bench_database_url():
    """PG_URL with the database renamed `<name>_bench` (kept as it is when it already says bench)."""
    parts = urlsplit(PG_URL)
    name = parts.path.lstrip("/") or "partnership"
    if "bench" not in name:
        name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _postgres(sql):
    import psycopg

    parts = urlsplit(PG_URL)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def database():
    """A fresh, empty, migrated database for the run; yields the environment that points at it."""
    env = {**os.environ, **SERVER_ENV}
    if os.environ.get("BENCH_DB", "postgres") == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="partnership-bench-"))
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        try:
            manage(env, "migrate", "--noinput", "-v0")
            yield env
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    url, name = bench_database_url()
    assert "bench" in name
    _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url
    try:
        manage(env, "migrate", "--noinput", "-v0")
        yield env
    finally:
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def grow_portfolio(env, projects, tasks=None):
    """Seed the facts and a demo portfolio of `projects` projects (and `tasks` tasks); returns seconds."""
    started = time.perf_counter()
    extra = ["--tasks", str(tasks)] if tasks is not None else []
    manage(env, "seed", "--demo", "--projects", str(projects), *extra)
    return time.perf_counter() - started


@contextlib.contextmanager
def static_files(env):
    """Collected static files with the manifest storage, as production serves them."""
    folder = Path(tempfile.mkdtemp(prefix="partnership-static-"))
    try:
        manage({**env, "STATIC_ROOT": str(folder)}, "collectstatic", "--noinput", "-v0")
        yield {**env, "STATIC_ROOT": str(folder)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def prepare_database(projects):
    """For the soak test: a database with `projects` demo projects that lives until the process ends."""
    stack = contextlib.ExitStack()
    env = stack.enter_context(database())
    grow_portfolio(env, projects)
    env = stack.enter_context(static_files(env))
    import atexit

    atexit.register(stack.close)
    return env


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


class Server:
    """gunicorn with 2 sync workers on a free loopback port, serving bench_wsgi (the site and the floor)."""

    def __init__(self, env, log_name="gunicorn", root=ROOT):
        self.env = env
        self.root = root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = OUTPUT / f"{log_name}.log"

    def __enter__(self):
        OUTPUT.mkdir(exist_ok=True)
        command = [
            sys.executable, "-m", "gunicorn", "bench_wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2",
            "--timeout", "300",  # today's slowest pages take most of a minute; let them finish
            "--access-logfile", "/dev/null",
            "--error-logfile", str(self.log),
        ]  # fmt: skip
        with open(self.log, "w") as log:  # Django's own log lines (404s under load) go there too
            self.process = subprocess.Popen(
                command, cwd=self.root, env=self.env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=10)
                return self
            except OSError:  # not listening yet, or a worker still booting
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)

    def worker_rss_mib(self):
        return [round(rss_kib(pid) / 1024, 1) for pid in worker_pids(self.process.pid)]
