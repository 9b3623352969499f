"""Every public fact shows where it comes from, and no date is shown more precisely than it is known."""

import csv
import datetime
import io
from decimal import Decimal
from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from partnership.dates import precise_date
from partnership.models import (
    Agreement,
    CoChair,
    Commission,
    DatePrecision,
    Meeting,
    TradeFigure,
    WorkingGroup,
)
from projects.models import ExchangeRate, Project
from projects.resources import ProjectResource
from tests.helpers import admin_url, field_errors, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's chatter is not the test
    return Commission.objects.get(slug="kz-uz")


def page(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def source_line(fact):
    """What the shared Source line shows for a fact without a link."""
    return f'<span class="source__label">Source:</span> {escape(fact.source)}</p>'


def seeded_pages(commission):
    """Every seeded fact with a page of its own, with that page's address."""
    facts = [commission, *commission.working_groups.all(), *commission.meetings.all(), *commission.agreements.all()]
    facts += list(Project.objects.published().filter(demo=False))
    return [(fact, fact.get_absolute_url()) for fact in facts]


# --- sources ---------------------------------------------------------------------------------------


def test_every_seeded_fact_has_a_source(seeded):
    for model in (Commission, WorkingGroup, CoChair, Meeting, Agreement, TradeFigure, Project):
        missing = [str(fact) for fact in model.objects.all() if not fact.source.strip()]
        assert not missing, (model.__name__, missing)


def test_every_seeded_fact_page_shows_its_own_source(client, seeded):
    pages = seeded_pages(seeded)
    assert len(pages) == 1 + 6 + 6 + 7 + 14  # the seed's commission, groups, meetings, agreements, projects
    for fact, address in pages:
        assert source_line(fact) in page(client, address), (fact, address)


def test_co_chair_terms_show_their_source_where_they_are_listed(client, seeded):
    chairs = CoChair.objects.select_related("working_group", "commission")
    assert chairs.count() == 8
    for chair in chairs:
        body = chair.working_group or chair.commission
        html = page(client, body.get_absolute_url())
        assert chair.person.full_name in html
        assert source_line(chair) in html, chair


def test_trade_rows_keep_their_source_cell(client, seeded):
    html = page(client, url("partnership:trade", slug=seeded.slug))
    for figure in TradeFigure.objects.all():
        assert f"<td>{escape(figure.source)}" in html, figure.year


def test_a_source_link_makes_the_source_a_link(client, seeded):
    meeting = Meeting.objects.get(slug="khiva-informal-summit-2024")
    meeting.source_url = "https://example.org/khiva-report"
    meeting.save()
    html = page(client, meeting.get_absolute_url())
    assert f'<a href="https://example.org/khiva-report" rel="external noopener">{escape(meeting.source)}</a>' in html


def test_a_bad_source_link_is_refused_with_a_message(seeded):
    agreement = Agreement.objects.first()
    agreement.source_url = "not a link"
    assert field_errors(agreement) == {"source_url": ["Enter a valid URL."]}


def test_the_project_page_shows_the_source_of_the_rate_behind_its_usd_figure(client, seeded):
    project = Project.objects.get(slug="icic-central-asia")
    ExchangeRate.objects.update_or_create(
        currency="KZT",
        date=project.rate_date,
        defaults={"units_per_usd": Decimal("520"), "source": "Test rate source, period average", "demo": False},
    )
    html = page(client, project.get_absolute_url())
    assert "≈ 51,923,077 USD" in html
    assert "at 520 KZT per USD" in html
    assert '<span class="source__label">Source:</span> Test rate source, period average</p>' in html


# --- dates with their precision -------------------------------------------------------------------


def rough_dates():
    """(record, date field, precision, pages that show the date) for every seeded date known only roughly."""
    found = []
    for meeting in Meeting.objects.exclude(date_precision=DatePrecision.DAY):
        pages = [meeting.get_absolute_url(), url("partnership:meeting-list"), meeting.commission.get_absolute_url()]
        pages += [group.get_absolute_url() for group in meeting.working_groups.all()]
        found.append((meeting, "date", meeting.date_precision, pages))
    for group in WorkingGroup.objects.exclude(established_precision=DatePrecision.DAY):
        found.append((group, "established", group.established_precision, [group.get_absolute_url()]))
    for project in Project.objects.published():
        for field in ("planned_start", "planned_end", "actual_start", "actual_end"):
            precision = getattr(project, f"{field}_precision")
            if precision != DatePrecision.DAY and getattr(project, field):
                found.append((project, field, precision, [project.get_absolute_url()]))
    return found


def test_seeded_rough_dates_are_the_ones_the_sources_give(seeded):
    rough = {
        (str(record), field): (getattr(record, field), precision) for record, field, precision, _p in rough_dates()
    }
    assert rough == {
        (str(Meeting.objects.get(slug="commission-21st-meeting")), "date"): (datetime.date(2024, 7, 1), "month"),
        ("Joint working group on removing trade barriers", "established"): (datetime.date(2024, 1, 1), "month"),
        ("KZUZ-002 Darbaza–Maktaaral railway line", "actual_start"): (datetime.date(2023, 11, 1), "month"),
        ("KZUZ-003 UzKazTrade joint foreign trade company", "actual_start"): (datetime.date(2023, 3, 1), "month"),
    }
    # The 18th meeting keeps its day; its source says the year is probable.
    eighteenth = Meeting.objects.get(slug="commission-18th-meeting")
    assert eighteenth.date_precision == "day" and "probable" in eighteenth.source


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_seeded_date_is_shown_more_precisely_than_it_is_known(client, seeded, lang):
    checked = 0
    for record, field, precision, pages in rough_dates():
        value = getattr(record, field)
        with translation.override(lang):
            shown = precise_date(value, precision)
            too_precise = [date_format(value, "DATE_FORMAT"), date_format(value, "SHORT_DATE_FORMAT")]
        too_precise += [value.strftime("%d.%m.%Y"), value.isoformat()]
        for address in pages:
            html = page(client, address.replace("/en/", f"/{lang}/", 1))
            assert shown in html, (record, field, address)
            for wrong in too_precise:
                assert wrong not in html, (record, field, address, wrong)
            checked += 1
    assert checked >= 6


def test_month_and_year_read_as_people_write_them(client, seeded):
    july = datetime.date(2024, 7, 1)
    assert precise_date(july, "month") == "July 2024"
    assert precise_date(july, "year") == "2024"
    assert precise_date(datetime.date(2019, 6, 21), "day") == "June 21, 2019"
    with translation.override("ru"):
        assert precise_date(july, "month") == "Июль 2024 г."
        assert precise_date(july, "year") == "2024"
    meeting = Meeting.objects.get(slug="commission-21st-meeting")
    assert str(meeting) == "21st meeting of the Intergovernmental Commission (July 2024)"
    assert '<time datetime="2024-07">July 2024</time>' in page(client, meeting.get_absolute_url())
    assert "Июль 2024" in page(client, url("partnership:meeting-detail", lang="ru", slug=meeting.slug))
    darbaza = page(client, url("projects:project-detail", lang="ru", slug="darbaza-maktaaral-railway"))
    assert "Ноябрь 2023 г." in darbaza


def test_rough_dates_sort_and_filter_by_their_first_day(client, seeded):
    html = page(client, url("partnership:meeting-list") + "?year=2024")
    positions = [html.index(escape(title)) for title in ("First meeting of the Supreme", "21st meeting", "Khiva")]
    assert positions == sorted(positions)  # August, July (month only), April 2024: newest first
    assert "18th meeting" not in html  # 2019


# --- entering rough dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "value", "message"),
    [
        ("month", datetime.date(2024, 7, 15), "entered as the first of that month (2024-07-01), not 2024-07-15"),
        ("year", datetime.date(2024, 7, 1), "entered as 1 January of that year (2024-01-01), not 2024-07-01"),
    ],
)
def test_a_rough_date_must_be_the_first_day_of_its_period(seeded, precision, value, message):
    project = Project.objects.get(code="KZUZ-002")
    project.actual_start, project.actual_start_precision = value, precision
    errors = field_errors(project)
    assert list(errors) == ["actual_start"] and message in errors["actual_start"][0]
    project.actual_start = value.replace(day=1, month=1 if precision == "year" else value.month)
    project.full_clean()


def test_admin_refuses_a_month_date_that_is_not_the_first(admin_client, seeded):
    meeting = Meeting.objects.get(slug="commission-21st-meeting")
    data = {
        "commission": meeting.commission_id,
        "kind": meeting.kind,
        "title_en": meeting.title_en,
        "slug": meeting.slug,
        "date": "2024-07-18",
        "date_precision": "month",
        "source": meeting.source,
        "directives-TOTAL_FORMS": 0,
        "directives-INITIAL_FORMS": 0,
    }
    response = admin_client.post(admin_url(meeting, "change", meeting.pk), data)
    assert response.status_code == 200
    assert "entered as the first of that month (2024-07-01), not 2024-07-18" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2024, 7, 1)
    data["date"] = "2024-07-01"
    data["date_precision"] = "year"
    response = admin_client.post(admin_url(meeting, "change", meeting.pk), data)
    assert "entered as 1 January of that year (2024-01-01)" in response.content.decode()
    data["date"] = "2024-01-01"
    assert admin_client.post(admin_url(meeting, "change", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.date_precision == "year"


def test_the_admin_form_shows_the_precision_beside_the_date(admin_client, seeded):
    project = Project.objects.get(code="KZUZ-002")
    html = admin_client.get(admin_url(project, "change", project.pk)).content.decode()
    date_at, precision_at = html.index('name="actual_start"'), html.index('name="actual_start_precision"')
    assert 0 < precision_at - date_at < 3000
    assert '<option value="month" selected>month</option>' in html


PROJECT_HEADER = ["code", "slug", "title_en", "working_group", "status", "actual_start", "actual_start_precision"]


def import_projects(*rows):
    dataset = tablib.Dataset(*rows, headers=PROJECT_HEADER)
    return ProjectResource().import_data(dataset, dry_run=False, use_transactions=True)


def row_errors(result):
    return [str(error) for row in result.invalid_rows for messages in row.error_dict.values() for error in messages]


def test_import_reads_the_precision_column(seeded):
    result = import_projects(
        ["KZUZ-901", "kzuz-901", "Known to the month", "icic", "pipeline", "2024-05-01", "month"],
        ["KZUZ-902", "kzuz-902", "Known to the day", "icic", "pipeline", "2024-05-17", ""],
    )
    assert not result.has_validation_errors(), row_errors(result)
    assert Project.objects.get(code="KZUZ-901").actual_start_precision == "month"
    assert Project.objects.get(code="KZUZ-902").actual_start_precision == "day"


@pytest.mark.parametrize(
    ("value", "precision", "message"),
    [
        ("2024-05-01", "fortnight", "“fortnight” is not a date precision: write one of day, month, year."),
        ("2024-05-17", "month", "entered as the first of that month (2024-05-01), not 2024-05-17"),
    ],
)
def test_import_refuses_a_bad_precision_and_writes_nothing(seeded, value, precision, message):
    result = import_projects(
        ["KZUZ-903", "kzuz-903", "Fine", "icic", "pipeline", "2024-05-01", "month"],
        ["KZUZ-904", "kzuz-904", "Bad", "icic", "pipeline", value, precision],
    )
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert any(message in error for error in row_errors(result)), row_errors(result)
    assert not Project.objects.filter(code__in=["KZUZ-903", "KZUZ-904"]).exists()


# --- the API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "key", "value", "fields"),
    [
        ("meeting", "slug", "commission-21st-meeting", {"date_precision": "month"}),
        ("project", "code", "KZUZ-002", {"actual_start_precision": "month", "planned_end_precision": "day"}),
        ("workinggroup", "slug", "trade-barriers", {"established_precision": "month"}),
        ("agreement", "slug", "treaty-allied-relations-2022", {"signed_date_precision": "day"}),
        ("cochair", "person_name", "Olzhas Bektenov", {"start_date_precision": "day", "end_date_precision": "day"}),
        ("commission", "slug", "kz-uz", {"established_precision": "day"}),
    ],
)
def test_the_api_carries_sources_and_precisions(api, seeded, endpoint, key, value, fields):
    names = {"workinggroup": "working-groups", "cochair": "co-chairs"}
    response = api.get(f"/api/v1/{names.get(endpoint, endpoint + 's')}/")
    assert response.status_code == 200
    rows = response.json()["results"]
    row = next(row for row in rows if row[key] == value)
    for name, expected in fields.items():
        assert row[name] == expected, name
    if endpoint == "project":  # the directory row: its own page carries source and link
        row = api.get(row["url"]).json()
    assert row["source"].strip()
    assert row["source_url"] == ""


def test_the_api_carries_a_rates_source_link(api, seeded):
    ExchangeRate.objects.create(
        currency="KZT",
        date=datetime.date(2001, 1, 1),
        units_per_usd=Decimal("145"),
        source="Test source",
        source_url="https://example.org/rates",
    )
    rows = api.get("/api/v1/exchange-rates/").json()["results"]
    assert {"source": "Test source", "source_url": "https://example.org/rates"}.items() <= next(
        row for row in rows if row["date"] == "2001-01-01"
    ).items()


def test_directory_downloads_give_dates_only_as_precisely_as_known(client):
    """A start known to the month is "2023-11" in the CSV and JSON, not a day of that month."""
    call_command("seed", stdout=StringIO())
    response = client.get(url("projects:project-list") + "?format=csv")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    darbaza = Project.objects.get(code="KZUZ-002")
    assert darbaza.actual_start_precision == "month"
    assert rows["KZUZ-002"]["actual_start"] == f"{darbaza.actual_start:%Y-%m}"
    data = client.get(url("projects:project-list") + "?format=json").json()
    assert {r["code"]: r["actual_start"] for r in data["results"]}["KZUZ-002"] == f"{darbaza.actual_start:%Y-%m}"
