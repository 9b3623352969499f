from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Portfolio")

    def ready(self):
        # The portfolio's kinds of record join the publication workflow.
        from . import workflow  # noqa: F401
