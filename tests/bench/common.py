"""Shared set-up for the benchmark and the soak test: a throwaway database with a demo portfolio."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prepare_database(projects):
    """Create a fresh SQLite database under /tmp, migrate it and seed `projects` demo projects."""
    folder = Path(tempfile.mkdtemp(prefix="partnership-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    grow_portfolio(env, projects)
    return env


def grow_portfolio(env, projects):
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "seed", "--demo", "--projects", str(projects)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
