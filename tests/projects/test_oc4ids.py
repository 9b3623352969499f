"""An OC4IDS project record carries the project's money and results: budgets in force by period,
published commitments as finance, published money that moved as transactions with their parties,
and each indicator's target, baseline and published actual values; drafts never appear."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Indicator, IndicatorValue, Project, Publication, Result, Transaction
from tests import factories as f
from tests.projects.money_factories import BudgetFactory, TransactionFactory
from tests.projects.test_opendata import OC4IDS_LIST, oc4ids, seed

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 3, 1)
END = datetime.date(2027, 6, 30)


def record(api, code):
    """The one project of the code's package, after the package validated against the schema."""
    (project,) = oc4ids(api.get(f"/api/v1/oc4ids/projects/{code}.json"))["projects"]
    return project


def money_project():
    project = f.ProjectFactory(code="KZUZ-700", investment_amount=Decimal("27000000000"), investment_currency="KZT")
    bank = f.OrganisationFactory(name="Development Bank of Kazakhstan", country__code="KZ")
    builder = f.OrganisationFactory(name="Uzbekistan Railways")
    f.ParticipantFactory(project=project, organisation=bank, role="financier")
    hidden = f.OrganisationFactory(name="Only on a draft")
    BudgetFactory(project=project, amount=Decimal("9000000000"), currency="KZT", description="Works of 2025")
    for kind, amount in (("original", "12000000000"), ("revised", "13500000000.50")):
        BudgetFactory(
            project=project,
            kind=kind,
            status="committed",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            amount=Decimal(amount),
            currency="KZT",
        )
    common = {"project": project, "currency": "KZT"}
    moves = {
        "commitment": TransactionFactory(
            **common, kind="commitment", date=START, amount=Decimal("20000000000"), provider=bank, receiver=builder
        ),
        "disbursement": TransactionFactory(
            **common,
            kind="disbursement",
            date=datetime.date(2025, 6, 2),
            amount=Decimal("5000000000.25"),
            provider=bank,
            receiver=builder,
        ),
        "expenditure": TransactionFactory(
            **common,
            kind="expenditure",
            date=datetime.date(2025, 9, 15),
            amount=Decimal("1200000000"),
            provider=builder,
            receiver_name="Contractor LLP",
        ),
        "incoming": TransactionFactory(
            project=project,
            kind="incoming_funds",
            date=datetime.date(2025, 10, 1),
            amount=Decimal("750000"),
            currency="USD",
            provider_name="Contractor LLP",
        ),
    }
    TransactionFactory(**common, kind="disbursement", amount=Decimal("99"), provider=hidden, publication="draft")
    TransactionFactory(**common, kind="commitment", amount=Decimal("98"), provider=hidden, publication="submitted")
    return project, bank, builder, moves


def test_a_record_carries_budgets_in_force_commitments_and_published_transactions_only(api):
    project, bank, builder, moves = money_project()
    contractor = record(api, "KZUZ-700")

    budget = contractor["budget"]
    assert budget["amount"] == {"amount": 27000000000, "currency": "KZT"}
    (periods,) = budget["budgetBreakdowns"]
    # 2026's revised budget replaces its original one.
    assert [(b["period"]["startDate"], b["amount"], b["description"]) for b in periods["budgetBreakdown"]] == [
        (
            "2025-01-01T00:00:00Z",
            {"amount": 9000000000, "currency": "KZT"},
            "Original budget, indicative. Works of 2025",
        ),
        ("2026-01-01T00:00:00Z", {"amount": 13500000000.5, "currency": "KZT"}, "Revised budget, committed."),
    ]
    assert periods["budgetBreakdown"][1]["period"]["endDate"] == "2026-12-31T00:00:00Z"

    bank_ref = {"id": str(bank.pk), "name": "Development Bank of Kazakhstan"}
    builder_ref = {"id": str(builder.pk), "name": "Uzbekistan Railways"}
    assert budget["finance"] == [
        {
            "id": str(moves["commitment"].pk),
            "title": "Commitment of 2025-03-01",
            "value": {"amount": 20000000000, "currency": "KZT"},
            "financingParty": bank_ref,
        }
    ]
    contractor_id = contractor["transactions"][1]["payee"]["id"]
    assert contractor["transactions"] == [
        {
            "id": str(moves["disbursement"].pk),
            "date": "2025-06-02T00:00:00Z",
            "value": {"amount": 5000000000.25, "currency": "KZT"},
            "payer": bank_ref,
            "payee": builder_ref,
        },
        {
            "id": str(moves["expenditure"].pk),
            "date": "2025-09-15T00:00:00Z",
            "value": {"amount": 1200000000, "currency": "KZT"},
            "payer": builder_ref,
            "payee": {"id": contractor_id, "name": "Contractor LLP"},
        },
        {
            "id": str(moves["incoming"].pk),
            "date": "2025-10-01T00:00:00Z",
            "value": {"amount": 750000, "currency": "USD"},
            "payer": {"id": contractor_id, "name": "Contractor LLP"},
        },
    ]
    # Every party a transaction names is listed once, with each role it plays; the draft's is not.
    assert {party["id"]: (party["name"], party["roles"]) for party in contractor["parties"]} == {
        str(bank.pk): ("Development Bank of Kazakhstan", ["funder", "payer"]),
        str(builder.pk): ("Uzbekistan Railways", ["payee", "payer"]),
        contractor_id: ("Contractor LLP", ["payee", "payer"]),
    }
    assert next(p for p in contractor["parties"] if p["id"] == str(bank.pk))["address"] == {"countryName": "Kazakhstan"}
    assert b"Only on a draft" not in api.get("/api/v1/oc4ids/projects/KZUZ-700.json").content


def test_a_name_typed_on_a_transaction_keeps_its_party_id_across_projects(api):
    money_project()
    first = record(api, "KZUZ-700")
    other = f.ProjectFactory(code="KZUZ-701")
    TransactionFactory(project=other, kind="disbursement", provider_name="Contractor LLP")
    (party,) = record(api, "KZUZ-701")["parties"]
    assert party["id"] == first["transactions"][1]["payee"]["id"]
    assert party["roles"] == ["payer"]


def indicator_project():
    project = f.ProjectFactory(code="KZUZ-710")
    railway = Result.objects.create(project=project, kind="output", title="Railway built", title_ru="Дорога построена")
    track = Indicator.objects.create(
        result=railway,
        title="Track laid",
        unit="km",
        baseline_value=0,
        baseline_date=START,
        baseline_comment="No track before the works",
        target_value=Decimal("152.5"),
        target_date=END,
    )
    published = IndicatorValue.objects.create(
        indicator=track,
        period_start=START,
        period_end=datetime.date(2025, 12, 31),
        value=40,
        comment="First section",
        publication=Publication.PUBLISHED,
    )
    IndicatorValue.objects.create(
        indicator=track,
        period_start=datetime.date(2026, 1, 1),
        period_end=END,
        value=99,
        publication=Publication.SUBMITTED,
    )
    trade = Result.objects.create(project=project, kind="outcome", title="Cheaper freight", order=1)
    cost = Indicator.objects.create(
        result=trade,
        title="Share of freight by road",
        measure="percentage",
        ascending=False,
        baseline_value=80,
        baseline_date=START,
        target_value=50,
        target_date=END,
    )
    opened = Indicator.objects.create(result=trade, title="Border crossing open", measure="yes_no", order=1)
    IndicatorValue.objects.create(
        indicator=opened, period_start=START, period_end=START, value=1, publication=Publication.PUBLISHED
    )
    story = Indicator.objects.create(result=trade, title="Traders' view", measure="qualitative", order=2)
    told = IndicatorValue.objects.create(
        indicator=story,
        period_start=START,
        period_end=END,
        narrative="Queues are shorter",
        publication=Publication.PUBLISHED,
    )
    return project, (track, cost, opened, story), (published, told)


def test_a_record_carries_targets_as_forecasts_and_baselines_and_published_values_as_metrics(api):
    _project, (track, cost, opened, story), (published, told) = indicator_project()
    project = record(api, "KZUZ-710")
    km = {"name": "km"}
    percent = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}
    track_period = {"startDate": "2025-03-01T00:00:00Z", "endDate": "2027-06-30T00:00:00Z"}
    assert project["forecasts"] == [
        {
            "id": f"indicator-{track.pk}",
            "title": "Track laid",
            "description": "Output: Railway built.",
            "observations": [{"id": "target", "period": track_period, "measure": 152.5, "unit": km}],
        },
        {
            "id": f"indicator-{cost.pk}",
            "title": "Share of freight by road",
            "description": "Outcome: Cheaper freight. Lower is better.",
            "observations": [{"id": "target", "period": track_period, "measure": 50, "unit": percent}],
        },
    ]
    metrics = {metric["id"]: metric for metric in project["metrics"]}
    assert list(metrics) == [f"indicator-{i.pk}" for i in (track, cost, opened, story)]
    baseline_day = {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-03-01T00:00:00Z"}
    assert metrics[f"indicator-{track.pk}"]["observations"] == [
        {
            "id": "baseline",
            "period": baseline_day,
            "measure": 0,
            "unit": km,
            "notes": "Baseline: No track before the works",
        },
        {
            "id": f"value-{published.pk}",
            "period": {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-12-31T00:00:00Z"},
            "measure": 40,
            "unit": km,
            "notes": "First section",
        },
    ]  # the submitted value of 99 waits for review and is not there
    assert metrics[f"indicator-{cost.pk}"]["observations"] == [
        {"id": "baseline", "period": baseline_day, "measure": 80, "unit": percent, "notes": "Baseline"}
    ]
    assert [o["measure"] for o in metrics[f"indicator-{opened.pk}"]["observations"]] == ["yes"]
    assert metrics[f"indicator-{opened.pk}"]["description"] == "Outcome: Cheaper freight. Measured as yes or no."
    assert metrics[f"indicator-{story.pk}"]["observations"] == [
        {"id": f"value-{told.pk}", "period": track_period, "measure": "Queues are shorter"}
    ]


def test_an_indicator_without_target_or_values_is_listed_without_observations(api):
    project = f.ProjectFactory(code="KZUZ-720")
    result = Result.objects.create(project=project, title="Study done")
    empty = Indicator.objects.create(result=result, title="Report accepted", measure="yes_no")
    IndicatorValue.objects.create(indicator=empty, period_start=START, period_end=START, value=1)  # a draft
    found = record(api, "KZUZ-720")
    assert "forecasts" not in found
    assert found["metrics"] == [
        {
            "id": f"indicator-{empty.pk}",
            "title": "Report accepted",
            "description": "Output: Study done. Measured as yes or no.",
        }
    ]


def test_a_project_without_money_or_results_has_none_of_their_fields(api):
    f.ProjectFactory(code="KZUZ-730", investment_amount=None)
    found = record(api, "KZUZ-730")
    assert not {"budget", "transactions", "forecasts", "metrics", "parties"} & set(found)


def test_the_demo_portfolio_carries_its_published_money_and_results(api):
    seed()
    seed("--demo")
    package = oc4ids(api.get(OC4IDS_LIST, {"demo": "demo"}))
    demo = Project.objects.published().filter(demo=True)
    published = Transaction.objects.published().filter(project__in=demo)
    listed = [t["id"] for p in package["projects"] for t in p.get("transactions", [])]
    listed += [c["id"] for p in package["projects"] for c in p.get("budget", {}).get("finance", [])]
    assert listed and sorted(listed) == sorted(str(pk) for pk in published.values_list("pk", flat=True))
    drafts = Transaction.objects.filter(project__in=demo).exclude(publication=Publication.PUBLISHED)
    assert drafts.exists()  # the demo keeps some disbursements waiting for review: none is listed
    values = [o["id"] for p in package["projects"] for m in p.get("metrics", []) for o in m.get("observations", [])]
    public_values = IndicatorValue.objects.filter(
        indicator__result__project__in=demo, publication=Publication.PUBLISHED
    ).values_list("pk", flat=True)
    assert public_values and sorted(v for v in values if v.startswith("value-")) == sorted(
        f"value-{pk}" for pk in public_values
    )
    assert any("forecasts" in p for p in package["projects"])


@pytest.mark.parametrize("count", [2, 12])
def test_one_project_costs_the_same_queries_whatever_its_money_and_results(api, django_assert_num_queries, count):
    project = f.ProjectFactory(code="KZUZ-740")
    for n in range(count):
        # The investor takes part; the receiver is named only on the transaction (its own party).
        organisation = f.ParticipantFactory(project=project).organisation
        f.LocationFactory(project=project)
        BudgetFactory(
            project=project, period_start=datetime.date(2020 + n, 1, 1), period_end=datetime.date(2020 + n, 12, 31)
        )
        TransactionFactory(
            project=project, kind="disbursement", provider=organisation, receiver=f.OrganisationFactory()
        )
        result = Result.objects.create(project=project, title=f"Result {n}")
        indicator = Indicator.objects.create(result=result, title="Jobs", target_value=10, baseline_date=START)
        IndicatorValue.objects.create(
            indicator=indicator, period_start=START, period_end=END, value=n, publication=Publication.PUBLISHED
        )
    # The project (working group and commission joined), participants, published transactions,
    # the organisations of both (with their countries), locations, their countries, sectors,
    # documents, budgets, published values, indicators, results and the default commission
    # (the publisher's name).
    with django_assert_num_queries(13):
        found = record(api, "KZUZ-740")
    assert len(found["transactions"]) == count and len(found["metrics"]) == count
    assert len(found["locations"]) == count
    assert sum("address" in party for party in found["parties"]) == 2 * count
