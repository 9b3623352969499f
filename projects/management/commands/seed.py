import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from partnership.permissions import setup_roles
from projects import snapshots
from projects.seeding.demo import load_demo
from projects.seeding.demo_history import add_history
from projects.seeding.facts import load_facts


class Command(BaseCommand):
    help = (
        "Load the public facts (commission, working groups, co-chairs, meetings, directives, agreements, "
        "trade figures and reported projects, with their sources). Idempotent: a second run changes nothing. "
        "With --demo, also add a fictional demo portfolio, marked as demo everywhere it shows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also add the fictional demo portfolio.")
        parser.add_argument(
            "--projects",
            type=int,
            default=72,
            help="Number of demo projects (default 72; use 10000 for performance work).",
        )
        parser.add_argument(
            "--tasks",
            type=int,
            default=None,
            help="Tasks across the demo portfolio in all (default 4 to 8 a project; the bench uses 100000).",
        )
        parser.add_argument(
            "--history",
            action="store_true",
            help="With --demo: give the demo projects a made-up change history over the last two years, "
            "so that reports for a past day show them (the as-of bench uses it).",
        )

    def handle(self, *args, demo=False, projects=72, tasks=None, history=False, **options):
        if projects < 1 or projects > 1_000_000:
            raise CommandError("--projects must be between 1 and 1,000,000.")
        if tasks is not None and not 0 <= tasks <= 100 * projects:
            raise CommandError("--tasks must be between 0 and 100 a project.")
        started = time.perf_counter()
        began = timezone.now()
        setup_roles()
        facts = load_facts()
        self.stdout.write(facts.summary("Facts"))
        for label in facts.changed_labels:
            self.stdout.write(f"  updated: {label}")
        if demo:
            tally = load_demo(count=projects, tasks=tasks)
            if history:
                self.stdout.write(f"Demo history: {add_history()} projects given a change history.")
            if tally.created and connection.vendor == "postgresql":
                # Bulk inserts leave the planner's statistics behind until autovacuum catches up;
                # without them it picks the wrong indexes (a search took 90 ms instead of 4).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            if tally.changed or tally.events:
                self.stdout.write(
                    f"Demo portfolio: {tally.created} projects and {tally.events} events added "
                    f"({tally.unchanged} demo projects were already there)."
                )
            else:
                self.stdout.write(
                    f"Demo portfolio: all {tally.unchanged} demo projects already there; nothing changed."
                )
        # The loaders set sectors after saving a project: a history row of its own, which no
        # figures refresh has seen. Bring those projects' dated snapshots up to date.
        snapshots.sync_changed_since(began)
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
