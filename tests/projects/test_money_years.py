"""Money per project and year (ProjectMoneyYear): stored on every write that moves it, equal to
what the budgets in force and published transactions add up to, and checked by the daily run."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projects import stored_figures
from projects.models import Budget, ExchangeRate, Project, ProjectMoneyYear, Publication, Transaction
from tests import factories as f
from tests.projects.money_factories import BudgetFactory, TransactionFactory

pytestmark = pytest.mark.django_db


def stored(project):
    """{year: (budget, committed, disbursed)} as stored for a project."""
    rows = ProjectMoneyYear.objects.filter(project=project).values_list("year", *stored_figures.YEAR_FIELDS)
    return {year: tuple(values) for year, *values in rows}


def assert_in_step():
    """What is stored is what the budgets and transactions add up to now, for every project."""
    assert stored_figures.stale_years() == []


def test_every_money_write_keeps_the_years_in_step():
    project, other = f.ProjectFactory(), f.ProjectFactory()
    original = BudgetFactory(project=project, amount=Decimal("5000"))
    assert stored(project) == {2025: (Decimal("5000.00"), None, None)}
    # A revised budget for the same period replaces the original.
    revised = BudgetFactory(project=project, amount=Decimal("6000"), kind=Budget.Kind.REVISED)
    assert stored(project)[2025][0] == Decimal("6000.00")
    commitment = TransactionFactory(project=project, amount=Decimal("4000"))
    draft = TransactionFactory(
        project=project, kind="disbursement", amount=Decimal("900"), publication=Publication.DRAFT
    )
    assert stored(project) == {2025: (Decimal("6000.00"), Decimal("4000.00"), None)}
    # Published: it counts, in the year of its date.
    draft.publication, draft.date = Publication.PUBLISHED, datetime.date(2026, 2, 1)
    draft.save()
    assert stored(project)[2026] == (None, None, Decimal("900.00"))
    assert_in_step()
    # Moved to another project: both sides follow.
    commitment.project = other
    commitment.save()
    assert stored(project)[2025] == (Decimal("6000.00"), None, None)
    assert stored(other) == {2025: (None, Decimal("4000.00"), None)}
    # Bulk writes (the admin's actions) too.
    Transaction.objects.filter(project=project).update(publication=Publication.SUBMITTED)
    assert 2026 not in stored(project)
    revised.delete()
    assert stored(project)[2025][0] == Decimal("5000.00")
    Budget.objects.filter(pk=original.pk).delete()
    assert stored(project) == {}
    assert_in_step()


def test_a_new_rate_moves_the_years_of_that_currency():
    project = f.ProjectFactory()
    ExchangeRate.objects.create(
        currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("500"), source="t"
    )
    BudgetFactory(project=project, amount=Decimal("1000000"), currency="KZT")
    assert stored(project)[2025][0] == Decimal("2000.00")
    ExchangeRate.objects.create(
        currency="KZT", date=datetime.date(2024, 6, 1), units_per_usd=Decimal("400"), source="t"
    )
    assert stored(project)[2025][0] == Decimal("2500.00")
    assert_in_step()


def test_deleting_a_project_deletes_its_years():
    project = f.ProjectFactory()
    BudgetFactory(project=project)
    Project.objects.filter(pk=project.pk).delete()
    assert not ProjectMoneyYear.objects.exists()


def test_check_names_a_project_whose_years_are_stale_and_the_recompute_repairs_it():
    project = f.ProjectFactory()
    TransactionFactory(project=project, amount=Decimal("4000"))
    ProjectMoneyYear.objects.filter(project=project).update(committed_usd=Decimal("1"))
    with pytest.raises(CommandError, match=f"money per year: {project.code}"):
        call_command("recompute_figures", "--check", stdout=StringIO())
    ProjectMoneyYear.objects.all().delete()
    with pytest.raises(CommandError, match=project.code):
        call_command("recompute_figures", "--check", stdout=StringIO())
    call_command("recompute_figures", stdout=StringIO())
    call_command("recompute_figures", "--check", stdout=StringIO())
    assert stored(project) == {2025: (None, Decimal("4000.00"), None)}
