"""Report downloads come from the cache once made (per address, language, date and content), and
anonymous visitors may have only so many made afresh; signed-in staff are never limited."""

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from projects.models import Project
from tests.helpers import url
from tests.projects import test_views

pytestmark = pytest.mark.django_db
portfolio = test_views.portfolio  # three published projects (KZUZ-001…003), three hidden
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTS = ["projects:report", "projects:report-changes"]


@pytest.fixture
def export_cache(settings):
    settings.EXPORT_CACHE_SECONDS = 600


def summary(response):
    """The Summary sheet of a downloaded workbook as {label: value}."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return {label: value for label, value in sheet.iter_rows(min_row=2, values_only=True) if label}


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_download_made_once_is_served_from_the_cache_without_a_query(
    client, portfolio, export_cache, django_assert_num_queries, name, fmt
):
    address = url(name) + f"?format={fmt}"
    first = client.get(address)
    assert first.status_code == 200 and first.content
    with django_assert_num_queries(0):
        again = client.get(address)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_each_address_language_and_choice_has_its_own_file(client, portfolio, export_cache, today):
    everything = summary(client.get(url("projects:report") + "?format=xlsx"))
    assert everything["Projects"] == 3
    # Another date, another demo choice, another language: each made for itself, not the cached one.
    Project.objects.filter(code="KZUZ-003").update(demo=True)
    assert summary(client.get(url("projects:report") + "?format=xlsx&demo=real"))["Projects"] == 2
    earlier = (today - datetime.timedelta(days=3)).isoformat()
    assert (
        summary(client.get(url("projects:report") + f"?format=xlsx&as_of={earlier}"))["As of"].date().isoformat()
        == earlier
    )
    russian = client.get(url("projects:report", "ru") + "?format=xlsx")
    assert openpyxl.load_workbook(io.BytesIO(russian.content)).sheetnames[0] == "Кратко"
    # The first address still gives the file made for it.
    assert summary(client.get(url("projects:report") + "?format=xlsx"))["Projects"] == 3


def test_the_page_is_not_answered_with_a_cached_file(client, portfolio, export_cache):
    client.get(url("projects:report") + "?format=xlsx")
    page = client.get(url("projects:report"))
    assert page["Content-Type"].startswith("text/html")
    assert "Download this report" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_in_the_next_download(client, portfolio, export_cache):
    # Committed writes move the content version (partnership/caching.py); these tests commit.
    assert summary(client.get(url("projects:report") + "?format=xlsx"))["Projects"] == 3
    project = Project.objects.get(code="KZUZ-003")
    project.demo = True
    project.save()
    assert summary(client.get(url("projects:report") + "?format=xlsx&demo=real"))["Projects"] == 2
    Project.objects.get(code="KZUZ-002").delete()
    assert summary(client.get(url("projects:report") + "?format=xlsx"))["Projects"] == 2


def test_staff_and_visitors_share_one_made_file(
    client, portfolio, export_cache, secretariat, django_assert_num_queries
):
    staff = Client()
    staff.force_login(secretariat)
    made = staff.get(url("projects:report") + "?format=xlsx")
    with django_assert_num_queries(0):
        served = client.get(url("projects:report") + "?format=xlsx")
    assert served.content == made.content


# --- the anonymous rate ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_an_anonymous_visitor_over_the_rate_gets_a_page_saying_when_to_try_again(client, portfolio, settings, name):
    settings.EXPORT_ANON_RATE = "2/hour"
    for _ in range(2):  # two files made afresh (the cache is off in tests unless a test turns it on)
        assert client.get(url(name) + "?format=xlsx&demo=real").status_code == 200
    refused = client.get(url(name) + "?format=xlsx&demo=real")
    assert refused.status_code == 429
    assert 3000 < int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"].startswith("text/html")
    assert refused["Cache-Control"] == "no-store"
    body = refused.content.decode()
    assert "Too many downloads" in body and "Please try again in 60 minutes." in body
    assert f'href="http://testserver{url(name)}?demo=real"' in body  # the report page, without the format
    # The page itself is not limited.
    assert client.get(url(name) + "?demo=real").status_code == 200


def test_the_limit_counts_per_client_address(client, portfolio, settings):
    settings.EXPORT_ANON_RATE = "1/minute"
    assert client.get(url("projects:report") + "?format=xlsx", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(url("projects:report") + "?format=xlsx", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(url("projects:report") + "?format=xlsx", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_file_served_from_the_cache_does_not_count(client, portfolio, settings, export_cache, today):
    settings.EXPORT_ANON_RATE = "1/minute"
    for _ in range(3):
        assert client.get(url("projects:report") + "?format=xlsx").status_code == 200
    earlier = (today - datetime.timedelta(days=1)).isoformat()
    assert client.get(url("projects:report") + f"?format=xlsx&as_of={earlier}").status_code == 429


def test_signed_in_staff_are_never_limited(portfolio, settings, secretariat):
    settings.EXPORT_ANON_RATE = "1/minute"
    staff = Client()
    staff.force_login(secretariat)
    for _ in range(3):
        assert staff.get(url("projects:report") + "?format=xlsx").status_code == 200


def test_a_bad_format_is_explained_and_not_counted(client, portfolio, settings):
    settings.EXPORT_ANON_RATE = "1/minute"
    for _ in range(2):
        assert client.get(url("projects:report") + "?format=doc").status_code == 400
    assert client.get(url("projects:report") + "?format=xlsx").status_code == 200


def test_an_empty_rate_means_no_limit(client, portfolio, settings):
    settings.EXPORT_ANON_RATE = ""
    for _ in range(3):
        assert client.get(url("projects:report") + "?format=xlsx").status_code == 200
