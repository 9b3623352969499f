"""Entering results and money in the admin: the lists of budgets and transactions, the project form's
way to an indicator's new value, an editor's inline transaction on a published project, the forms'
languages (found by tests/browser/test_results_money_browser.py)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.models import PendingChange
from projects.models import Indicator, IndicatorValue, Project, Publication, Result, Transaction
from tests import factories as f
from tests.helpers import admin_url

from .money_factories import BudgetFactory, TransactionFactory
from .test_admin import project_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(make_editor, secretariat):
    group = f.WorkingGroupFactory(name="Transport group")
    project = f.ProjectFactory(working_group=group, sectors=[f.SectorFactory()])
    f.ParticipantFactory(project=project)
    f.LocationFactory(project=project)
    return {"project": project, "editor": make_editor(group, username="editor"), "secretariat": secretariat}


def add_indicators(project, count):
    result = Result.objects.create(project=project, title="Track laid")
    return [Indicator.objects.create(result=result, title=f"Indicator {n}", target_value=10) for n in range(count)]


def get_page(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("role", ["secretariat", "editor"])
def test_budget_and_transaction_lists_show_each_rows_usd_equivalent(client, desk, role):
    project = desk["project"]
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    BudgetFactory(project=project, amount=Decimal("3000000"), currency="KZT")
    TransactionFactory(project=project, amount=Decimal("1000000"), currency="KZT", provider_name="Halyk")
    TransactionFactory(project=project, amount=Decimal("700"), currency="EUR", provider_name="Euro bank")
    client.force_login(desk[role])
    # Both lists were a server error as soon as they had a row.
    budgets, _ = get_page(client, admin_url(project.budgets.model, "changelist"))
    assert re.search(r'<td class="field-usd_column">6,000</td>', budgets)
    moves, _ = get_page(client, admin_url(Transaction, "changelist"))
    assert re.search(r'<td class="field-usd_column">2,000</td>', moves)
    assert re.search(r'<td class="field-usd_column">no rate</td>', moves)


def test_transaction_list_queries_do_not_grow_with_rows(client, desk):
    client.force_login(desk["secretariat"])
    path = admin_url(Transaction, "changelist")
    TransactionFactory(project=desk["project"], provider=f.OrganisationFactory())
    _, few = get_page(client, path)
    for _n in range(20):
        TransactionFactory(project=desk["project"], provider=f.OrganisationFactory(), receiver=f.OrganisationFactory())
    page, many = get_page(client, path)
    assert page.count('class="action-select"') == 21
    assert many == few


def inline_transaction(project, **fields):
    row = {
        "kind": "disbursement",
        "date": "2025-06-01",
        "amount": "2500",
        "currency": "USD",
        "provider_name": "A bank",
        "receiver_name": "",
        "description_en": "First tranche",
        **fields,
    }
    data = {f"transactions-0-{name}": value for name, value in row.items()}
    return {**data, "transactions-TOTAL_FORMS": 1, "transactions-0-project": project.pk}


def test_editor_adding_a_transaction_to_a_published_project_holds_no_change(client, desk):
    project = desk["project"]
    # A translation nobody has written is NULL and comes back empty; the amount comes back as typed.
    assert project.summary_ru is None
    assert str(project.investment_amount) == "1000000"
    client.force_login(desk["editor"])
    data = {**project_form_data(project, summary_ru="", description_kk=""), **inline_transaction(project)}
    response = client.post(admin_url(project, "change", project.pk), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "was changed successfully" in page
    assert "waits for the secretariat" not in page and 'id="pending-change"' not in page
    assert not PendingChange.objects.exists()
    move = Transaction.objects.get(project=project)
    assert (move.publication, move.amount_usd) == (Publication.DRAFT, Decimal("2500.00"))


def test_editors_change_to_a_published_project_holds_only_what_they_changed(client, desk):
    project = desk["project"]
    client.force_login(desk["editor"])
    data = project_form_data(project, title_en="A new title", summary_ru="", description_kk="")
    page = client.post(admin_url(project, "change", project.pk), data, follow=True).content.decode()
    assert "waits for the secretariat" in page
    assert PendingChange.objects.get().values == {"title_en": "A new title"}
    assert Project.objects.get(pk=project.pk).title_en == project.title_en


def test_project_form_links_each_indicator_to_a_new_value_for_it(client, desk):
    project = desk["project"]
    client.force_login(desk["editor"])
    page, _ = get_page(client, admin_url(project, "change", project.pk))
    assert "No results or indicators yet." in page
    assert f'href="{admin_url(Result, "add")}?project={project.pk}"' in page
    track = add_indicators(project, 1)[0]
    page, _ = get_page(client, admin_url(project, "change", project.pk))
    add_value = f"{admin_url(IndicatorValue, 'add')}?indicator={track.pk}"
    assert f'<a href="{add_value}">Add an actual value</a>' in page
    # The link opens the value's form with the indicator chosen.
    form, _ = get_page(client, add_value)
    assert re.search(rf'<option value="{track.pk}" selected>Indicator 0</option>', form)


def test_project_forms_indicator_list_costs_one_query_however_many(client, desk):
    project = desk["project"]
    client.force_login(desk["editor"])
    add_indicators(project, 1)
    _, one = get_page(client, admin_url(project, "change", project.pk))
    add_indicators(project, 6)
    page, seven = get_page(client, admin_url(project, "change", project.pk))
    assert page.count("Add an actual value") == 7
    assert seven == one


@pytest.mark.parametrize("model, name", [(IndicatorValue, "comment"), (Transaction, "description")])
def test_value_and_transaction_forms_open_on_the_main_language(client, desk, model, name):
    client.force_login(desk["editor"])
    form, _ = get_page(client, admin_url(model, "add"))
    folded = form.index("Translation: Russian")
    assert form.index(f'id="id_{name}_en"') < folded < form.index(f'id="id_{name}_ru"')
