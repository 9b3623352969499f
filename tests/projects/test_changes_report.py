"""The changes report: exactly what changed between two dates, read from the change history."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from partnership.models import Directive, Meeting
from projects.changes import day_start
from projects.models import Project, Publication, Task
from projects.models.base import Confidence
from tests import factories as f
from tests.helpers import assert_error, csv_rows, url

pytestmark = pytest.mark.django_db


def stamp(record, day):
    """Date the record's newest history row at noon of `day`, as if the change was saved then."""
    history = type(record).history
    newest = history.filter(id=record.pk).order_by("-history_id").first()
    history.filter(history_id=newest.history_id).update(history_date=day_start(day) + datetime.timedelta(hours=12))


def change(record, day, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    stamp(record, day)


def project(day, group, **values):
    record = f.ProjectFactory(working_group=group, **values)
    stamp(record, day)
    return record


def task(day, parent, **values):
    record = f.TaskFactory(project=parent, **values)
    stamp(record, day)
    return record


@pytest.fixture
def story(today):
    """History over several dates around the window today-20 … today-10."""
    d = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    group = f.WorkingGroupFactory()
    other_group = f.WorkingGroupFactory(commission=group.commission)
    s = {"d": d, "group": group, "other_group": other_group}
    # A: published before; closed in the window; confidence changed after it.
    s["a"] = a = project(d(30), group, title="Alpha line", confidence=Confidence.NOT_ASSESSED)
    change(a, d(15), status=Project.Status.CLOSED)
    change(a, d(5), confidence=Confidence.RED)
    # B: a draft, published in the window: added.
    s["b"] = b = project(d(30), other_group, title="Bravo depot", publication=Publication.DRAFT)
    change(b, d(15), publication=Publication.PUBLISHED)
    # C: created after the window.
    s["c"] = project(d(5), group, title="Charlie after")
    # D: a draft throughout, whose status and amount change in the window.
    s["dr"] = dr = project(d(30), group, title="Delta secret", publication=Publication.DRAFT)
    change(dr, d(15), status=Project.Status.CANCELLED, investment_amount=Decimal("9"))
    # E: investment up in the window (1M → 3M), and again after it.
    s["e"] = e = project(d(30), group, title="Echo plant")
    change(e, d(12), investment_amount=Decimal("3000000"))
    change(e, d(3), investment_amount=Decimal("8000000"))
    # F: unpublished before the window, status changed as a draft, republished in it.
    s["fx"] = fx = project(d(40), group, title="Foxtrot back")
    change(fx, d(25), publication=Publication.DRAFT)
    change(fx, d(22), status=Project.Status.SUSPENDED)
    change(fx, d(15), publication=Publication.PUBLISHED)
    # G: status moved before the window only.
    s["g"] = g = project(d(40), group, title="Golf early")
    change(g, d(25), status=Project.Status.FINALISATION)
    # Tasks of A (and one of the draft D).
    s["t_done"] = t = task(d(30), a, title="Task done in window", due_date=d(40))
    change(t, d(14), status=Task.Status.DONE, completed_date=d(14))
    s["t_early"] = t = task(d(30), a, title="Task done before", due_date=d(40))
    change(t, d(25), status=Task.Status.DONE, completed_date=d(25))
    s["t_late"] = task(d(30), a, title="Task newly late", due_date=d(18))
    s["t_old_late"] = task(d(30), a, title="Task late long ago", due_date=d(25))
    s["t_later"] = task(d(30), a, title="Task due after", due_date=d(8))
    s["t_draft"] = t = task(d(30), dr, title="Task of a draft", due_date=d(40))
    change(t, d(14), status=Task.Status.DONE, completed_date=d(14))
    # Directives: given at a session in the window, closed in it, closed after it.
    old = f.MeetingFactory(commission=group.commission, date=d(60), kind=Meeting.Kind.HEADS_OF_STATE)
    session = f.MeetingFactory(commission=group.commission, date=d(20))
    s["x_new"] = f.DirectiveFactory(meeting=session, text="Directive given in window")
    s["x_closed"] = x = f.DirectiveFactory(meeting=old, text="Directive closed in window")
    stamp(x, d(60))
    change(x, d(13), status=Directive.Status.DONE)
    s["x_later"] = x = f.DirectiveFactory(meeting=old, text="Directive closed later")
    stamp(x, d(60))
    change(x, d(4), status=Directive.Status.DROPPED)
    s["window"] = f"from={d(20).isoformat()}&to={d(10).isoformat()}"
    return s


def counts_on(page):
    return {key: int(n) for key, n in re.findall(r'data-count="(\w+)">([\d,]+)<', page)}


def section(page, key):
    """The HTML of one section of the page."""
    match = re.search(rf'<h2 id="{key}">.*?</section>', page, re.S)
    return match.group(0)


def test_lists_exactly_the_changes_in_the_window(client, story):
    response = client.get(url("projects:report-changes") + "?" + story["window"])
    assert response.status_code == 200
    page = response.content.decode()
    assert counts_on(page) == {
        "added": 1,
        "republished": 1,
        "closed": 1,
        "status_moves": 1,
        "confidence_moves": 0,
        "investment": 3,  # E's increase, and B and F entering the public portfolio
        "tasks_completed": 1,
        "tasks_overdue": 1,
        "directives_opened": 1,
        "directives_closed": 1,
    }
    assert "Bravo depot" in section(page, "added")
    assert "Foxtrot back" in section(page, "republished")
    closed = section(page, "closed")
    assert "Alpha line" in closed and "Implementation" in closed and "Closed" in closed
    assert story["a"].get_absolute_url() in closed
    investment = section(page, "investment")
    assert "Echo plant" in investment and "2,000,000" in investment and "Bravo depot" in investment
    assert "8,000,000" not in investment
    assert re.search(r'id="usd-added">4,000,000<', page)
    assert "Task done in window" in section(page, "tasks_completed")
    assert "Task newly late" in section(page, "tasks_overdue")
    assert "Directive given in window" in section(page, "directives_opened")
    closed_directives = section(page, "directives_closed")
    assert "Directive closed in window" in closed_directives and "Open → Done" in closed_directives
    for absent in (
        "Charlie after",
        "Golf early",
        "Task done before",
        "Task late long ago",
        "Task due after",
        "Directive closed later",
    ):
        assert absent not in page, absent


def test_drafts_never_leak(client, story):
    page = client.get(url("projects:report-changes") + "?" + story["window"]).content.decode()
    assert "Delta secret" not in page
    assert "Task of a draft" not in page
    # F's status moved while it was a draft: it is listed as back, not as a status move.
    assert "Foxtrot back" not in section(page, "status_moves")
    assert "Suspended" not in section(page, "status_moves")


def test_after_the_window_changes_show_in_a_later_window(client, story):
    d = story["d"]
    page = client.get(url("projects:report-changes") + f"?from={d(9)}&to={d(0)}").content.decode()
    counts = counts_on(page)
    assert counts["added"] == 1 and "Charlie after" in section(page, "added")
    assert counts["confidence_moves"] == 1 and "Alpha line" in section(page, "confidence_moves")
    assert "8,000,000" in section(page, "investment")
    assert "Directive closed later" in section(page, "directives_closed")
    assert "Bravo depot" not in page


def test_per_working_group_and_sector(client, story):
    d = story["d"]
    page = client.get(
        url("projects:report-workinggroup-changes", slug=story["other_group"].slug) + "?" + story["window"]
    ).content.decode()
    assert counts_on(page)["added"] == 1 and "Bravo depot" in page
    assert "Alpha line" not in page
    sector = f.SectorFactory()
    story["e"].sectors.set([sector])
    page = client.get(url("projects:report-sector-changes", slug=sector.slug) + "?" + story["window"]).content.decode()
    counts = counts_on(page)
    assert counts["investment"] == 1 and "Echo plant" in page and "Bravo depot" not in page
    assert f"from={d(20)}" in page  # the links elsewhere keep the window


def test_default_window_starts_at_the_last_session(client, story, today):
    page = client.get(url("projects:report-changes")).content.decode()
    start = story["d"](20)
    assert f'value="{start.isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    assert "Charlie after" in page and "Bravo depot" in page


def test_demo_filter(client, story):
    Project.objects.filter(pk=story["b"].pk).update(demo=True)
    Project.history.filter(id=story["b"].pk).update(demo=True)
    real = counts_on(client.get(url("projects:report-changes") + "?demo=real&" + story["window"]).content.decode())
    demo = counts_on(client.get(url("projects:report-changes") + "?demo=demo&" + story["window"]).content.decode())
    assert real["added"] == 0 and demo["added"] == 1
    assert real["status_moves"] == 1 and demo["status_moves"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=yesterday", "YYYY-MM-DD"),
        ("from=2024-02-30", "YYYY-MM-DD"),
        ("from=2024-05-01&to=2024-04-01", "on or before the end date"),
        ("from=1985-01-01", "1991"),
        ("to=2999-01-01", "look back"),
        ("demo=maybe", "demo"),
    ],
)
def test_bad_dates_get_a_clear_message(client, api, story, query, message):
    response = client.get(url("projects:report-changes") + "?" + query)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower() or message == "demo"
    assert 'role="alert"' in response.content.decode()
    name = "demo" if "demo" in query else ("to" if query.startswith("to") else "from")
    assert_error(api.get("/api/v1/changes/?" + query), 400, name)


def test_api_errors_name_the_parameter(api, story):
    assert_error(api.get("/api/v1/changes/?working_group=nope"), 400, "working_group")
    assert_error(api.get("/api/v1/changes/?sector=nope"), 400, "sector")
    assert_error(api.get("/api/v1/changes/?since=2024-01-01"), 400, "since")


def test_api_equals_page(client, api, story):
    page = client.get(url("projects:report-changes") + "?" + story["window"]).content.decode()
    body = api.get("/api/v1/changes/?" + story["window"]).json()
    assert body["counts"] == counts_on(page)
    assert body["from"] == story["d"](20).isoformat() and body["to"] == story["d"](10).isoformat()
    assert Decimal(body["usd_added"]) == Decimal("4000000")
    lines = {(line["section"], line["title"]) for line in body["changes"]}
    assert ("closed", "Alpha line") in lines and ("directives_closed", "Directive closed in window") in lines
    closed = next(line for line in body["changes"] if line["section"] == "closed")
    assert (closed["before"], closed["after"]) == ("implementation", "closed")
    assert closed["url"].endswith(story["a"].get_absolute_url())
    header, rows = csv_rows(api.get("/api/v1/changes/?format=csv&" + story["window"]))
    assert header[:3] == ["section", "project_code", "title"]
    assert len(rows) == len(body["changes"])
    group = api.get(f"/api/v1/changes/?working_group={story['other_group'].slug}&" + story["window"]).json()
    assert group["counts"]["added"] == 1 and len(group["changes"]) == 2  # added, and its investment


def test_schema_documents_the_endpoint(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "working_group", "sector", "demo"}


def test_report_page_links_to_the_changes_report(client, story):
    page = client.get(url("projects:report")).content.decode()
    assert url("projects:report-changes") in page


@pytest.mark.parametrize("size", [2, 20])
def test_query_count_does_not_grow(client, api, story, django_assert_num_queries, size):
    d = story["d"]
    for i in range(size):
        record = project(d(30), story["group"], title=f"Bulk {i}", code=f"B-{i:04d}", slug=f"bulk-{i}")
        change(record, d(15), status=Project.Status.FINALISATION, confidence=Confidence.GREEN)
        task(d(30), record, title=f"Bulk task {i}", due_date=d(18))
    with django_assert_num_queries(7):
        response = client.get(url("projects:report-changes") + "?" + story["window"])
    assert counts_on(response.content.decode())["status_moves"] == 1 + size
    with django_assert_num_queries(5):
        assert api.get("/api/v1/changes/?" + story["window"]).status_code == 200


def test_page_in_russian(client, story):
    page = client.get(url("projects:report-changes", lang="ru") + "?" + story["window"]).content.decode()
    assert "Отчёт об изменениях" in page and "Закрытые или отменённые проекты" in page
    response = client.get(url("projects:report-changes", lang="ru") + "?from=2024-05-01&to=2024-04-01")
    assert (
        response.status_code == 400 and "Дата начала должна быть не позже даты окончания." in response.content.decode()
    )


def test_the_changes_report_downloads_as_xlsx_and_pdf_with_the_page_figures(client, story):
    """The same sections and counts as the page, in a workbook and a PDF; a bad format is refused."""
    base = url("projects:report-changes") + "?" + story["window"]
    page = client.get(base)
    assert page.status_code == 200 and "format=xlsx" in page.content.decode()
    sections = page.context["sections"]
    response = client.get(base + "&format=xlsx")
    assert response.status_code == 200
    assert 'filename="changes-commission-' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert [summary[str(section["title"])] for section in sections] == [section["count"] for section in sections]
    assert sum(section["count"] for section in sections) > 0
    added = book[str(sections[0]["title"])[:31]]
    assert [row[0] for row in added.iter_rows(min_row=2, values_only=True)] == [r["code"] for r in sections[0]["rows"]]
    assert book.sheetnames[-1] == "Sources and notes"
    pdf = client.get(base + "&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    for section in sections:
        assert str(section["title"]) in text
    bad = client.get(url("projects:report-changes") + "?format=doc")
    assert bad.status_code == 400 and "Choose xlsx or pdf." in bad.content.decode()
