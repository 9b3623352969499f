"""Results: indicators with baseline, target and reviewed actual values (models, workflow,
permissions, project page, on-track counts, API, admin, the jobs migration, demo data)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from partnership.workflow import transition
from projects.models import Indicator, IndicatorValue, Project, Publication, Result
from projects.selectors import indicators_on_track
from tests import factories as f
from tests.helpers import admin_url, assert_error, client_for, field_errors, url

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def make_indicator(project=None, **fields):
    project = project or f.ProjectFactory()
    result = Result.objects.create(project=project, kind=Result.Kind.OUTPUT, title="Road built")
    defaults = {
        "title": "Road length",
        "measure": Indicator.Measure.NUMBER,
        "unit": "km",
        "baseline_value": Decimal(0),
        "target_value": Decimal(100),
    }
    return Indicator.objects.create(result=result, **{**defaults, **fields})


def add_value(indicator, start, end, value, publication=Publication.PUBLISHED, **fields):
    return IndicatorValue.objects.create(
        indicator=indicator, period_start=start, period_end=end, value=value, publication=publication, **fields
    )


# --- validation --------------------------------------------------------------------------------


def test_indicator_numbers_must_fit_the_measure():
    indicator = make_indicator()
    indicator.measure = Indicator.Measure.PERCENTAGE
    indicator.target_value = Decimal(120)
    assert field_errors(indicator)["target_value"] == ["A percentage is between 0 and 100."]
    indicator.measure = Indicator.Measure.YES_NO
    indicator.target_value = Decimal(2)
    assert field_errors(indicator)["target_value"] == ["A yes-or-no indicator takes 0 (no) or 1 (yes)."]
    indicator.measure = Indicator.Measure.QUALITATIVE
    assert "no numbers" in field_errors(indicator)["baseline_value"][0]


def test_target_date_must_follow_the_baseline_date(today):
    indicator = make_indicator()
    indicator.baseline_date, indicator.target_date = today, today - DAY
    assert "must come after the baseline date" in field_errors(indicator)["target_date"][0]


def test_value_periods_must_not_overlap_or_run_backwards(today):
    indicator = make_indicator()
    add_value(indicator, today - 100 * DAY, today - 50 * DAY, 10)
    clash = IndicatorValue(indicator=indicator, period_start=today - 60 * DAY, period_end=today, value=20)
    assert "overlaps the value already given" in field_errors(clash)["period_start"][0]
    backwards = IndicatorValue(indicator=indicator, period_start=today, period_end=today - DAY, value=20)
    assert "cannot end before it starts" in field_errors(backwards)["period_end"][0]
    later = IndicatorValue(indicator=indicator, period_start=today - 49 * DAY, period_end=today, value=20)
    later.full_clean()


def test_value_must_fit_its_indicator_and_evidence_its_project(today):
    indicator = make_indicator(measure=Indicator.Measure.PERCENTAGE, target_value=100)
    other_document = f.DocumentFactory()
    value = IndicatorValue(
        indicator=indicator, period_start=today, period_end=today, value=Decimal(150), evidence=other_document
    )
    errors = field_errors(value)
    assert errors["value"] == ["A percentage is between 0 and 100."]
    assert errors["evidence"] == ["The evidence must be a document of the same project."]
    qualitative = make_indicator(measure=Indicator.Measure.QUALITATIVE, baseline_value=None, target_value=None)
    words = IndicatorValue(indicator=qualitative, period_start=today, period_end=today)
    assert field_errors(words)["narrative"] == ["Describe what was achieved in this period."]


# --- the on-track rule and its counts ------------------------------------------------------------


def test_on_track_compares_progress_with_time_elapsed(today):
    start, end = today - 50 * DAY, today + 50 * DAY  # half the time has passed
    ahead = make_indicator(baseline_date=start, target_date=end)
    add_value(ahead, start, today - DAY, 60)
    behind = make_indicator(baseline_date=start, target_date=end)
    add_value(behind, start, today - DAY, 40)
    add_value(behind, today, today, 90, publication=Publication.SUBMITTED)  # not reviewed yet: ignored
    empty = make_indicator(baseline_date=start, target_date=end)
    rows = {row.pk: row for row in Indicator.objects.with_status(today)}
    assert rows[ahead.pk].track == "on_track" and rows[ahead.pk].progress == pytest.approx(60)
    assert rows[behind.pk].track == "off_track" and rows[behind.pk].actual == 40
    assert rows[empty.pk].track == "no_data"
    assert rows[ahead.pk].elapsed == pytest.approx(50)
    # As of an earlier day, only what had been reported by then counts.
    assert Indicator.objects.with_status(start).get(pk=ahead.pk).track == "no_data"


def test_on_track_counts_match_the_database(today):
    energy, water = f.SectorFactory(slug="energy"), f.SectorFactory(slug="water")
    group = f.WorkingGroupFactory()
    project = f.ProjectFactory(working_group=group, sectors=[energy, water])
    start, end = today - 10 * DAY, today + 10 * DAY
    on = make_indicator(project, baseline_date=start, target_date=end)
    add_value(on, start, today, 100)
    off = make_indicator(project, baseline_date=start, target_date=end)
    add_value(off, start, today, 10)
    make_indicator(project)
    draft_project = f.ProjectFactory(working_group=group, publication=Publication.DRAFT)
    make_indicator(draft_project)
    counts = indicators_on_track(Project.objects.published(), today)
    assert counts["totals"] == {"on_track": 1, "off_track": 1, "no_data": 1, "count": 3}
    (row,) = counts["by_working_group"]
    assert (row["key"], row["on_track"], row["off_track"], row["no_data"]) == (group.slug, 1, 1, 1)
    assert {row["key"]: row["count"] for row in counts["by_sector"]} == {"energy": 3, "water": 3}


# --- workflow and permissions ----------------------------------------------------------------


def test_editor_submits_secretariat_publishes_and_drafts_stay_private(make_editor, secretariat, today):
    indicator = make_indicator()
    editor = make_editor(indicator.result.project.working_group)
    value = add_value(indicator, today - DAY, today, 30, publication=Publication.DRAFT)
    page = url("projects:project-detail", slug=indicator.result.project.slug)
    client = client_for()
    assert ">30 km<" not in client.get(page).content.decode()
    assert client.get("/api/v1/indicator-values/").json()["count"] == 0
    transition(value, "submit", user=editor)
    with pytest.raises(PermissionDenied):
        transition(value, "publish", user=editor)
    transition(value, "publish", user=secretariat)
    value.refresh_from_db()
    assert value.publication == Publication.PUBLISHED
    assert value.history.first().history_user == secretariat
    assert ">30 km<" in client.get(page).content.decode()
    assert client.get("/api/v1/indicator-values/").json()["count"] == 1


def test_an_editor_of_another_group_is_refused(make_editor, today):
    indicator = make_indicator()
    outsider = make_editor(f.WorkingGroupFactory())
    value = add_value(indicator, today - DAY, today, 30, publication=Publication.DRAFT)
    with pytest.raises(PermissionDenied):
        transition(value, "submit", user=outsider)
    api = client_for(outsider)
    body = {"indicator": indicator.pk, "period_start": "2020-01-01", "period_end": "2020-06-30", "value": "5"}
    assert_error(api.post("/api/v1/indicator-values/", body, format="json"), 400, "indicator")
    assert api.patch(f"/api/v1/indicators/{indicator.pk}/", {"title": "Mine"}, format="json").status_code in (403, 404)
    indicator.refresh_from_db()
    assert indicator.title == "Road length"


def test_an_editor_defines_indicators_and_enters_values_through_the_api(make_editor):
    indicator = make_indicator()
    editor = make_editor(indicator.result.project.working_group)
    api = client_for(editor)
    response = api.post(
        "/api/v1/indicators/",
        {"result": indicator.result.pk, "title": "Share paved", "measure": "percentage", "target_value": "150"},
        format="json",
    )
    assert_error(response, 400, "target_value")
    body = {"indicator": indicator.pk, "period_start": "2025-01-01", "period_end": "2025-06-30", "value": "12"}
    created = api.post("/api/v1/indicator-values/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["publication"] == "draft"
    value = IndicatorValue.objects.get(pk=created.json()["id"])
    assert value.author == editor
    assert api.post(f"/api/v1/indicator-values/{value.pk}/submit/").json()["publication"] == "submitted"
    assert api.post(f"/api/v1/indicator-values/{value.pk}/publish/").status_code == 403


# --- public page, API reads, admin ----------------------------------------------------------


def test_project_page_shows_each_indicator_with_progress_and_values(client, today):
    project = f.ProjectFactory()
    document = f.DocumentFactory(project=project, title="Survey report")
    indicator = make_indicator(project, baseline_date=today - 100 * DAY, target_date=today + 100 * DAY)
    add_value(indicator, today - 100 * DAY, today - 50 * DAY, 20)
    add_value(indicator, today - 49 * DAY, today - DAY, 45, comment="Second section opened", evidence=document)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Road built" in html and "Road length" in html
    assert "45 km" in html and "100 km" in html  # latest actual and target
    assert "45 % of the way from the baseline to the target" in html  # the bar's description
    assert "On track" not in html and "Off track" in html  # 45 % done, 50 % of the time gone
    assert "Second section opened" in html and "Survey report" in html


@pytest.mark.parametrize("count", [2, 20])
def test_project_page_queries_do_not_grow_with_results(client, django_assert_num_queries, count, today):
    project = f.ProjectFactory()
    for n in range(count):
        indicator = make_indicator(project, title=f"Indicator {n}")
        add_value(indicator, today - 10 * DAY, today - DAY, n)
    client.get(project.get_absolute_url())  # warm the per-process caches (sites, content types)
    # The page as before, then three for the results: results, indicators with their status, values.
    with django_assert_num_queries(15):
        response = client.get(project.get_absolute_url())
    assert response.content.decode().count('class="indicator"') == count


@pytest.mark.parametrize("count", [3, 30])
def test_api_lists_do_not_grow_with_the_records(api, django_assert_num_queries, count, today):
    project = f.ProjectFactory()
    for n in range(count):
        add_value(make_indicator(project), today - DAY, today, n)
    with django_assert_num_queries(2):
        assert api.get("/api/v1/indicators/", {"page_size": 100}).json()["count"] == count
    with django_assert_num_queries(2):
        assert api.get("/api/v1/indicator-values/", {"page_size": 100}).json()["count"] == count
    with django_assert_num_queries(2):
        assert api.get("/api/v1/results/", {"page_size": 100}).json()["count"] == count


def test_api_shows_progress_and_hides_draft_projects(api, today):
    indicator = make_indicator(baseline_date=today - 10 * DAY, target_date=today + 10 * DAY)
    add_value(indicator, today - 10 * DAY, today, 80)
    make_indicator(f.ProjectFactory(publication=Publication.DRAFT))
    (row,) = api.get("/api/v1/indicators/").json()["results"]
    assert (row["actual"], row["track"], row["progress"]) == ("80.0000", "on_track", 80.0)
    summary = api.get("/api/v1/indicators-on-track/", {"as_of": today.isoformat()}).json()
    assert summary["totals"] == {"on_track": 1, "off_track": 0, "no_data": 0, "count": 1}
    assert_error(api.get("/api/v1/indicators-on-track/", {"as_of": "not-a-date"}), 400, "as_of")


def test_report_shows_indicators_on_track(client, today):
    indicator = make_indicator(baseline_date=today - 10 * DAY, target_date=today + 10 * DAY)
    add_value(indicator, today - 10 * DAY, today, 5)
    html = client.get(url("projects:report")).content.decode()
    assert 'id="indicators-by-group"' in html
    assert indicator.result.project.working_group.name in html


def test_secretariat_publishes_values_from_the_admin(client, secretariat, today):
    value = add_value(make_indicator(), today - DAY, today, 3, publication=Publication.SUBMITTED)
    client.force_login(secretariat)
    for model in (Result, Indicator, IndicatorValue):
        assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(value, "change", value.pk)).status_code == 200
    response = client.post(
        admin_url(IndicatorValue, "changelist"), {"action": "publish_selected", "_selected_action": [value.pk]}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.publication == Publication.PUBLISHED


# --- jobs become indicators; demo data ------------------------------------------------------


def test_jobs_migrate_to_indicators_with_nothing_lost(today):
    migration = importlib.import_module("projects.migrations.0010_jobs_to_indicators")
    both = f.ProjectFactory(jobs_planned=300, jobs_created=120, planned_start=today - 400 * DAY, planned_end=today)
    planned_only = f.ProjectFactory(jobs_planned=50)
    f.ProjectFactory()  # no jobs: no result
    migration.jobs_to_indicators(apps, None)
    migration.jobs_to_indicators(apps, None)  # a second run adds nothing
    assert Result.objects.count() == 2
    jobs = Indicator.objects.get(result__project=both)
    assert (jobs.title, jobs.unit, jobs.target_value, jobs.target_date) == ("Jobs created", "jobs", 300, today)
    assert jobs.result.kind == Result.Kind.OUTCOME
    (value,) = jobs.values.all()
    assert value.value == 120 and value.publication == Publication.PUBLISHED
    assert Indicator.objects.get(result__project=planned_only).values.count() == 0
    migration.remove_jobs_indicators(apps, None)
    assert Result.objects.count() == 0


def test_demo_portfolio_has_results_with_values_over_several_periods():
    from projects.seeding.demo import load_demo
    from projects.seeding.facts import load_facts

    load_facts()
    load_demo(count=24)
    demo = Project.objects.filter(demo=True)
    assert Result.objects.filter(project__in=demo).count() == 2 * demo.count()
    started = Indicator.objects.filter(result__project__in=demo, values__isnull=False).distinct()
    assert started.exists()
    assert max(indicator.values.count() for indicator in started) > 1
    assert IndicatorValue.objects.filter(publication=Publication.PUBLISHED).exists()
    with pytest.raises(ValidationError):
        IndicatorValue(
            indicator=started.first(), period_start=datetime.date(2000, 1, 1), period_end=datetime.date(1999, 1, 1)
        ).full_clean()


def test_api_filters_refuse_a_fractional_id_and_the_on_track_counts_take_every_directory_filter(api):
    """Found by the fuzzer: `?indicator=0.5` matched nothing instead of a 400; the directory's
    `behind_schedule` filter on the on-track counts was a 500."""
    assert_error(api.get("/api/v1/indicator-values/", {"indicator": "0.5"}), 400, "indicator")
    assert_error(api.get("/api/v1/indicators/", {"result": "0.5"}), 400, "result")
    response = api.get("/api/v1/indicators-on-track/", {"behind_schedule": "true", "as_of": "2000-01-01"})
    assert response.status_code == 200 and response.json()["totals"]["count"] == 0
