from django.core.management.base import BaseCommand

from partnership.permissions import EDITOR, SECRETARIAT, setup_roles


class Command(BaseCommand):
    help = f"Create or refresh the '{SECRETARIAT}' and '{EDITOR}' groups and their permissions."

    def handle(self, *args, **options):
        result = setup_roles()
        made = ", ".join(result["created"]) or "none"
        self.stdout.write(f"Roles ready: {SECRETARIAT}, {EDITOR} (newly created: {made}).")
