"""One CSV writer: the directory download, the API's CSV and the admin's export defuse formulas alike."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.exports import csv_text
from projects.models import Project
from tests import factories as f
from tests.helpers import body_of, client_for, csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]

FORMULA = '=HYPERLINK("http://evil.example","Click")'
ORDINARY = 'Solar plant, "phase 2" in Navoi'


@pytest.fixture
def projects():
    """A project whose title a spreadsheet would run as a formula, and an ordinary one."""
    return [
        f.ProjectFactory(code="KZUZ-001", title=FORMULA, investment_amount=Decimal("1500000.50")),
        f.ProjectFactory(code="KZUZ-002", title=ORDINARY, investment_amount=Decimal("250000.00")),
    ]


def titles(rows):
    return {row["code"]: row["title"] for row in rows}


def assert_defused(rows):
    assert titles(rows) == {"KZUZ-001": "'" + FORMULA, "KZUZ-002": ORDINARY}


def test_directory_download_defuses_formulas_and_keeps_ordinary_values(client, projects):
    response = client.get(reverse("projects:project-list") + "?format=csv")
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert_defused(rows)
    assert {row["investment_amount"] for row in rows} == {"1500000.50", "250000.00"}


def test_api_csv_defuses_formulas_and_keeps_ordinary_values(projects):
    _, rows = csv_rows(client_for().get("/api/v1/projects/", {"format": "csv"}))
    assert_defused(rows)
    assert {row["investment_amount"] for row in rows} == {"1500000.50", "250000.00"}
    assert {row["demo"] for row in rows} == {"false"}


def test_admin_csv_export_defuses_formulas_and_keeps_ordinary_values(client, secretariat, projects):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:projects_project_export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": [project.pk for project in Project.objects.all()],
            "projectresource_code": "on",
            "projectresource_title_en": "on",
            "projectresource_investment_amount": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["code"]: row["title_en"] for row in rows} == {"KZUZ-001": "'" + FORMULA, "KZUZ-002": ORDINARY}
    assert {row["investment_amount"] for row in rows} == {"1500000.50", "250000.00"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_defused_and_other_cells_are_not(start):
    text = csv_text(["title", "jobs", "note"], [[start + "1+1", -3, None], ["Plain", 4, "a-b"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["title", "jobs", "note"],
        ["'" + start + "1+1", "-3", ""],
        ["Plain", "4", "a-b"],
    ]
