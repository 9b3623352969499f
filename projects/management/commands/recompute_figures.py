"""Rebuild the stored per-project figures; run daily so that overdue counts follow the date."""

import time

from django.core.management.base import BaseCommand, CommandError

from projects import stored_figures
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Recompute every project's stored figures (progress, task weights, overdue tasks, USD equivalent) "
        "from its tasks and the exchange rates. Safe to run at any time and more than once; run it daily "
        "(cron or a systemd timer) so that tasks that fell due yesterday count as overdue today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; list the projects whose stored figures differ and fail when there are any.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            differing = stored_figures.stale()
            if differing:
                codes = Project.objects.filter(pk__in=differing).order_by("code").values_list("code", flat=True)
                raise CommandError(f"{len(differing)} project(s) have stale figures: {', '.join(codes[:20])}")
            self.stdout.write("Every project's stored figures match the ones computed now.")
            return
        started = time.monotonic()
        count = stored_figures.refresh_all()
        self.stdout.write(f"Recomputed the figures of {count} project(s) in {time.monotonic() - started:.1f} s.")
