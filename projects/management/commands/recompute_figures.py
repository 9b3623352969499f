"""Rebuild the stored per-project figures; run daily so that overdue counts follow the date."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnership.models import Meeting
from projects import asof, changes, stored_figures
from projects import snapshots as dated_snapshots
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Recompute every project's stored figures (progress, task weights, overdue tasks, USD equivalent) "
        "from its tasks and the exchange rates, and every indicator's latest published actual. Safe to run at any time and more than once; run it daily "
        "(cron or a systemd timer) so that tasks that fell due yesterday count as overdue today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; list the projects whose stored figures or dated snapshots differ and fail "
            "when there are any.",
        )
        parser.add_argument(
            "--snapshots",
            action="store_true",
            help="Rebuild every dated snapshot from the change history (after restoring or editing history, "
            "or changing TIME_ZONE); a plain run only catches up with the last two days.",
        )

    def handle(self, *args, check=False, snapshots=False, **options):
        if check:
            return self.check_stored()
        started = time.monotonic()
        if snapshots:
            projects, tasks = dated_snapshots.rebuild()
            self.stdout.write(
                f"Rebuilt {projects} project and {tasks} task snapshot(s) from the history "
                f"in {time.monotonic() - started:.1f} s."
            )
        else:
            # What other paths wrote to the history (a change of sectors alone, a project deleted)
            # counts from the end of its day: catch up before it is read as a past day.
            since = changes.day_start(timezone.localdate() - datetime.timedelta(days=1))
            synced = dated_snapshots.sync_changed_since(since)
            self.stdout.write(f"Brought the dated snapshots of {synced} recently changed project(s) up to date.")
        # The indicators' latest actuals first: the projects' counts per track read them.
        started = time.monotonic()
        count = stored_figures.refresh_indicators()
        self.stdout.write(
            f"Stored the latest published actual of {count} indicator(s) in {time.monotonic() - started:.1f} s."
        )
        started = time.monotonic()
        count = stored_figures.refresh_all()
        self.stdout.write(f"Recomputed the figures of {count} project(s) in {time.monotonic() - started:.1f} s.")
        # The past days kept once read last a day, however many were read, and any that a rewrite
        # going round the sync reached is put right; the commission's meeting days and the month
        # ends, the days a report is most often asked for, are kept again at once.
        forgotten = asof.forget_from()
        started = time.monotonic()
        kept = asof.keep_ahead(asof.days_to_keep_ahead(Meeting.objects.values_list("date", flat=True)))
        self.stdout.write(
            f"Forgot {forgotten} kept past day(s); kept the state of {kept} meeting day(s) and month end(s) "
            f"in {time.monotonic() - started:.1f} s."
        )

    def check_stored(self):
        for label, differing in (
            ("stale figures", stored_figures.stale()),
            ("stale money per year", stored_figures.stale_years()),
            ("dated snapshots that differ from the history", dated_snapshots.differing()),
        ):
            if differing:
                codes = Project.objects.filter(pk__in=differing).order_by("code").values_list("code", flat=True)
                codes = list(codes[:20]) or [str(pk) for pk in sorted(differing)[:20]]  # deleted ones by id
                raise CommandError(f"{len(differing)} project(s) have {label}: {', '.join(codes)}")
        differing = stored_figures.stale_indicators()
        if differing:
            shown = ", ".join(str(pk) for pk in differing[:20])
            raise CommandError(f"{len(differing)} indicator(s) have a stale latest actual: ids {shown}")
        self.stdout.write(
            "Every project's stored figures and dated snapshots, and every indicator's latest actual, "
            "match the ones computed now."
        )
