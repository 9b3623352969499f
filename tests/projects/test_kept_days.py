"""A past day's state, kept once read: read back by the next request, forgotten when rewritten."""

import datetime
from io import StringIO

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory

from partnership.after_response import AfterResponseMiddleware
from projects import asof
from projects.models import (
    Indicator,
    IndicatorValue,
    KeptDay,
    KeptGeneration,
    KeptProjectState,
    KeptProjectTracks,
    Project,
    Publication,
    Result,
)
from tests import factories as f
from tests.helpers import url
from tests.projects.test_as_of import (
    change,
    report,
    story,  # noqa: F401  (the fixture, taken by the tests below)
)
from tests.projects.test_snapshots import (
    demo_with_history,  # noqa: F401  (the fixture, taken by a test below)
    report_on,
)

pytestmark = pytest.mark.django_db


def figures(client, day, **kwargs):
    context = report(client, day, **kwargs).context
    counts = [row["count"] for row in context["by_status"]], [row["count"] for row in context["by_sector"]]
    return context["totals"]["count"], context["totals"]["usd"], *counts


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


def test_the_day_is_kept_once_the_answer_is_sent(story):
    """Keeping a day is not the reader's wait: the server sends the answer, then closes the
    response, which keeps the day (as gunicorn does; the test client closes before returning)."""
    d = story["d"]
    environ = RequestFactory().get(url("projects:report"), {"as_of": d(30).isoformat()}).environ
    # As the test client does: the test's transaction must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers: None)
        assert response.status_code == 200 and b"".join(response)
        assert not KeptDay.objects.exists()
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert list(KeptDay.objects.values_list("day", flat=True)) == [d(30)]


def test_a_day_is_not_kept_from_tables_refilled_before_the_answer_was_sent(story):
    """The keep waits for the answer; if the same request reads another state into the temporary
    tables meanwhile, it would copy those rows under the first day: it keeps nothing instead."""
    d = story["d"]

    def answer(*reads):
        def view(request):
            for read in reads:
                read()
            return HttpResponse("the answer")

        response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
        signals.request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            signals.request_finished.connect(close_old_connections)

    whole = lambda: asof.projects_on(d(30)).count()  # noqa: E731
    one = lambda: asof.projects_on(d(40), Project.objects.filter(pk=story["k"].pk)).count()  # noqa: E731
    answer(whole, one)
    assert not KeptDay.objects.exists()
    answer(whole)
    assert list(KeptDay.objects.values_list("day", flat=True)) == [d(30)]
    assert KeptProjectState.objects.filter(day=d(30), publication=Publication.PUBLISHED).count() == 4


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
    # The kept tracks are of an older generation now: never read again.
    assert not KeptProjectTracks.objects.filter(generation=KeptGeneration.objects.get().tracks).exists()
    track = report(client, d(30)).context["indicator_track"]["totals"]
    assert track["no_data"] == 0 and track["on_track"] == 1
    assert report(client, d(30)).context["indicator_track"]["totals"] == track  # read back


def test_a_rewrite_committed_while_a_day_is_computed_keeps_it_out(client, story, monkeypatch):
    """Found in review: a reader that read the history before a rewrite, and kept the day after the
    rewrite forgot it, would have kept a stale day."""
    d = story["d"]
    keep = asof.keep

    def rewrite_then_keep(day, kept):
        change(story["k"], d(40), status=Project.Status.CLOSED)  # committed meanwhile
        keep(day, kept)

    monkeypatch.setattr(asof, "keep", rewrite_then_keep)
    assert closed_on(client, d(30)) == 0  # as the history was read
    monkeypatch.undo()
    assert not KeptDay.objects.exists()
    assert closed_on(client, d(30)) == 1


def test_a_value_entered_while_tracks_are_computed_keeps_them_out(client, story, monkeypatch):
    d = story["d"]
    result = Result.objects.create(project=story["a"], kind=Result.Kind.OUTPUT, title="Output")
    indicator = Indicator.objects.create(
        result=result, title="Length", measure=Indicator.Measure.NUMBER, baseline_value=0, target_value=10
    )
    keep_tracks = asof.keep_tracks

    def value_then_keep(day, kept):
        IndicatorValue.objects.create(
            indicator=indicator, period_start=d(50), period_end=d(40), value=10, publication=Publication.PUBLISHED
        )
        keep_tracks(day, kept)

    monkeypatch.setattr(asof, "keep_tracks", value_then_keep)
    assert report(client, d(30)).context["indicator_track"]["totals"]["no_data"] == 1
    monkeypatch.undo()
    assert not KeptProjectTracks.objects.exists()
    assert report(client, d(30)).context["indicator_track"]["totals"]["on_track"] == 1


def test_a_day_forgotten_while_it_is_copied_is_computed_afresh(client, story, monkeypatch):
    d = story["d"]
    before = figures(client, d(30))
    fill = asof.fill_temporary

    def forget_then_fill(model, rows, *args, **kwargs):
        if model is asof.AsOfProjectSector:
            asof.forget_from()  # between the copy of the state and of its sectors
        return fill(model, rows, *args, **kwargs)

    monkeypatch.setattr(asof, "fill_temporary", forget_then_fill)
    assert figures(client, d(30)) == before
    monkeypatch.undo()


def rounded(value):
    """`value` with its floats to 9 decimals: a mean over rows copied in another order may differ
    in its last digits (a float sum depends on the order of its terms)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def test_every_figure_of_a_kept_day_equals_the_one_read_from_the_history(demo_with_history, today):
    for back in (30, 200, 400):
        day = today - datetime.timedelta(days=back)
        first = rounded(report_on(day, from_history=False))  # computed and kept
        assert KeptDay.objects.filter(day=day).exists()
        assert rounded(report_on(day, from_history=False)) == first == rounded(report_on(day, from_history=True))


def test_the_daily_run_forgets_every_kept_day(client, story):
    d = story["d"]
    figures(client, d(30))
    figures(client, d(50))
    out = StringIO()
    call_command("recompute_figures", stdout=out)
    assert "Forgot 2 kept past day(s);" in out.getvalue()
    # What is kept now is only what the run kept ahead (the month ends since the history began).
    ahead = set(asof.days_to_keep_ahead([]))
    assert set(KeptDay.objects.values_list("day", flat=True)) == ahead
    assert not KeptProjectState.objects.exclude(day__in=ahead).exists()


def test_the_daily_run_keeps_the_meeting_days_and_month_ends_ahead(client, story, today):
    d = story["d"]
    f.MeetingFactory(commission=story["g1"].commission, date=d(30))
    f.MeetingFactory(commission=story["g1"].commission, date=today + datetime.timedelta(days=10))
    f.MeetingFactory(commission=story["g1"].commission, date=d(400))  # before the history begins (d(60))
    # The month ends from the history's first day (d(60)) to yesterday.
    month_ends, end = [], today.replace(day=1) - datetime.timedelta(days=1)
    while end >= d(60):
        month_ends.append(end)
        end = end.replace(day=1) - datetime.timedelta(days=1)
    expected = sorted({d(30), *month_ends})
    assert len(expected) >= 2
    out = StringIO()
    call_command("recompute_figures", stdout=out)
    assert f"kept the state of {len(expected)} meeting day(s) and month end(s)" in out.getvalue()
    # The past meeting's day and the month ends are kept, with their tracks; the coming meeting is
    # not a past day, nor is one before the history begins.
    assert sorted(KeptDay.objects.values_list("day", flat=True)) == expected
    assert KeptProjectState.objects.filter(day=d(30), publication=Publication.PUBLISHED).count() == 4
    # Its first reader reads it back, and it says what a day computed afresh says.
    kept = figures(client, d(30))
    asof.forget_from()
    assert figures(client, d(30)) == kept


def test_days_kept_ahead_leave_room_for_the_readers_days(story, today):
    meetings = [today - datetime.timedelta(days=n) for n in range(1, 59)]
    days = asof.days_to_keep_ahead(meetings)
    assert len(days) == asof.KEPT_DAYS // 2
    assert days[0] == today - datetime.timedelta(days=1)  # the latest first
    assert all(day >= story["d"](60) for day in days)


def test_a_filtered_or_single_project_state_is_not_kept(client, story):
    d = story["d"]
    assert client.get(story["a"].get_absolute_url() + f"?as_of={d(30)}").status_code == 200
    assert not KeptDay.objects.exists()
    asof.projects_on(d(30), Project.objects.filter(pk=story["k"].pk))
    assert not KeptDay.objects.exists()
