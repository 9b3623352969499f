"""Budgets and transactions: validation, stored USD equivalents, project totals."""

import datetime
from decimal import Decimal

import pytest

from projects import stored_figures
from projects.models import Budget, ExchangeRate, Project, ProjectFigures, Publication, Transaction
from tests.factories import ExchangeRateFactory, ProjectFactory
from tests.helpers import field_errors, refused_by_db

from .money_factories import BudgetFactory, TransactionFactory

pytestmark = pytest.mark.django_db


def figures(project):
    return ProjectFigures.objects.get(project=project)


def test_a_budget_period_longer_than_a_year_is_refused_with_the_last_allowed_day():
    budget = BudgetFactory.build(
        project=ProjectFactory(), period_start=datetime.date(2025, 3, 1), period_end=datetime.date(2026, 3, 1)
    )
    errors = field_errors(budget)
    assert "at most one year" in errors["period_end"][0]
    assert "2026-02-28" in errors["period_end"][0]
    budget.period_end = datetime.date(2026, 2, 28)
    budget.full_clean()


def test_a_budget_ending_before_it_starts_is_refused():
    budget = BudgetFactory.build(
        project=ProjectFactory(), period_start=datetime.date(2025, 3, 1), period_end=datetime.date(2025, 2, 1)
    )
    assert "before the start" in field_errors(budget)["period_end"][0]


def test_negative_amounts_and_unknown_currencies_are_refused_by_model_and_database():
    project = ProjectFactory()
    errors = field_errors(TransactionFactory.build(project=project, amount=Decimal("-1"), currency="XYZ"))
    assert set(errors) >= {"amount", "currency"}
    refused_by_db(lambda: TransactionFactory(project=project, amount=Decimal("-1")))
    refused_by_db(lambda: BudgetFactory(project=project, currency="XYZ"))


def test_an_unknown_kind_of_transaction_is_refused():
    errors = field_errors(TransactionFactory.build(project=ProjectFactory(), kind="gift"))
    assert "kind" in errors
    refused_by_db(lambda: TransactionFactory(kind="gift"))


def test_usd_is_stored_on_save_at_the_value_date_rate():
    project = ProjectFactory()
    ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 6, 1), units_per_usd=Decimal("400"))
    early = TransactionFactory(
        project=project, currency="KZT", amount=Decimal("1000000"), date=datetime.date(2025, 3, 1)
    )
    late = TransactionFactory(
        project=project, currency="KZT", amount=Decimal("1000000"), date=datetime.date(2025, 7, 1)
    )
    assert early.value_date == datetime.date(2025, 3, 1)
    assert (early.usd_rate, early.amount_usd) == (Decimal("500"), Decimal("2000.00"))
    assert Transaction.objects.get(pk=late.pk).amount_usd == Decimal("2500.00")
    budget = BudgetFactory(project=project, currency="KZT", amount=Decimal("800000"))
    assert budget.value_date == budget.period_start
    assert budget.amount_usd == Decimal("1600.00")


def test_usd_needs_no_rate_and_no_rate_gives_no_usd():
    usd = TransactionFactory(currency="USD", amount=Decimal("123.45"))
    assert (usd.usd_rate, usd.amount_usd) == (Decimal("1"), Decimal("123.45"))
    unpriced = TransactionFactory(currency="EUR", amount=Decimal("100"))
    assert unpriced.usd_rate is None and unpriced.amount_usd is None


def test_a_rate_change_refreshes_budgets_and_transactions_of_its_currency():
    rate = ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    move = TransactionFactory(currency="KZT", amount=Decimal("1000000"))
    budget = BudgetFactory(project=move.project, currency="KZT", amount=Decimal("1000000"))
    assert figures(move.project).committed_usd == Decimal("2000.00")
    rate.units_per_usd = Decimal("250")
    rate.save()
    assert Transaction.objects.get(pk=move.pk).amount_usd == Decimal("4000.00")
    assert Budget.objects.get(pk=budget.pk).amount_usd == Decimal("4000.00")
    assert figures(move.project).committed_usd == Decimal("4000.00")
    assert figures(move.project).budget_usd == Decimal("4000.00")
    ExchangeRate.objects.filter(pk=rate.pk).delete()
    assert Transaction.objects.get(pk=move.pk).amount_usd is None
    assert figures(move.project).committed_usd is None


def test_real_projects_use_real_rates_only_and_demo_projects_demo_ones_too():
    ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"), demo=True)
    real = TransactionFactory(project=ProjectFactory(demo=False), currency="KZT", amount=Decimal("1000"))
    demo = TransactionFactory(project=ProjectFactory(demo=True), currency="KZT", amount=Decimal("1000"))
    assert real.amount_usd is None
    assert demo.amount_usd == Decimal("2.00")
    # A real rate afterwards prices the real project; turning the demo project real drops its demo rate.
    ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("400"))
    assert Transaction.objects.get(pk=real.pk).amount_usd == Decimal("2.50")
    project = Project.objects.get(pk=demo.project_id)
    project.demo = False
    project.save()
    assert Transaction.objects.get(pk=demo.pk).amount_usd == Decimal("2.50")


def test_project_totals_count_published_transactions_and_budgets_in_force():
    project = ProjectFactory()
    TransactionFactory(project=project, kind="commitment", amount=Decimal("1000"))
    TransactionFactory(project=project, kind="commitment", amount=Decimal("5000"), publication=Publication.DRAFT)
    TransactionFactory(project=project, kind="disbursement", amount=Decimal("400"))
    TransactionFactory(project=project, kind="expenditure", amount=Decimal("300"))
    BudgetFactory(project=project, amount=Decimal("2000"))
    BudgetFactory(project=project, amount=Decimal("2500"), kind=Budget.Kind.REVISED)
    BudgetFactory(
        project=project,
        amount=Decimal("700"),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    stored = figures(project)
    assert (stored.committed_usd, stored.disbursed_usd, stored.budget_usd) == (
        Decimal("1000.00"),
        Decimal("400.00"),
        Decimal("3200.00"),
    )
    assert stored_figures.stale() == []


def test_bulk_deletes_and_moves_refresh_the_totals():
    first, second = ProjectFactory(), ProjectFactory()
    move = TransactionFactory(project=first, amount=Decimal("1000"))
    move.project = second
    move.save()
    assert figures(first).committed_usd is None
    assert figures(second).committed_usd == Decimal("1000.00")
    Transaction.objects.filter(project=second).update(amount=Decimal("10"))
    assert figures(second).committed_usd == Decimal("10.00")
    assert Transaction.objects.get(pk=move.pk).amount_usd == Decimal("10.00")
    Transaction.objects.filter(project=second).delete()
    assert figures(second).committed_usd is None
