"""The budgets and transactions endpoints: what the public sees, USD figures, filters, writes and review."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Publication, Transaction
from tests import factories as f
from tests.helpers import assert_error, client_for
from tests.projects.money_factories import BudgetFactory, TransactionFactory

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def test_public_sees_published_transactions_of_published_projects_with_usd(api):
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    project = f.ProjectFactory()
    shown = TransactionFactory(project=project, kind="disbursement", amount=Decimal("1000000"), currency="KZT")
    TransactionFactory(project=project, publication=Publication.SUBMITTED)
    TransactionFactory(project=f.ProjectFactory(publication=Publication.DRAFT))
    (row,) = rows(api.get("/api/v1/transactions/"))
    assert (row["id"], row["kind"], row["currency"]) == (shown.pk, "disbursement", "KZT")
    assert (row["amount"], row["amount_usd"], row["usd_rate"]) == ("1000000.00", "2000.00", "500.000000")
    assert row["project"] == project.slug and row["publication"] == "published"


def test_public_sees_budgets_of_published_projects_only(api):
    project = f.ProjectFactory()
    budget = BudgetFactory(project=project, amount=Decimal("250000"))
    BudgetFactory(project=f.ProjectFactory(publication=Publication.DRAFT))
    (row,) = rows(api.get("/api/v1/budgets/"))
    assert (row["id"], row["amount_usd"], row["period_start"]) == (budget.pk, "250000.00", "2025-01-01")


def test_filters_by_project_kind_and_year_and_refuse_bad_values(api):
    project = f.ProjectFactory()
    TransactionFactory(project=project, kind="commitment", date=datetime.date(2024, 5, 1))
    wanted = TransactionFactory(project=project, kind="disbursement", date=datetime.date(2025, 5, 1))
    TransactionFactory(kind="disbursement", date=datetime.date(2025, 6, 1))
    query = {"project": project.slug, "kind": "disbursement", "year": 2025}
    assert [row["id"] for row in rows(api.get("/api/v1/transactions/", query))] == [wanted.pk]
    assert len(rows(api.get("/api/v1/transactions/", {"date_from": "2025-01-01"}))) == 2
    assert_error(api.get("/api/v1/transactions/", {"kind": "gift"}), 400, "kind")
    assert_error(api.get("/api/v1/transactions/", {"year": "2025.5"}), 400, "year")
    assert_error(api.get("/api/v1/budgets/", {"year": "soon"}), 400, "year")


@pytest.mark.parametrize("count", [3, 30])
def test_lists_do_not_grow_in_queries(api, django_assert_num_queries, count):
    project = f.ProjectFactory()
    for _ in range(count):
        TransactionFactory(project=project)
        BudgetFactory(project=project)
    with django_assert_num_queries(2):
        assert api.get("/api/v1/transactions/", {"page_size": 100}).json()["count"] == count
    with django_assert_num_queries(2):
        assert api.get("/api/v1/budgets/", {"page_size": 100}).json()["count"] == count


def test_an_editor_records_a_transaction_the_secretariat_publishes(make_editor, secretariat, api):
    project = f.ProjectFactory()
    editor = make_editor(project.working_group)
    body = {"project": project.slug, "kind": "disbursement", "date": "2025-04-01", "amount": "75000", "currency": "USD"}
    created = client_for(editor).post("/api/v1/transactions/", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["publication"], created.json()["amount_usd"]) == ("draft", "75000.00")
    pk = created.json()["id"]
    assert rows(api.get("/api/v1/transactions/")) == []
    assert client_for(editor).post(f"/api/v1/transactions/{pk}/submit/").json()["publication"] == "submitted"
    assert client_for(editor).post(f"/api/v1/transactions/{pk}/publish/").status_code == 403
    assert client_for(secretariat).post(f"/api/v1/transactions/{pk}/publish/").json()["publication"] == "published"
    assert [row["id"] for row in rows(api.get("/api/v1/transactions/"))] == [pk]


def test_bad_writes_get_clear_messages_and_change_nothing(make_editor):
    project = f.ProjectFactory()
    editor = make_editor(project.working_group)
    writer = client_for(editor)
    bad = {"project": project.slug, "kind": "gift", "date": "2025-04-01", "amount": "-5", "currency": "XX"}
    assert_error(writer.post("/api/v1/transactions/", bad, format="json"), 400, "kind", "amount", "currency")
    publish_itself = {**bad, "kind": "commitment", "amount": "5", "currency": "USD", "publication": "published"}
    assert_error(writer.post("/api/v1/transactions/", publish_itself, format="json"), 400, "publication")
    long_budget = {
        "project": project.slug,
        "period_start": "2025-01-01",
        "period_end": "2026-06-30",
        "amount": "10",
        "currency": "USD",
    }
    assert_error(writer.post("/api/v1/budgets/", long_budget, format="json"), 400, "period_end")
    assert Transaction.objects.count() == 0 and project.budgets.count() == 0


def test_an_editor_of_another_group_cannot_write_to_the_project(make_editor):
    project = f.ProjectFactory()
    outsider = client_for(make_editor(f.WorkingGroupFactory()))
    body = {"project": project.slug, "kind": "commitment", "date": "2025-04-01", "amount": "5", "currency": "USD"}
    assert outsider.post("/api/v1/transactions/", body, format="json").status_code in (400, 403)
    budget = BudgetFactory(project=project)
    assert outsider.patch(f"/api/v1/budgets/{budget.pk}/", {"amount": "1"}, format="json").status_code in (403, 404)
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000000") and Transaction.objects.count() == 0


def test_an_organisation_named_only_in_another_groups_draft_transaction_stays_hidden(make_editor):
    draft = f.ProjectFactory(publication=Publication.DRAFT)
    secret = f.OrganisationFactory(name="Unannounced lender")
    TransactionFactory(project=draft, provider=secret, publication=Publication.DRAFT)
    own = f.ProjectFactory()
    editor = client_for(make_editor(own.working_group))
    names = [row["name"] for row in rows(editor.get("/api/v1/organisations/", {"page_size": 500}))]
    assert "Unannounced lender" not in names
    body = {"project": own.slug, "kind": "commitment", "date": "2025-04-01", "amount": "5", "provider": secret.pk}
    assert_error(editor.post("/api/v1/transactions/", body, format="json"), 400, "provider")
    # Once the project is published the lender is public, and the editor may name it too.
    Transaction.objects.filter(project=draft).update(publication=Publication.PUBLISHED)
    draft.publication = Publication.PUBLISHED
    draft.save()
    assert editor.post("/api/v1/transactions/", body, format="json").status_code == 201
