"""manage.py names a settings error instead of Django's later "Models aren't loaded yet"."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_secret_key_is_named(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ENV_FILE": str(tmp_path / "no.env"), "DEBUG": "0"}
    run = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "SECRET_KEY is not set" in run.stderr and "make .env" in run.stderr
    assert "Models aren't loaded yet" not in run.stderr
