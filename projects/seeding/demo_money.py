"""Budgets and transactions of the demo projects: deterministic per project code, inserted in bulk.

A project that has started gets a budget per calendar year of its plan (the current year's
sometimes revised), a commitment when it started and disbursements and expenditures in the
years since. Its own random stream (seeded by the code) keeps the rest of the demo unchanged.
"""

import datetime
import random
from decimal import Decimal

from ..models import Budget, Publication, Transaction

CENT = Decimal("0.01")


def money_for(project, orgs, today):
    """The (budgets, transactions) of one new demo project, not saved."""
    if project.investment_amount is None or project.actual_start is None:
        return [], []
    rng = random.Random(f"money-{project.code}")
    amount, currency = project.investment_amount, project.investment_currency
    first, last = project.planned_start.year, min(project.planned_end.year, today.year + 1)
    years = list(range(first, last + 1)) or [first]
    budgets = []
    for year in years:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        share = (amount / len(years)).quantize(CENT)
        status = Budget.Status.COMMITTED if year <= today.year else Budget.Status.INDICATIVE
        budgets.append(_budget(project, Budget.Kind.ORIGINAL, status, start, end, share, currency))
        if year == today.year and rng.random() < 0.25:
            revised = (share * Decimal(rng.choice(["0.9", "1.1", "1.2"]))).quantize(CENT)
            budgets.append(_budget(project, Budget.Kind.REVISED, status, start, end, revised, currency))
    provider, receiver = rng.sample(orgs, 2)
    committed = (amount * Decimal(rng.randint(60, 100)) / 100).quantize(CENT)
    reviewed = Publication.PUBLISHED if project.publication == Publication.PUBLISHED else Publication.DRAFT
    moves = [_move(project, Transaction.Kind.COMMITMENT, project.actual_start, committed, provider, receiver, reviewed)]
    paid = Decimal(0)
    for year in range(project.actual_start.year, today.year + 1):
        day = max(project.actual_start, datetime.date(year, rng.randint(2, 11), rng.randint(1, 28)))
        if day > today:
            break
        step = (committed * Decimal(rng.randint(5, 35)) / 100).quantize(CENT)
        step = min(step, committed - paid)
        if step <= 0:
            break
        paid += step
        # The latest disbursement of a few projects still waits for review.
        state = Publication.DRAFT if year == today.year and rng.random() < 0.15 else reviewed
        moves.append(_move(project, Transaction.Kind.DISBURSEMENT, day, step, provider, receiver, state))
        spent = (step * Decimal(rng.randint(50, 95)) / 100).quantize(CENT)
        moves.append(_move(project, Transaction.Kind.EXPENDITURE, day, spent, receiver, None, state))
    return budgets, moves


def _budget(project, kind, status, start, end, amount, currency):
    return Budget(
        project=project,
        kind=kind,
        status=status,
        period_start=start,
        period_end=end,
        value_date=start,
        amount=amount,
        currency=currency,
        description="Demo budget (fictional).",
        description_en="Demo budget (fictional).",
    )


def _move(project, kind, day, amount, provider, receiver, publication):
    return Transaction(
        project=project,
        kind=kind,
        date=day,
        value_date=day,
        amount=amount,
        currency=project.investment_currency,
        provider=provider,
        receiver=receiver,
        description="Demo transaction (fictional).",
        description_en="Demo transaction (fictional).",
        publication=publication,
    )
