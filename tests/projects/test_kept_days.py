"""A past day's state, kept once read: read back by the next request, forgotten when rewritten."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from projects import asof
from projects.models import (
    Indicator,
    IndicatorValue,
    KeptDay,
    KeptProjectState,
    KeptProjectTracks,
    Project,
    Publication,
    Result,
)
from tests import factories as f
from tests.projects.test_as_of import (
    change,
    report,
    story,  # noqa: F401  (the fixture, taken by the tests below)
)

pytestmark = pytest.mark.django_db


def figures(client, day, **kwargs):
    context = report(client, day, **kwargs).context
    return context["totals"]["count"], context["totals"]["usd"], [row["count"] for row in context["by_status"]]


def test_the_first_reader_keeps_the_day_and_the_next_reads_the_same(client, story):
    d = story["d"]
    assert not KeptDay.objects.exists()
    first = figures(client, d(30))
    assert list(KeptDay.objects.values_list("day", flat=True)) == [d(30)]
    # Alpha, Foxtrot, Kilo and Echo were published then (Delta a draft, Bravo not yet made).
    assert KeptProjectState.objects.filter(day=d(30), publication=Publication.PUBLISHED).count() == 4
    assert figures(client, d(30)) == first
    # Each scope reads the kept day: one working group's report counts its projects then.
    assert figures(client, d(30), name="projects:report-workinggroup", slug=story["g2"].slug)[0] == 1
    assert KeptDay.objects.count() == 1
    # Read back or computed afresh, the day says the same.
    asof.forget_from()
    assert figures(client, d(30)) == first


def test_a_write_today_keeps_the_day_and_a_rewrite_of_its_history_forgets_it(client, story):
    d = story["d"]
    before = figures(client, d(30))
    # A change made today belongs to no past day: the kept day stands.
    story["a"].title = "Alpha line, renamed"
    story["a"].save()
    assert KeptDay.objects.filter(day=d(30)).exists()
    assert figures(client, d(30)) == before
    # History rewritten as if Kilo had been closed at d(40) (an import, a fix): every day from then is
    # forgotten, and the next read shows it.
    figures(client, d(50))
    change(story["k"], d(40), status=Project.Status.CLOSED)
    assert list(KeptDay.objects.values_list("day", flat=True)) == [d(50)]
    after = figures(client, d(30))
    assert after[0] == before[0] and after[2] != before[2]
    assert closed_on(client, d(30)) == 1  # Kilo (Alpha closed later, at d(20))
    assert closed_on(client, d(50)) == 0  # kept, and before the rewritten change


def closed_on(client, day):
    rows = report(client, day).context["by_status"]
    return sum(row["count"] for row in rows if row["key"] == Project.Status.CLOSED)


def test_a_value_entered_now_for_a_period_then_changes_the_kept_days_tracks(client, story):
    d = story["d"]
    result = Result.objects.create(project=story["a"], kind=Result.Kind.OUTPUT, title="Output")
    indicator = Indicator.objects.create(
        result=result, title="Length", measure=Indicator.Measure.NUMBER, baseline_value=0, target_value=10
    )
    track = report(client, d(30)).context["indicator_track"]["totals"]
    assert track["no_data"] == 1 and KeptProjectTracks.objects.filter(day=d(30)).count() == 1
    IndicatorValue.objects.create(
        indicator=indicator, period_start=d(50), period_end=d(40), value=10, publication=Publication.PUBLISHED
    )
    assert not KeptProjectTracks.objects.exists()
    track = report(client, d(30)).context["indicator_track"]["totals"]
    assert track["no_data"] == 0 and track["on_track"] == 1


def test_the_daily_run_forgets_every_kept_day(client, story):
    d = story["d"]
    figures(client, d(30))
    figures(client, d(50))
    out = StringIO()
    call_command("recompute_figures", stdout=out)
    assert "Forgot 2 kept past day(s);" in out.getvalue()
    assert not KeptDay.objects.exists() and not KeptProjectState.objects.exists()


def test_the_daily_run_keeps_the_meeting_days_ahead(client, story, today):
    d = story["d"]
    f.MeetingFactory(commission=story["g1"].commission, date=d(30))
    f.MeetingFactory(commission=story["g1"].commission, date=today + datetime.timedelta(days=10))
    out = StringIO()
    call_command("recompute_figures", stdout=out)
    assert "kept the state of 1 meeting day(s)" in out.getvalue()
    # The past meeting's day is kept, with its tracks; the coming one is not a past day.
    assert list(KeptDay.objects.values_list("day", flat=True)) == [d(30)]
    assert KeptProjectState.objects.filter(day=d(30), publication=Publication.PUBLISHED).count() == 4
    # Its first reader reads it back, and it says what a day computed afresh says.
    kept = figures(client, d(30))
    asof.forget_from()
    assert figures(client, d(30)) == kept


def test_a_filtered_or_single_project_state_is_not_kept(client, story):
    d = story["d"]
    assert client.get(story["a"].get_absolute_url() + f"?as_of={d(30)}").status_code == 200
    assert not KeptDay.objects.exists()
    asof.projects_on(d(30), Project.objects.filter(pk=story["k"].pk))
    assert not KeptDay.objects.exists()
