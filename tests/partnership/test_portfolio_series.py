"""The official portfolio series (38 → 60 → 69 → 74 projects): seed, commission page, API and model rules;
the real projects' places on the map; the demo portfolio's coverage of sectors and working groups."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count, Q

from partnership.models import PortfolioFigure, Sector, WorkingGroup
from projects.models import Project, ProjectLocation
from tests import factories as f
from tests.helpers import url

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed", *args, stdout=StringIO())


def test_seed_loads_the_series_with_month_and_day_precision_and_a_second_run_changes_nothing():
    seed()
    rows = list(PortfolioFigure.objects.values_list("date", "date_precision", "project_count", "investment_usd"))
    assert rows == [
        (datetime.date(2022, 12, 1), "month", 38, Decimal("2200000000")),
        (datetime.date(2024, 4, 5), "day", 60, Decimal("2500000000")),
        (datetime.date(2024, 8, 1), "month", 69, Decimal("3100000000")),
        (datetime.date(2024, 10, 1), "month", 74, Decimal("3400000000")),
    ]
    assert list(PortfolioFigure.objects.filter(investment_over=True).values_list("project_count", flat=True)) == [60]
    assert "Khiva" in PortfolioFigure.objects.get(project_count=60).source
    before = list(PortfolioFigure.objects.values_list("pk", "updated"))
    seed()
    assert list(PortfolioFigure.objects.values_list("pk", "updated")) == before


def test_commission_page_charts_each_point_and_lists_it_with_its_source(client):
    seed()
    body = client.get(url("partnership:commission-detail")).content.decode()
    section = body[body.index('id="portfolio-title"') :]
    assert "<svg" in section and "<title" in section and "Joint projects in the official portfolio" in section
    table = section[section.index('id="table-portfolio"') :]
    for figure in PortfolioFigure.objects.all():
        assert figure.source in table
        assert f'<td class="num">{figure.project_count}</td>' in table
    # Month-only dates read as the month, the Khiva figure as its day and as "over".
    assert "December 2022" in table and "October 2024" in table and "April 5, 2024" in table
    assert "1 December" not in table and "Dec. 1" not in table
    assert "over 2.5 billion" in table and "3.4 billion" in table
    # Four dots, one per reported figure.
    assert len(re.findall(r"<circle ", section[: section.index("</svg>")])) == 4
    # Beside it the tracker's own count of published real projects, labelled as such.
    real = Project.objects.published().filter(demo=False).count()
    assert real == 14
    assert "Real projects in this tracker" in section and f'<dd class="stat__value">{real}</dd>' in section


def test_tracker_count_leaves_out_demo_and_unpublished_projects(client):
    seed()
    seed("--demo")
    real = Project.objects.published().filter(demo=False).count()
    Project.objects.filter(code="KZUZ-014").update(publication="draft")
    body = client.get(url("partnership:commission-detail")).content.decode()
    assert f'<dd class="stat__value">{real - 1}</dd>' in body[body.index('id="portfolio-title"') :]


def test_a_source_link_is_shown_and_no_series_no_section(client):
    commission = f.CommissionFactory()
    page = url("partnership:commission-detail", slug=commission.slug)
    assert 'id="portfolio-title"' not in client.get(page).content.decode()
    PortfolioFigure.objects.create(
        commission=commission,
        date=datetime.date(2023, 1, 1),
        date_precision="year",
        project_count=5,
        source="Ministry report",
        source_url="https://example.org/report",
    )
    body = client.get(page).content.decode()
    assert '<a href="https://example.org/report" rel="external">Ministry report</a>' in body
    assert '<th scope="row">2023</th>' in body


def test_month_or_year_dates_must_be_stored_as_their_first_day_and_one_figure_per_date():
    commission = f.CommissionFactory()
    figure = PortfolioFigure(
        commission=commission, date=datetime.date(2022, 12, 15), date_precision="month", project_count=1, source="x"
    )
    with pytest.raises(ValidationError, match="first of that month"):
        figure.full_clean()
    figure.date = datetime.date(2022, 12, 1)
    figure.full_clean()
    figure.save()
    twin = PortfolioFigure(commission=commission, date=figure.date, project_count=2, source="y")
    with pytest.raises(ValidationError, match="already has a portfolio figure"):
        twin.full_clean()
    over = PortfolioFigure(commission=commission, date=datetime.date(2023, 1, 1), project_count=2, source="y")
    over.investment_over = True
    with pytest.raises(ValidationError, match="needs an investment amount"):
        over.full_clean()


def test_api_lists_the_series_in_date_order_filtered_by_commission_and_read_only(api):
    seed()
    other = f.CommissionFactory(slug="kz-kg")
    PortfolioFigure.objects.create(commission=other, date=datetime.date(2024, 1, 1), project_count=3, source="z")
    response = api.get("/api/v1/portfolio-figures/", {"commission": "kz-uz"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["project_count"] for row in rows] == [38, 60, 69, 74]
    assert rows[1]["investment_over"] is True and rows[0]["date_precision"] == "month"
    assert all(row["source"] and row["commission"] == "kz-uz" for row in rows)
    assert api.get("/api/v1/portfolio-figures/").json()["count"] == 5
    assert api.get("/api/v1/portfolio-figures/", {"commission": "none"}).json()["results"] == []
    assert api.post("/api/v1/portfolio-figures/", {}).status_code in (401, 403, 405)


# --- the real projects on the map ----------------------------------------------------------------


def test_with_only_the_seed_the_map_plots_the_real_projects_places(client):
    seed()
    located = ProjectLocation.objects.filter(project__demo=False, latitude__isnull=False)
    assert located.values("project").distinct().count() >= 10
    assert not ProjectLocation.objects.filter(project__demo=True).exists()
    body = client.get(url("projects:project-map")).content.decode()
    places = {(loc.country_id, loc.region, loc.place) for loc in located}
    assert f"{len(places)} places where published projects are carried out" in body
    for place in ("Gulistan border post", "Maktaaral", "Tashkent", "Astana", "Kostanay", "Shymkent"):
        assert f">{place}</a></th>" in body
    assert "40.490, 68.784" in body  # Gulistan
    assert "51.169, 71.449" in body  # Astana


def test_real_coordinates_lie_in_the_country_of_their_location():
    seed()
    boxes = {"KZ": (40.5, 55.5, 46.5, 87.5), "UZ": (37.1, 45.6, 56.0, 73.2)}
    for loc in ProjectLocation.objects.filter(latitude__isnull=False).select_related("country"):
        south, north, west, east = boxes[loc.country.code]
        assert south <= loc.latitude <= north and west <= loc.longitude <= east, loc


# --- the demo portfolio ----------------------------------------------------------------------------


def test_demo_gives_every_sector_and_working_group_published_projects():
    seed("--demo")
    published = Q(projects__demo=True, projects__publication="published")
    sectors = Sector.objects.annotate(n=Count("projects", filter=published))
    groups = WorkingGroup.objects.annotate(n=Count("projects", filter=published))
    assert sectors.count() >= 16 and groups.count() >= 6
    assert [s.slug for s in sectors if not s.n] == []
    assert [g.slug for g in groups if not g.n] == []
