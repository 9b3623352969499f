#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings, so that their error is the one shown)
    except ImproperlyConfigured as exc:
        # Django would defer it and fail later with "Models aren't loaded yet", which hides the cause.
        sys.exit(f"manage.py: {exc}\n(For local work, `make .env` writes a .env with DEBUG=1 and a key.)")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
