from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Portfolio")

    def ready(self):
        # The portfolio's kinds of record join the publication workflow.
        from . import snapshots, workflow  # noqa: F401

        # After django-simple-history's receiver (connected when translation.py registered the
        # model), so a change of sectors alone finds its history row.
        snapshots.connect()
