"""Factories for budgets and transactions (kept apart from tests/factories.py to ease merges)."""

import datetime
from decimal import Decimal

import factory

from projects.models import Budget, Publication, Transaction
from tests.factories import ProjectFactory


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    project = factory.SubFactory(ProjectFactory)
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 12, 31)
    amount = Decimal("1000000")
    currency = "USD"


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    project = factory.SubFactory(ProjectFactory)
    kind = Transaction.Kind.COMMITMENT
    date = datetime.date(2025, 3, 1)
    amount = Decimal("500000")
    currency = "USD"
    publication = Publication.PUBLISHED
