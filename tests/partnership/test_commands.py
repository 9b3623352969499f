import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests import factories as f


@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_database_copy_that_holds_the_data(tmp_path):
    project = f.ProjectFactory(code="BACKUP-1")
    out = StringIO()
    call_command("backup", to=str(tmp_path), stdout=out)
    [folder] = list(tmp_path.iterdir())
    assert "Backup written" in out.getvalue()
    if connection.vendor == "sqlite":
        with sqlite3.connect(folder / "db.sqlite3") as copy:
            codes = [row[0] for row in copy.execute("SELECT code FROM projects_project")]
        assert codes == [project.code]
    else:
        dump = next(folder.glob("db.*"))
        assert dump.stat().st_size > 0


@pytest.mark.django_db
def test_ensure_admin_uses_the_password_from_the_environment(monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-local-password")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("a-long-local-password")
    assert "a-long-local-password" not in out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_generates_and_prints_a_password_once(monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    first = StringIO()
    call_command("ensure_admin", stdout=first)
    password = first.getvalue().split("shown only this once: ")[1].strip()
    assert get_user_model().objects.get(username="admin").check_password(password)
    second = StringIO()
    call_command("ensure_admin", stdout=second)
    assert "already exists" in second.getvalue() and password not in second.getvalue()
