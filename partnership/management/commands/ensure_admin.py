import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a local superuser exists. Its name comes from ADMIN_USERNAME (default 'admin') and "
        "its password from ADMIN_PASSWORD; without one, a password is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        user = User.objects.filter(username=username).first()
        if user and not password:
            self.stdout.write(f"Admin account '{username}' already exists; its password is unchanged.")
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_superuser(username=username, email="", password=password)
            verb = "Created"
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
            verb = "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} admin account '{username}'."))
        if generated:
            self.stdout.write(f"Its password, shown only this once: {password}")
