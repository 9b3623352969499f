import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = "import django; django.setup(); from django.conf import settings as s; "


# Variables of the test run itself (TEST_ENV) that each test sets as it needs.
RUN_VARIABLES = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "PLAIN_HTTP", "MANIFEST_STATIC")


def run_settings(code, *, command=None, **env):
    base = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    return subprocess.run(
        command or [sys.executable, "-c", PRINT + code],
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


def test_outside_debug_the_site_is_https_only_unless_plain_http():
    show = "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    key = "x" * 50
    assert run_settings(show, SECRET_KEY=key).stdout.split() == ["True", "True", "True", "31536000"]
    assert run_settings(show, SECRET_KEY=key, PLAIN_HTTP="1").stdout.split() == ["False", "False", "False", "0"]
    assert run_settings(show, DEBUG="1").stdout.split() == ["False", "False", "False", "0"]


def test_client_address_and_lockout_come_from_the_environment():
    show = "print(s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.seconds)"
    key = "x" * 50
    assert run_settings(show, SECRET_KEY=key).stdout.split() == ["0", "5", "900"]
    changed = run_settings(show, SECRET_KEY=key, NUM_PROXIES="1", AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60")
    assert changed.stdout.split() == ["1", "3", "3600"]


def test_check_deploy_with_only_the_required_variables_warns_only_of_hsts_subdomains_and_preload():
    import secrets

    result = run_settings(
        None,
        command=[sys.executable, "manage.py", "check", "--deploy"],
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tracker.example.org",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    warnings = sorted(set(re.findall(r"\((\w+\.\w+)\)", result.stderr + result.stdout)))
    assert warnings == ["security.W005", "security.W021"], result.stderr
