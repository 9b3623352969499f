import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from partnership.models import CoChair, Commission, Meeting, Sector, TradeFigure, WorkingGroup
from projects.models import Organisation, ProgressUpdate, Project, Publication, Task

pytestmark = pytest.mark.django_db


def run_seed(*args):
    from io import StringIO

    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def test_seed_loads_the_facts_with_their_sources():
    run_seed()
    commission = Commission.objects.get(slug="kz-uz")
    assert sorted(commission.countries.values_list("code", flat=True)) == ["KZ", "UZ"]
    assert commission.trade_target_usd == Decimal("10000000000") and commission.trade_target_year == 2030
    khiva = Meeting.objects.get(date=datetime.date(2024, 4, 5))
    assert khiva.place == "Khiva" and "Akorda" in khiva.source
    assert khiva.directives.count() == 10
    trade_2023 = TradeFigure.objects.get(year=2023)
    assert trade_2023.turnover_usd == Decimal("4400000000") and "Akorda" in trade_2023.source
    assert "4.6" in trade_2023.source_note
    assert not TradeFigure.objects.filter(year__in=[2019, 2020]).exists()  # not found: left out
    current = CoChair.objects.current().filter(commission=commission)
    assert sorted(c.person.full_name for c in current) == ["Abdulla Aripov", "Olzhas Bektenov"]
    icic = Project.objects.with_usd().get(slug="icic-central-asia")
    assert icic.investment_currency == "KZT" and icic.investment_amount == Decimal("27000000000")
    assert icic.investment_usd is None  # the facts hold no exchange rate: no invented USD figure
    assert not Project.objects.filter(demo=True).exists()


def test_second_run_changes_nothing_and_says_so():
    run_seed()
    before = {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated"))
        for model in (Commission, WorkingGroup, Sector, CoChair, Meeting, Project, TradeFigure)
    }
    output = run_seed()
    assert "nothing changed" in output
    after = {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated"))
        for model in (Commission, WorkingGroup, Sector, CoChair, Meeting, Project, TradeFigure)
    }
    assert before == after


def test_seed_restores_a_fact_that_was_edited():
    run_seed()
    TradeFigure.objects.filter(year=2023).update(turnover_usd=1)
    output = run_seed()
    assert "1 updated" in output
    assert TradeFigure.objects.get(year=2023).turnover_usd == Decimal("4400000000")


def test_demo_portfolio_is_large_marked_and_varied():
    output = run_seed("--demo")
    demo = Project.objects.filter(demo=True)
    published = Project.objects.published()
    assert demo.count() >= 60
    assert published.filter(demo=True).count() >= 60
    assert published.totals()["usd"] > Decimal("2500000000")
    assert set(demo.values_list("status", flat=True)) == set(Project.Status.values)
    assert set(demo.values_list("publication", flat=True)) == set(Publication.values)
    assert not Sector.objects.exclude(projects__demo=True).exists()
    assert not WorkingGroup.objects.exclude(projects__demo=True).exists()
    assert set(Task.objects.filter(project__demo=True).values_list("status", flat=True)) == set(Task.Status.values)
    assert Task.objects.filter(project__demo=True).overdue().exists()
    assert Project.objects.filter(demo=True).behind_schedule().exists()
    assert Project.objects.filter(demo=True).without_recent_update().exists()
    assert ProgressUpdate.objects.filter(project__demo=True).exists()
    assert all(p.participants.exists() and p.locations.exists() for p in demo[:10])
    assert Organisation.objects.filter(demo=True, name__endswith="(demo)").count() >= 10
    assert all("Fictional" in s for s in demo.values_list("summary", flat=True))
    assert "72 projects" in output
    assert "nothing changed" in run_seed("--demo")
    assert Project.objects.filter(demo=True).count() == demo.count()


def test_demo_with_a_size_builds_that_many_projects():
    run_seed("--demo", "--projects", "150")
    assert Project.objects.filter(demo=True).count() == 150


def test_seed_refuses_a_silly_size():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--projects"):
        run_seed("--demo", "--projects", "0")
