"""Each project stores how many of its indicators are on track, off track and without data
(ProjectFigures), and every write that moves those counts refreshes them: the reports and the API
add up the stored counts instead of working the rule out for every indicator."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projects import stored_figures
from projects.models import Indicator, IndicatorValue, Project, ProjectFigures, Publication, Result
from projects.querysets import TRACK_FIELDS
from projects.selectors import indicators_on_track
from tests import factories as f
from tests.projects.test_results import add_value, make_indicator

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def stored(project):
    """(on track, off track, no data) as stored for the project."""
    return tuple(ProjectFigures.objects.filter(project=project).values_list(*TRACK_FIELDS).get())


def counted(project, day):
    """The same counted from the indicators by the rule itself."""
    tracks = Indicator.objects.filter(result__project=project).with_status(day).values_list("track", flat=True)
    tracks = list(tracks)
    return tuple(tracks.count(track) for track in TRACK_FIELDS.values())


def test_every_write_to_indicators_keeps_the_stored_counts(today):
    project, other = f.ProjectFactory(), f.ProjectFactory()
    start, end = today - 10 * DAY, today + 10 * DAY
    indicator = make_indicator(project, baseline_date=start, target_date=end)
    assert stored(project) == (0, 0, 1)  # no value yet
    value = add_value(indicator, start, today, 100)
    assert stored(project) == (1, 0, 0)
    indicator.target_value = Decimal(1000)  # 10 % done with half the time gone
    indicator.save()
    assert stored(project) == (0, 1, 0)
    IndicatorValue.objects.filter(pk=value.pk).update(publication=Publication.SUBMITTED)  # sent back
    assert stored(project) == (0, 0, 1)
    second = make_indicator(project, baseline_date=start, target_date=end)
    add_value(second, start, today, 90)
    assert stored(project) == (1, 0, 1)
    result = second.result
    result.project = other  # a result moved to another project takes its indicators along
    result.save()
    assert (stored(project), stored(other)) == ((0, 0, 1), (1, 0, 0))
    Indicator.objects.filter(pk=indicator.pk).delete()
    assert stored(project) == (0, 0, 0)
    third = make_indicator(project)
    assert stored(project) == (0, 0, 1)
    third.delete()
    assert stored(project) == (0, 0, 0)
    Result.objects.filter(project=other).delete()
    assert stored(other) == (0, 0, 0)
    make_indicator(other).result.delete()
    assert stored(other) == (0, 0, 0)
    assert stored_figures.stale() == []


def test_stored_counts_equal_the_rule_and_a_new_day_counts_afresh(today):
    group = f.WorkingGroupFactory()
    projects = [f.ProjectFactory(working_group=group) for _ in range(3)]
    start = today - 10 * DAY
    for number, project in enumerate(projects):
        for share in range(number + 1):
            indicator = make_indicator(project, baseline_date=start, target_date=today + 10 * DAY + number * DAY)
            add_value(indicator, start, today - DAY, 30 * share)
    for project in projects:
        assert stored(project) == counted(project, today)
    on_today = indicators_on_track(Project.objects.published(), today)
    totals = on_today["totals"]
    assert totals["count"] == 6
    assert (totals["on_track"], totals["off_track"], totals["no_data"]) == tuple(
        sum(column) for column in zip(*(counted(p, today) for p in projects), strict=True)
    )
    # The stored counts are of the day they were computed on. Before the daily recompute has run
    # on a later day, the reports count afresh, for the time elapsed since.
    ProjectFigures.objects.update(computed_on=today - DAY, indicators_on_track=0, indicators_off_track=0)
    assert indicators_on_track(Project.objects.published(), today) == on_today
    with pytest.raises(CommandError, match="stale figures"):
        call_command("recompute_figures", "--check", stdout=StringIO())
    call_command("recompute_figures", stdout=StringIO())
    assert [stored(p) for p in projects] == [counted(p, today) for p in projects]
