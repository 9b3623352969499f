"""Reports as of a date: the portfolio's whole state on that day, read from the change history."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from projects import asof, snapshots
from projects.changes import day_start
from projects.models import Project, Publication, Task
from tests import factories as f
from tests.helpers import url

pytestmark = pytest.mark.django_db


def stamp(record, day):
    """Date the record's history rows saved just now at noon of `day`, as if saved then."""
    history = type(record).history
    fresh = history.filter(id=record.pk, history_date__gt=timezone.now() - datetime.timedelta(minutes=10))
    fresh.update(history_date=day_start(day) + datetime.timedelta(hours=12))
    # The dated snapshots are kept from the history at each write; rewritten history, rewritten snapshots.
    project_id = getattr(record, "project_id", record.pk if isinstance(record, Project) else None)
    snapshots.sync([project_id])


def change(record, day, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    stamp(record, day)


@pytest.fixture
def story(today):
    d = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    g1 = f.WorkingGroupFactory(name="Group one")
    g2 = f.WorkingGroupFactory(name="Group two", commission=g1.commission)
    s1, s2 = f.SectorFactory(name="Sector one"), f.SectorFactory(name="Sector two")
    # KZT: a rate recorded long ago, and a lower one (valid from d(60)) recorded only at d(30).
    stamp(f.ExchangeRateFactory(currency="KZT", date=d(200), units_per_usd=Decimal("500")), d(100))
    stamp(f.ExchangeRateFactory(currency="KZT", date=d(60), units_per_usd=Decimal("400")), d(30))

    def project(day, group, sectors=(), **values):
        record = f.ProjectFactory(working_group=group, sectors=list(sectors), **values)
        stamp(record, day)
        return record

    def task(day, parent, **values):
        record = f.TaskFactory(project=parent, **values)
        stamp(record, day)
        return record

    s = {"d": d, "g1": g1, "g2": g2, "s1": s1, "s2": s2}
    s["a"] = a = project(d(60), g1, [s1], title="Alpha line")
    change(a, d(20), status=Project.Status.CLOSED, investment_amount=Decimal("3000000"))
    s["f"] = fx = project(d(60), g1, [s1], title="Foxtrot move")
    fx.sectors.set([s2])
    change(fx, d(25), working_group=g2)
    s["k"] = project(d(60), g1, title="Kilo tenge", investment_currency="KZT")
    s["e"] = e = project(d(60), g2, title="Echo withdrawn")
    change(e, d(15), publication=Publication.DRAFT)
    s["dr"] = project(d(60), g1, [s1], title="Delta secret", publication=Publication.DRAFT)
    s["b"] = project(d(10), g1, [s1], title="Bravo new", investment_amount=Decimal("2000000"))
    # Alpha's tasks: one done at d(35), one cancelled at d(22), one whose due date moved at d(40).
    s["t1"] = t1 = task(d(60), a, title="Survey", due_date=d(40))
    change(t1, d(35), status=Task.Status.DONE, completed_date=d(35))
    s["t2"] = t2 = task(d(60), a, title="Permit", due_date=d(30))
    change(t2, d(22), status=Task.Status.CANCELLED)
    s["t3"] = t3 = task(d(60), a, title="Design", due_date=d(45))
    change(t3, d(40), due_date=d(5))
    return s


def report(client, day, name="projects:report", **kwargs):
    response = client.get(url(name, **kwargs) + f"?as_of={day.isoformat()}")
    assert response.status_code == 200
    return response


def codes(context):
    return {row["key"]: row["count"] for row in context["by_status"]}


def test_each_date_shows_that_dates_projects_statuses_and_amounts(client, story, today):
    d = story["d"]
    early = report(client, d(50))
    totals = early.context["totals"]
    # Alpha, Foxtrot, Kilo (1,000,000 KZT at the 500 recorded then) and Echo; never the draft.
    assert totals["count"] == 4
    assert totals["usd"] == Decimal("3002000")
    assert codes(early.context) == {"implementation": 4}
    page = early.content.decode()
    assert "statuses and amounts are as recorded today" not in page
    assert "the status, confidence, amounts, working group, sectors and tasks they had then" in page

    later = report(client, d(20))
    totals = later.context["totals"]
    # Alpha closed with 3 million; Kilo at the rate of 400 recorded by then; Bravo not created yet;
    # Echo still published (withdrawn at d(15)).
    assert totals["count"] == 4
    assert totals["usd"] == Decimal("5002500")
    assert codes(later.context) == {"implementation": 3, "closed": 1}
    assert "Bravo new" not in later.content.decode()

    now = client.get(url("projects:report")).context["totals"]
    assert now["count"] == 4 and now["usd"] == Decimal("6002500")  # Bravo in, Echo out


def test_before_the_history_begins_nothing_is_counted_and_the_page_says_why(client, story):
    response = report(client, story["d"](70))
    assert response.context["totals"]["count"] == 0
    assert 'id="history-starts"' in response.content.decode()


def test_a_draft_is_never_counted(client, story):
    for n in (50, 20, 10):
        response = report(client, story["d"](n))
        assert "Delta secret" not in response.content.decode()
        assert "Task of" not in response.content.decode()


def test_working_group_and_sector_as_they_were(client, story):
    d, g1, g2, s1, s2 = (story[k] for k in ("d", "g1", "g2", "s1", "s2"))
    assert report(client, d(50), "projects:report-workinggroup", slug=g1.slug).context["totals"]["count"] == 3
    assert report(client, d(20), "projects:report-workinggroup", slug=g1.slug).context["totals"]["count"] == 2
    assert report(client, d(20), "projects:report-workinggroup", slug=g2.slug).context["totals"]["count"] == 2
    # Foxtrot moved from sector one to two when it changed group (its sectors then, not today's).
    assert report(client, d(50), "projects:report-sector", slug=s1.slug).context["totals"]["count"] == 2
    assert report(client, d(50), "projects:report-sector", slug=s2.slug).context["totals"]["count"] == 0
    assert report(client, d(20), "projects:report-sector", slug=s2.slug).context["totals"]["count"] == 1


def test_tasks_as_they_were_give_progress_and_overdue(client, story):
    d = story["d"]
    # d(42): nothing done; Design was then due at d(45), so overdue (its due date moved later).
    context = report(client, d(42), "projects:report-sector", slug=story["s1"].slug).context
    assert context["figures"]["progress"] == 0
    assert [task.title for task in context["overdue_tasks"]] == ["Design"]
    # d(25): Survey done, Permit overdue, Design due at d(5): a third done.
    context = report(client, d(25), "projects:report-sector", slug=story["s1"].slug).context
    assert round(context["figures"]["progress"], 1) == 33.3
    assert [task.title for task in context["overdue_tasks"]] == ["Permit"]
    # d(20): Permit cancelled: half done, nothing overdue.
    context = report(client, d(20), "projects:report-sector", slug=story["s1"].slug).context
    assert context["figures"]["progress"] == 50
    assert context["figures"]["overdue_tasks"] == 0 and list(context["overdue_tasks"]) == []


def test_api_summary_equals_the_page(client, story):
    d = story["d"]
    for n in (50, 20):
        page = report(client, d(n)).context
        data = client.get("/api/v1/summary/" + f"?as_of={d(n).isoformat()}").json()
        assert data["totals"]["count"] == page["totals"]["count"]
        assert Decimal(str(data["totals"]["usd"])) == page["totals"]["usd"]
        assert {row["key"]: row["count"] for row in data["by_status"]} == codes(page)
        assert data["totals"]["progress"] == pytest.approx(page["figures"]["progress"])
    rows = client.get("/api/v1/summary/by-working-group/" + f"?as_of={d(20)}").json()
    assert {row["key"]: row["count"] for row in rows} == {story["g1"].slug: 2, story["g2"].slug: 2}
    # A filter selects among today's published projects, figures as they were then.
    data = client.get("/api/v1/summary/" + f"?as_of={d(20)}&q=Alpha").json()
    assert data["totals"]["count"] == 1 and data["by_status"][0]["key"] == "closed"


def test_a_past_summary_selects_by_group_sector_status_and_confidence_then(client, story):
    """As the reports' scopes do: a past working-group report and its files hold the same projects."""
    d, g1, g2, s2 = (story[k] for k in ("d", "g1", "g2", "s2"))
    day = d(30).isoformat()
    # Foxtrot moved from group one to two, and from sector one to two, at d(25).
    page = report(client, d(30), "projects:report-workinggroup", slug=g1.slug).context
    data = client.get("/api/v1/summary/", {"as_of": day, "working_group": g1.slug}).json()
    assert data["totals"]["count"] == page["totals"]["count"] == 3
    assert Decimal(data["totals"]["usd"]) == page["totals"]["usd"]
    split = client.get("/api/v1/summary/by-country/", {"as_of": day, "working_group": g1.slug}).json()
    assert sum(Decimal(row["usd"]) for row in split) == page["totals"]["usd"]
    assert client.get("/api/v1/summary/", {"as_of": day, "working_group": g2.slug}).json()["totals"]["count"] == 1
    assert client.get("/api/v1/summary/", {"as_of": day, "sector": s2.slug}).json()["totals"]["count"] == 0
    # Alpha was closed at d(20): not closed then, closed now.
    assert client.get("/api/v1/summary/", {"as_of": day, "status": "closed"}).json()["totals"]["count"] == 0
    assert client.get("/api/v1/summary/", {"status": "closed"}).json()["totals"]["count"] == 1
    # Mixed with a filter of today's attributes: Alpha by its title now, in group one then.
    both = {"as_of": day, "working_group": g1.slug, "q": "Alpha"}
    assert client.get("/api/v1/summary/", both).json()["totals"]["count"] == 1
    both["working_group"] = g2.slug
    assert client.get("/api/v1/summary/", both).json()["totals"]["count"] == 0
    # Echo, in group two then, was withdrawn at d(15): counted then, with or without the demo choice,
    # an empty filter or an order, as the report (and its CSV link, which carries them) counts it.
    for extra in ({}, {"demo": "real"}, {"demo": ""}, {"q": ""}, {"ordering": "code"}):
        params = {"as_of": day, "working_group": g2.slug, **extra}
        assert client.get("/api/v1/summary/", params).json()["totals"]["count"] == 1, extra
    assert client.get("/api/v1/summary/", {"as_of": day, "demo": "demo"}).json()["totals"]["count"] == 0
    # A bad value is still a 400 naming the parameter.
    bad = client.get("/api/v1/summary/", {"as_of": day, "working_group": "no-such-group"})
    assert bad.status_code == 400 and "working_group" in bad.json()["errors"]


def test_project_page_as_of(client, story):
    d, a = story["d"], story["a"]
    response = client.get(a.get_absolute_url() + f"?as_of={d(25)}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Implementation" in page and "1,000,000" in page
    assert "33%" in page or "33.3%" in page
    assert [(t.title, t.is_late) for t in response.context["tasks"]] == [
        ("Survey", False),
        ("Permit", True),
        ("Design", False),
    ]
    page = client.get(a.get_absolute_url() + f"?as_of={d(20)}").content.decode()
    assert "Closed" in page and "3,000,000" in page
    # Bravo, public now, was created after that day: the page says so.
    response = client.get(story["b"].get_absolute_url() + f"?as_of={d(20)}")
    assert response.status_code == 200
    assert "This project was not yet published on" in response.content.decode()
    # A draft stays hidden whatever the date; a bad date is explained.
    assert client.get(story["dr"].get_absolute_url() + f"?as_of={d(20)}").status_code == 404
    assert client.get(story["e"].get_absolute_url() + f"?as_of={d(20)}").status_code == 404
    response = client.get(a.get_absolute_url() + "?as_of=2999-01-01")
    assert response.status_code == 400 and "That date cannot be used" in response.content.decode()


@pytest.mark.parametrize("size", [3, 15])
def test_query_counts_do_not_grow(client, django_assert_num_queries, today, size):
    from tests.projects.test_results import make_indicator

    day = today - datetime.timedelta(days=5)
    group = f.WorkingGroupFactory()
    sector = f.SectorFactory()
    for _ in range(size):
        record = f.ProjectFactory(working_group=group, sectors=[sector])
        f.TaskFactory(project=record, due_date=day - datetime.timedelta(days=1))
        make_indicator(record)  # (a day's tracks are kept when it has any)
        stamp(record, today - datetime.timedelta(days=10))
        Task.history.filter(project=record).update(history_date=day_start(today - datetime.timedelta(days=10)))
        snapshots.sync([record.pk])
    # Each page first reads the day's state into the temporary tables, once: per table a drop, a
    # create, its key and any other index (and on PostgreSQL an ANALYZE, after one SET jit = off),
    # except the task figures, only joined into the state (a drop and a create).
    postgres = connection.vendor == "postgresql"
    per_table = 4 if postgres else 3
    state = sum(per_table + len(model._meta.indexes) for model in asof.TEMP_TABLES) + postgres - (per_table - 2)
    # The first reader of the whole portfolio's day notes the generations and whether the day is
    # kept, computes it and keeps it (in a savepoint: the generations locked and compared, the kept
    # days counted, the day, its rows); the next ones copy back the state and sectors it kept, and
    # read the generation again.
    first = 1 + state + 2 + 2 + 1 + len(asof.KEPT)
    kept = 2 + sum(per_table + len(model._meta.indexes) for model in asof.KEPT) + postgres
    # Indicators on track: the kept counts per project are copied into a temporary table of their
    # own (a drop and a create) and it is checked for rows; the first reader then works out each
    # indicator's track and counts them per project (a drop and a create each) and keeps the
    # counts (in a savepoint, the generations locked and compared, then their rows).
    tracks_first, tracks_kept = 2 + 1 + 4 + 4, 2 + 1
    pages = [
        # + directive follow-up (1), indicators on track (2 + their tracks, and the names of the
        # group and sector they count in: 2), money (2)
        (url("projects:report") + f"?as_of={day}", 23 + first + tracks_first),
        (url("projects:report") + f"?as_of={day}", 23 + kept + tracks_kept),
        (url("projects:report-sector", slug=sector.slug) + f"?as_of={day}", 23 + kept + tracks_kept),
        ("/api/v1/summary/" + f"?as_of={day}", 12 + kept),  # + the participant-country split (2)
        # One project's page reads that project's state only, which is not kept.
        (Project.objects.first().get_absolute_url() + f"?as_of={day}", 4 + state),
    ]
    for address, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(address).status_code == 200
    assert client.get(url("projects:report") + f"?as_of={day}").context["totals"]["count"] == size


def test_a_past_summary_takes_the_filters_that_need_todays_figures(client, story):
    """Found by the fuzzer: `behind_schedule` with a past `as_of` was a 500."""
    d = story["d"]
    for path in ("/api/v1/summary/", "/api/v1/summary/by-country/", "/api/v1/summary/by-status/"):
        response = client.get(path, {"as_of": d(20).isoformat(), "behind_schedule": "true"})
        assert response.status_code == 200, (path, response.content[:300])


def test_indicators_on_track_count_the_projects_published_then(client, story):
    """Bravo was published at d(10): as of d(30) its indicator is not counted, Alpha's is."""
    from projects.models import Indicator, IndicatorValue, Result

    d = story["d"]
    for project in (story["a"], story["b"]):
        result = Result.objects.create(project=project, kind=Result.Kind.OUTPUT, title="Output")
        indicator = Indicator.objects.create(
            result=result, title="Length", measure=Indicator.Measure.NUMBER, baseline_value=0, target_value=10
        )
        IndicatorValue.objects.create(
            indicator=indicator, period_start=d(90), period_end=d(80), value=5, publication=Publication.PUBLISHED
        )
    # Alpha reached its target after d(30): then it stood at half its target with no time left.
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(result__project=story["a"]),
        period_start=d(20),
        period_end=d(5),
        value=10,
        publication=Publication.PUBLISHED,
    )
    track = report(client, d(30)).context["indicator_track"]
    assert track["totals"] == {"on_track": 0, "off_track": 1, "no_data": 0, "count": 1}
    track = report(client, story["d"](1)).context["indicator_track"]
    assert track["totals"] == {"on_track": 1, "off_track": 1, "no_data": 0, "count": 2}


def test_a_past_report_sums_the_money_of_that_days_projects_and_says_what_is_read_as_today(client, story):
    """Found in a walk-through: the money by year of a past day's report added up today's projects."""
    from tests.projects.money_factories import BudgetFactory
    from tests.projects.test_results import make_indicator

    d = story["d"]
    make_indicator(story["a"], baseline_date=d(60), target_date=d(1))
    BudgetFactory(project=story["a"], amount=Decimal("700"))
    BudgetFactory(project=story["b"], amount=Decimal("90000"))  # Bravo: created after d(20)
    past = report(client, d(20))
    assert past.context["totals"]["count"] == 4
    page = past.content.decode()
    money = page[page.index('id="money-title"') :]
    money = money[: money.index("</section>")]
    assert '<td class="num">700</td>' in money and "90,000" not in money and "90,700" not in money
    for note in ("participants", "directives", "indicators", "money"):
        assert f'id="as-today-{note}"' in page
    today_page = client.get(url("projects:report")).content.decode()
    today_money = today_page[today_page.index('id="money-title"') :]
    assert '<td class="num">90,700</td>' in today_money[: today_money.index("</section>")]
    assert 'id="as-today-' not in today_page


def test_a_past_report_links_to_the_other_reports_and_the_csv_of_the_same_day(client, story):
    d = story["d"]
    page = report(client, d(20)).content.decode()
    day = d(20).isoformat()
    assert f'{url("projects:report-workinggroup", slug=story["g1"].slug)}?as_of={day}"' in page
    assert f'{url("projects:report-sector", slug=story["s1"].slug)}?as_of={day}"' in page
    assert f"/api/v1/summary/by-country/?format=csv&amp;as_of={day}" in page
    assert 'id="report-day"' in page and f"{d(20).year}" in page[page.index("<title>") : page.index("</title>")]
    today_page = client.get(url("projects:report")).content.decode()
    assert "?as_of=" not in today_page[today_page.index("report-scopes") : today_page.index("</details>")]


def test_progress_by_working_group_names_the_groups_in_the_pages_language(client, story):
    story["g1"].name_ru = "Группа один"
    story["g1"].save()
    for day in (story["d"](20), None):
        response = client.get(url("projects:report", lang="ru") + (f"?as_of={day.isoformat()}" if day else ""))
        labels = [row["label"] for row in response.context["by_group"]]
        assert "Группа один" in labels and "Group one" not in labels, labels


def test_a_past_project_page_shows_its_planned_dates_and_demo_notice_then(client, story):
    a, d = story["a"], story["d"]
    change(a, d(18), planned_start=datetime.date(2025, 3, 1), planned_end=datetime.date(2027, 6, 30), demo=True)
    page = client.get(a.get_absolute_url() + f"?as_of={d(20).isoformat()}").content.decode()
    assert 'id="state-demo"' not in page and "2027" not in page
    page = client.get(a.get_absolute_url() + f"?as_of={d(16).isoformat()}").content.decode()
    assert 'id="state-demo"' in page
    assert "2027" in page[page.index('id="state-end"') :][:200]
