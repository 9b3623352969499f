"""The progress report's long lists as pages of their own, and the report's links to them."""

import csv
import io

import pytest

from projects.models import Project, Publication
from tests import factories as f
from tests.helpers import DAY, body_of, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(today):
    """Two working groups: `power` with overdue tasks, a late project and a stale one; `roads` with one each."""
    power = f.WorkingGroupFactory(slug="power", name="Power")
    roads = f.WorkingGroupFactory(slug="roads", name="Roads")
    energy = f.SectorFactory(slug="energy", name="Energy")
    start, end = today - 300 * DAY, today + 65 * DAY
    behind = f.ProjectFactory(code="P-1", working_group=power, sectors=[energy], planned_start=start, planned_end=end)
    f.TaskFactory(project=behind, title="Late in power", due_date=today - 10 * DAY)
    f.TaskFactory(project=behind, title="Earlier in power", due_date=today - 40 * DAY)
    fresh = f.ProjectFactory(code="P-2", working_group=power)
    f.ProgressUpdateFactory(project=fresh, reported_on=today - DAY)
    road = f.ProjectFactory(code="R-1", working_group=roads, demo=True, planned_start=start, planned_end=end)
    f.TaskFactory(project=road, title="Late in roads", due_date=today - 5 * DAY)
    draft = f.ProjectFactory(code="D-1", working_group=power, publication=Publication.DRAFT)
    f.TaskFactory(project=draft, title="Draft task", due_date=today - 5 * DAY)
    return {"power": power, "roads": roads, "energy": energy}


def list_url(kind, **query):
    address = url("projects:report-list", kind=kind)
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_rows(response):
    """The streamed CSV download parsed back: (header, list of dicts)."""
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(body_of(response)))
    return reader.fieldnames, list(reader)


def rows_of(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    return list(response.context["page"].object_list)


def test_each_list_has_its_page_with_only_published_rows(client, late):
    tasks = rows_of(client.get(list_url("overdue-tasks")))
    assert [task.title for task in tasks] == ["Earlier in power", "Late in power", "Late in roads"]
    assert [p.code for p in rows_of(client.get(list_url("behind-schedule")))] == ["P-1", "R-1"]
    stale = rows_of(client.get(list_url("stale-projects")))
    assert [p.code for p in stale] == ["P-1", "R-1"]  # P-2 has an update from yesterday
    body = client.get(list_url("overdue-tasks")).content.decode()
    assert "Draft task" not in body and "D-1" not in body
    assert "Demo data" in body  # R-1 is demo data, marked


def test_the_report_links_to_each_list_with_its_count(client, late):
    report = client.get(url("projects:report"))
    links = {link["kind"]: link for link in report.context["lists"]}
    assert {kind: link["count"] for kind, link in links.items()} == {
        "overdue-tasks": 3,
        "behind-schedule": 2,
        "stale-projects": 2,
    }
    body = report.content.decode()
    for kind, link in links.items():
        assert f'href="{link["url"]}" id="link-{kind}" data-count="{link["count"]}"' in body
        assert client.get(link["url"]).context["count"] == link["count"]
    # A working group's report links to its own lists, with its own counts.
    group = client.get(url("projects:report-workinggroup", slug="roads")).context["lists"]
    assert [(link["url"], link["count"]) for link in group] == [
        ("/en/reports/working-groups/roads/overdue-tasks/", 1),
        ("/en/reports/working-groups/roads/behind-schedule/", 1),
        ("/en/reports/working-groups/roads/stale-projects/", 1),
    ]
    # The report's demo choice and past date go along.
    real = client.get(url("projects:report") + "?demo=real").context["lists"]
    assert real[0]["url"].endswith("?demo=real") and real[0]["count"] == 2
    assert client.get(real[0]["url"]).context["count"] == 2


def test_lists_take_the_directorys_filters_and_a_date(client, late, today):
    assert len(rows_of(client.get(list_url("overdue-tasks", working_group="roads")))) == 1
    assert len(rows_of(client.get(list_url("overdue-tasks", demo="real")))) == 2
    assert len(rows_of(client.get(list_url("overdue-tasks", sector="energy", q="P-1")))) == 2
    # Twenty days ago only the task due forty days ago was late.
    before = (today - 20 * DAY).isoformat()
    assert [t.title for t in rows_of(client.get(list_url("overdue-tasks", as_of=before)))] == ["Earlier in power"]
    sector = client.get(url("projects:report-sector-list", slug="energy", kind="behind-schedule"))
    assert [p.code for p in rows_of(sector)] == ["P-1"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_of": "2999-01-01"}, "A report can only look back"),
        ({"as_of": "soon"}, "Enter a valid date"),
        ({"status": "lost"}, "Select a valid choice"),
        ({"format": "xml"}, "Choose csv."),
    ],
)
def test_bad_input_gets_a_page_that_says_what_was_wrong(client, late, query, message):
    response = client.get(list_url("stale-projects", **query))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_group_or_page_past_the_end(client, late):
    assert client.get(url("projects:report-workinggroup-list", slug="nope", kind="overdue-tasks")).status_code == 404
    response = client.get(list_url("overdue-tasks", page=9))
    assert response.status_code == 404 and "has 1 page(s)" in response.content.decode()


def test_lists_paginate_and_keep_their_filters(client, today):
    group = f.WorkingGroupFactory(slug="many")
    project = f.ProjectFactory(code="M-1", working_group=group)
    for n in range(55):
        f.TaskFactory(project=project, title=f"Task {n:02d}", due_date=today - (n + 1) * DAY)
    first = client.get(list_url("overdue-tasks", working_group="many"))
    assert len(rows_of(first)) == 50 and first.context["count"] == 55
    assert 'href="?working_group=many&amp;page=2"' in first.content.decode()
    second = client.get(list_url("overdue-tasks", working_group="many", page=2))
    assert [task.title for task in rows_of(second)] == [f"Task {n:02d}" for n in range(4, -1, -1)]


def test_each_list_downloads_as_csv_with_its_filters(client, late, today):
    header, rows = csv_rows(client.get(list_url("overdue-tasks", format="csv", working_group="power")))
    assert header[:4] == ["project_code", "project_title", "project_url", "task"]
    assert [(row["task"], row["days_overdue"]) for row in rows] == [("Earlier in power", "40"), ("Late in power", "10")]
    assert rows[0]["project_url"] == "http://testserver/en/projects/" + Project.objects.get(code="P-1").slug + "/"
    header, rows = csv_rows(client.get(list_url("behind-schedule", format="csv", demo="demo")))
    assert [(row["code"], row["demo"]) for row in rows] == [("R-1", "True")]
    assert float(rows[0]["elapsed"]) > 80
    header, rows = csv_rows(client.get(list_url("stale-projects", format="csv")))
    assert [row["code"] for row in rows] == ["P-1", "R-1"] and rows[0]["last_update"] == ""


@pytest.mark.parametrize("kind", ["overdue-tasks", "behind-schedule", "stale-projects"])
@pytest.mark.parametrize("size", [2, 8])
def test_a_list_page_runs_the_same_queries_whatever_its_size(client, today, kind, size, django_assert_num_queries):
    group = f.WorkingGroupFactory(slug="g")
    for _n in range(size):
        project = f.ProjectFactory(
            working_group=group, planned_start=today - 300 * DAY, planned_end=today + 10 * DAY, sectors=[]
        )
        f.TaskFactory(project=project, due_date=today - DAY, responsible_organisation=f.OrganisationFactory())
        f.ProgressUpdateFactory(project=project, reported_on=today - 400 * DAY)
    client.get(list_url(kind))  # warm the session and the site's caches
    # the commission, count, rows, and the filter form's working groups, sectors and countries
    with django_assert_num_queries(6):
        assert client.get(list_url(kind)).context["count"] == size
