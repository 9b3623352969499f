import datetime
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from rest_framework.authtoken.models import Token

TOKEN_TABLE = Token._meta.db_table


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (SQLite's online backup, or pg_dump for PostgreSQL) and a "
        "tarball of uploaded files into a dated folder under --to (default: backups/). The folder and files "
        "are readable by their owner only; API tokens are left out unless --with-tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.BASE_DIR / "backups"), help="Folder to write into.")
        parser.add_argument(
            "--with-tokens", action="store_true", help="Keep the API tokens (left out by default: they are passwords)."
        )

    def handle(self, *args, to, with_tokens, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(to) / stamp
        umask = os.umask(0o077)  # everything written below: owner only (0700 folder, 0600 files)
        try:
            target.mkdir(parents=True, exist_ok=False)
            target.chmod(0o700)
            self.dump_database(target, with_tokens)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                with tarfile.open(target / "media.tar.gz", "w:gz") as tar:
                    tar.add(media, arcname="media")
        finally:
            os.umask(umask)
        for item in target.iterdir():
            item.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
        for item in sorted(target.iterdir()):
            self.stdout.write(f"  {item.name}: {item.stat().st_size:,} bytes")

    def dump_database(self, target, with_tokens):
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            out = target / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(out) as dest:
                connection.connection.backup(dest)
                if not with_tokens:
                    # Overwritten, not just unlinked: no trace of the keys left in free pages.
                    dest.execute("PRAGMA secure_delete = ON")
                    dest.execute(f"DELETE FROM {TOKEN_TABLE}")
            dest.close()
        elif connection.vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed; install the PostgreSQL client tools.")
            out = target / "db.dump"
            env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
            command = ["pg_dump", "--format=custom", f"--file={out}", "--no-owner"]
            if not with_tokens:
                command.append(f"--exclude-table-data={TOKEN_TABLE}")
            for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
                if db.get(key):
                    command.append(f"{flag}={db[key]}")
            command.append(db["NAME"])
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No backup method for the {connection.vendor} database.")
