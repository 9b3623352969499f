"""Demo rates price demo projects only: with the demo loaded, no real figure changes."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import ExchangeRate, Project
from projects.seeding.demo import DEMO_RATE_SOURCE
from tests import factories as f
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

DEMO_KZT_2025 = Decimal("520")  # projects.seeding.demo_data.DEMO_RATES


@pytest.fixture
def demo_loaded():
    call_command("seed", "--demo", "--projects", "30", stdout=StringIO())


def real_rates_alone(project):
    """The project's USD figure from the real rates alone, found here without the app's rule."""
    if project.investment_amount is None or project.investment_currency == "USD":
        return project.investment_amount
    rates = ExchangeRate.objects.filter(demo=False, currency=project.investment_currency)
    if project.rate_date:
        rates = rates.filter(date__lte=project.rate_date)
    rate = rates.order_by("-date").first()
    return None if rate is None else (project.investment_amount / rate.units_per_usd).quantize(Decimal("0.01"))


def assert_real_projects_priced_by_real_rates():
    real = Project.objects.filter(demo=False).with_usd().order_by("code")
    assert real.exists()
    for project in real:
        expected = real_rates_alone(project)
        assert project.investment_usd == expected, project.code
        assert project.usd_equivalent() == expected, project.code


def test_the_demo_rates_are_marked_demo(demo_loaded):
    demo_rates = ExchangeRate.objects.filter(source=DEMO_RATE_SOURCE)
    assert demo_rates.count() == 12
    assert not demo_rates.filter(demo=False).exists()


def test_real_projects_use_real_rates_alone(demo_loaded):
    assert_real_projects_priced_by_real_rates()
    kzuz = Project.objects.with_usd().get(code="KZUZ-001")
    assert kzuz.investment_usd is None  # no real KZT rate is recorded


def test_a_real_rate_prices_a_real_project_even_when_a_demo_rate_is_newer(demo_loaded):
    ExchangeRate.objects.create(currency="KZT", date=datetime.date(2024, 6, 1), units_per_usd=500, source="Test bank")
    assert_real_projects_priced_by_real_rates()
    # The demo rate of 1 January 2025 (520) is newer than the real one but not the real project's.
    assert Project.objects.with_usd().get(code="KZUZ-001").investment_usd == Decimal("54000000.00")


def test_kzuz_001_page_says_there_is_no_kzt_rate(demo_loaded, client):
    kzuz = Project.objects.get(code="KZUZ-001")
    page = client.get(kzuz.get_absolute_url()).content.decode()
    assert "no exchange rate for KZT" in page
    assert "≈" not in page and "51,923,07" not in page


def test_a_demo_kzt_project_keeps_its_demo_usd_figure(demo_loaded, client):
    project = (
        Project.objects.published()
        .filter(demo=True, investment_currency="KZT", investment_amount__isnull=False, rate_date__year=2025)
        .with_usd()
        .first()
    )
    expected = (project.investment_amount / DEMO_KZT_2025).quantize(Decimal("0.01"))
    assert project.investment_usd == project.usd_equivalent() == expected
    assert "≈" in client.get(project.get_absolute_url()).content.decode()


def test_totals_count_real_projects_without_a_real_rate_as_unpriced(demo_loaded):
    real = Project.objects.published().filter(demo=False)
    unpriced = [p.code for p in real if p.investment_amount is not None and real_rates_alone(p) is None]
    assert "KZUZ-001" in unpriced
    totals = real.totals()
    assert totals["unpriced"] == len(unpriced)
    assert totals["usd"] == sum(real_rates_alone(p) or 0 for p in real if p.investment_amount is not None)


def test_stored_figures_match_the_computed_ones(demo_loaded):
    out = StringIO()
    call_command("recompute_figures", "--check", stdout=out)
    assert "match" in out.getvalue()


def test_marking_a_rate_demo_takes_it_off_real_projects():
    real = f.ProjectFactory(investment_amount=Decimal("1000000"), investment_currency="KZT", rate_date=None)
    demo = f.ProjectFactory(investment_amount=Decimal("1000000"), investment_currency="KZT", rate_date=None, demo=True)
    rate = f.ExchangeRateFactory(units_per_usd=Decimal("500"))
    usd = dict(Project.objects.with_usd().values_list("pk", "investment_usd"))
    assert usd == {real.pk: Decimal("2000.00"), demo.pk: Decimal("2000.00")}
    rate.demo = True
    rate.save()
    usd = dict(Project.objects.with_usd().values_list("pk", "investment_usd"))
    assert usd == {real.pk: None, demo.pk: Decimal("2000.00")}
    assert real.usd_equivalent() is None and demo.usd_equivalent() == Decimal("2000.00")
    ExchangeRate.objects.filter(pk=rate.pk).update(demo=False)
    assert Project.objects.with_usd().get(pk=real.pk).investment_usd == Decimal("2000.00")


def test_a_real_project_without_a_real_rate_is_not_published():
    project = f.ProjectFactory(investment_amount=Decimal("1000000"), investment_currency="KZT", rate_date=None)
    f.ExchangeRateFactory(demo=True)
    assert any("KZT" in str(reason) for reason in project.missing_for_publication())


def test_only_the_secretariat_marks_a_rate_demo(secretariat, make_editor):
    rate = f.ExchangeRateFactory()
    path = f"/api/v1/exchange-rates/{rate.pk}/"
    assert client_for(make_editor()).patch(path, {"demo": True}, format="json").status_code == 403
    response = client_for(secretariat).patch(path, {"demo": True}, format="json")
    assert response.status_code == 200 and response.json()["demo"] is True
    assert ExchangeRate.objects.get(pk=rate.pk).demo
