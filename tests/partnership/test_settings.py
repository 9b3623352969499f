import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = "import django; django.setup(); from django.conf import settings as s; "


def run_settings(code, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS")}
    return subprocess.run(
        [sys.executable, "-c", PRINT + code],
        env={**base, "DJANGO_SETTINGS_MODULE": "partnership.settings", "ENV_FILE": "/nonexistent/.env", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_missing_secret_key_is_an_error_outside_debug():
    result = run_settings("print(s.DEBUG)")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_defaults_are_safe_and_local():
    result = run_settings(
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, name = result.stdout.split(" ", 3)
    assert debug == "False" and hosts == "[]"
    assert engine.endswith("sqlite3") and name.strip() == str(ROOT / "db.sqlite3")


def test_database_url_and_hosts_come_from_the_environment():
    result = run_settings(
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.ALLOWED_HOSTS, s.TIME_ZONE)",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://user:pw@db.internal:5432/tracker",
        ALLOWED_HOSTS="tracker.example.org,www.tracker.example.org",
        TIME_ZONE="Asia/Tashkent",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout and "tracker" in result.stdout
    assert "['tracker.example.org', 'www.tracker.example.org']" in result.stdout
    assert "Asia/Tashkent" in result.stdout


def test_debug_allows_a_missing_secret_key_for_local_work():
    result = run_settings("print(s.DEBUG, s.ALLOWED_HOSTS)", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")


def test_a_local_env_file_fills_in_what_the_environment_leaves_out(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-file\nTIME_ZONE=Asia/Tashkent\n")
    result = run_settings("print(s.DEBUG, s.SECRET_KEY, s.TIME_ZONE)", ENV_FILE=str(env_file), TIME_ZONE="UTC")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "from-the-file", "UTC"]  # the environment wins


def test_page_cache_is_off_in_production_without_a_shared_cache():
    """With a per-process cache, gunicorn's workers would each keep their own content version."""
    show = "print(s.PAGE_CACHE_SECONDS)"
    key = "x" * 50
    assert run_settings(show, SECRET_KEY=key).stdout.strip() == "0"
    assert run_settings(show, SECRET_KEY=key, CACHE_URL="redis://127.0.0.1:6379/1").stdout.strip() == "600"
    assert run_settings(show, SECRET_KEY=key, PAGE_CACHE_SECONDS="30").stdout.strip() == "30"
    assert run_settings(show, DEBUG="1").stdout.strip() == "600"
