"""Money on the public site, the API, the directory, the admin and in the demo portfolio."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from partnership.permissions import can_write
from partnership.workflow import transition
from projects.models import Budget, Project, Publication, Transaction
from tests.factories import (
    CountryFactory,
    ExchangeRateFactory,
    LocationFactory,
    ProjectFactory,
    SectorFactory,
    WorkingGroupFactory,
)
from tests.helpers import admin_url, url

from .money_factories import BudgetFactory, TransactionFactory
from .test_admin import as_csv, as_xlsx

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/money/summary/"


def money_table(page):
    return page.split('id="table-money"', 1)[1].split("</table>", 1)[0]


def test_project_page_shows_money_by_year_and_published_transactions_only(client):
    project = ProjectFactory()
    ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("500"))
    BudgetFactory(project=project, amount=Decimal("3000000"), currency="USD")
    TransactionFactory(project=project, kind="commitment", amount=Decimal("1000000000"), currency="KZT")
    TransactionFactory(project=project, kind="disbursement", amount=Decimal("750000"), date=datetime.date(2026, 2, 1))
    TransactionFactory(
        project=project,
        kind="disbursement",
        amount=Decimal("999999"),
        publication=Publication.DRAFT,
        provider_name="Secret Bank",
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert '<svg class="chart chart--grouped' in page
    table = money_table(page)
    rows = re.findall(r'<th scope="row">(\d{4})</th>(.*?)</tr>', table, re.S)
    assert [year for year, _cells in rows] == ["2025", "2026"]
    cells_2025 = re.findall(r'<td class="num">(.*?)</td>', rows[0][1], re.S)
    assert cells_2025[0].startswith("3,000,000 USD")
    assert cells_2025[1].startswith("2,000,000 USD") and "1,000,000,000 KZT" in cells_2025[1]
    assert re.findall(r'<td class="num">(.*?)</td>', rows[1][1], re.S)[2] == "750,000 USD"
    # The database's own sums are what the table shows.
    assert Transaction.objects.filter(project=project, publication="published", kind="commitment").aggregate(
        s=Sum("amount_usd")
    )["s"] == Decimal("2000000.00")
    assert "999,999" not in page and "Secret Bank" not in page


def test_project_without_money_has_no_money_section(client):
    project = ProjectFactory()
    TransactionFactory(project=project, publication=Publication.SUBMITTED)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'id="money-title"' not in page


def test_report_totals_money_by_year(client):
    project = ProjectFactory()
    BudgetFactory(project=project, amount=Decimal("5000"))
    TransactionFactory(project=project, kind="commitment", amount=Decimal("4000"))
    TransactionFactory(project=project, kind="disbursement", amount=Decimal("1500"))
    TransactionFactory(
        project=ProjectFactory(publication=Publication.DRAFT), kind="commitment", amount=Decimal("77777")
    )
    page = client.get(url("projects:report")).content.decode()
    table = money_table(page)
    assert re.search(
        r'<th scope="row">2025</th><td class="num">5,000</td><td class="num">4,000</td><td class="num">1,500</td>',
        table,
    )
    assert "77,777" not in table


@pytest.fixture
def portfolio():
    uz, kz = CountryFactory(code="UZ", name="Uzbekistan"), CountryFactory(code="KZ", name="Kazakhstan")
    energy, water = SectorFactory(slug="energy", name="Energy"), SectorFactory(slug="water", name="Water")
    group_a, group_b = WorkingGroupFactory(slug="group-a"), WorkingGroupFactory(slug="group-b")
    first = ProjectFactory(working_group=group_a, sectors=[energy, water])
    LocationFactory(project=first, country=uz)
    LocationFactory(project=first, country=uz)  # two places in one country count once
    LocationFactory(project=first, country=kz)
    second = ProjectFactory(working_group=group_b, sectors=[energy])
    LocationFactory(project=second, country=kz)
    draft = ProjectFactory(working_group=group_a, publication=Publication.DRAFT)
    for project, committed, disbursed in ((first, "1000", "250"), (second, "400", "400"), (draft, "9000", "9000")):
        TransactionFactory(project=project, kind="commitment", amount=Decimal(committed))
        TransactionFactory(
            project=project, kind="disbursement", amount=Decimal(disbursed), date=datetime.date(2026, 5, 1)
        )
        BudgetFactory(project=project, amount=Decimal(committed) * 2)
    TransactionFactory(project=second, kind="disbursement", amount=Decimal("5000"), publication=Publication.DRAFT)
    return {"first": first, "second": second, "draft": draft}


def db_totals(projects, kind):
    return Transaction.objects.filter(project__in=projects, publication="published", kind=kind).aggregate(
        s=Sum("amount_usd")
    )["s"]


def test_api_money_summary_matches_the_database(api, portfolio):
    first, second = portfolio["first"], portfolio["second"]
    by_group = {row["key"]: row for row in api.get(SUMMARY, {"by": "working_group"}).json()}
    assert set(by_group) == {"group-a", "group-b"}
    assert Decimal(by_group["group-a"]["committed_usd"]) == db_totals([first], "commitment")
    assert Decimal(by_group["group-b"]["disbursed_usd"]) == db_totals([second], "disbursement")
    assert by_group["group-a"]["count"] == 1  # the draft stays out
    by_sector = {row["key"]: row for row in api.get(SUMMARY, {"by": "sector"}).json()}
    assert Decimal(by_sector["energy"]["committed_usd"]) == db_totals([first, second], "commitment")
    assert (
        Decimal(by_sector["water"]["budget_usd"])
        == Budget.objects.filter(project=first).aggregate(s=Sum("amount_usd"))["s"]
    )
    by_country = {row["key"]: row for row in api.get(SUMMARY, {"by": "country"}).json()}
    assert Decimal(by_country["UZ"]["committed_usd"]) == Decimal("1000.00")
    assert Decimal(by_country["KZ"]["committed_usd"]) == Decimal("1400.00")
    by_year = {row["key"]: row for row in api.get(SUMMARY, {"by": "year"}).json()}
    assert Decimal(by_year["2025"]["committed_usd"]) == db_totals([first, second], "commitment")
    assert Decimal(by_year["2026"]["disbursed_usd"]) == db_totals([first, second], "disbursement")
    assert by_year["2025"]["disbursed_usd"] is None


def test_api_money_summary_follows_the_directory_filters_and_refuses_a_bad_dimension(api, portfolio):
    rows = api.get(SUMMARY, {"by": "year", "working_group": "group-b"}).json()
    assert [Decimal(row["committed_usd"] or 0) for row in rows] == [Decimal("400.00"), Decimal(0)]
    response = api.get(SUMMARY, {"by": "planet"})
    assert response.status_code == 400
    assert "by" in response.json()["errors"]
    assert api.get(SUMMARY).json() == api.get(SUMMARY, {"by": "working_group"}).json()
    assert "/api/v1/money/summary/" in api.get("/api/schema/").content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_api_money_summary_queries_do_not_grow(api, django_assert_num_queries, count):
    group, sector, country = WorkingGroupFactory(), SectorFactory(), CountryFactory(code="UZ")
    for _n in range(count):
        project = ProjectFactory(working_group=group, sectors=[sector])
        LocationFactory(project=project, country=country)
        TransactionFactory(project=project)
        BudgetFactory(project=project)
    # One grouped query of the stored totals, and the names of the keys (a year needs none).
    for by, queries in (("working_group", 2), ("sector", 2), ("country", 2), ("year", 1)):
        with django_assert_num_queries(queries):
            assert api.get(SUMMARY, {"by": by}).status_code == 200


def test_directory_filters_by_disbursement_ratio(client, api, portfolio):
    def codes(query):
        page = client.get(url("projects:project-list") + "?" + query).content.decode()
        return {code for code in (portfolio["first"].code, portfolio["second"].code) if code in page}

    first, second = portfolio["first"].code, portfolio["second"].code
    assert codes("disbursed_min=50") == {second}
    assert codes("disbursed_max=50") == {first}
    assert codes("disbursed_min=20&disbursed_max=30") == {first}
    results = api.get("/api/v1/projects/", {"disbursed_min": 100}).json()["results"]
    assert [row["code"] for row in results] == [second]
    assert api.get("/api/v1/projects/", {"disbursed_min": -5}).status_code == 400


def test_draft_transactions_never_reach_the_public(api, client):
    project = ProjectFactory()
    TransactionFactory(project=project, kind="commitment", amount=Decimal("123456"), publication=Publication.SUBMITTED)
    assert project.figures.committed_usd is None
    assert "123,456" not in client.get(project.get_absolute_url()).content.decode()
    assert api.get(SUMMARY, {"by": "year"}).json() == []


def test_editor_submits_and_secretariat_publishes_a_transaction(make_editor, secretariat):
    project = ProjectFactory()
    editor = make_editor(project.working_group)
    outsider = make_editor(WorkingGroupFactory())
    move = TransactionFactory(project=project, publication=Publication.DRAFT, amount=Decimal("10"))
    assert can_write(editor, move) and not can_write(outsider, move)
    assert can_write(editor, BudgetFactory.build(project=project)) and not can_write(outsider, Budget(project=project))
    with pytest.raises(PermissionDenied):
        transition(move, "publish", user=editor)
    transition(move, "submit", user=editor)
    assert Transaction.objects.get(pk=move.pk).publication == Publication.SUBMITTED
    assert Project.objects.get(pk=project.pk).figures.committed_usd is None
    transition(Transaction.objects.get(pk=move.pk), "publish", user=secretariat)
    assert Project.objects.get(pk=project.pk).figures.committed_usd == Decimal("10.00")


def test_editor_adds_a_transaction_in_the_admin_as_a_draft(client, make_editor):
    project = ProjectFactory()
    editor = make_editor(project.working_group)
    client.force_login(editor)
    data = {
        "project": project.pk,
        "kind": "disbursement",
        "date": "2025-04-01",
        "amount": "2500",
        "currency": "USD",
        "provider_name": "A bank",
        "receiver_name": "",
        "description_en": "First tranche",
    }
    response = client.post(admin_url(Transaction, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    move = Transaction.objects.get(project=project)
    assert (move.publication, move.amount_usd) == (Publication.DRAFT, Decimal("2500.00"))
    other = ProjectFactory(working_group=WorkingGroupFactory())
    response = client.post(admin_url(Transaction, "add"), {**data, "project": other.pk})
    assert response.status_code == 200  # refused: not one of the editor's projects
    assert not Transaction.objects.filter(project=other).exists()


HEADER = ["id", "project", "kind", "date", "amount", "currency", "provider_name"]


@pytest.mark.parametrize("make_file, fmt", [(as_csv, "0"), (as_xlsx, "1")])
def test_transaction_import_dry_run_names_each_bad_row(client, secretariat, make_file, fmt):
    project = ProjectFactory(code="KZUZ-500")
    rows = [
        ["", "KZUZ-500", "commitment", "2025-01-10", "1000", "USD", "Bank"],
        ["", "KZUZ-500", "commitment", "2025-01-10", "1000", "XYZ", "Bank"],
        ["", "KZUZ-500", "commitment", "2025-01-10", "-5", "USD", "Bank"],
        ["", "NOPE-1", "commitment", "2025-01-10", "1000", "USD", "Bank"],
        ["", "KZUZ-500", "gift", "2025-01-10", "1000", "USD", "Bank"],
    ]
    client.force_login(secretariat)
    response = client.post(
        admin_url(Transaction, "import"), {"import_file": make_file(HEADER, rows), "format": fmt, "resource": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in page
    assert re.findall(r"<td>(\d+) </td>", page) == ["2", "3", "4", "5"]
    assert "is not a valid choice" in page  # the currency and the kind
    assert "greater than or equal to 0" in page
    assert "NOPE-1" in page
    assert not Transaction.objects.filter(project=project).exists()


def test_transaction_import_previews_then_writes_drafts(client, secretariat):
    ProjectFactory(code="KZUZ-501")
    client.force_login(secretariat)
    upload = as_csv(HEADER, [["", "KZUZ-501", "disbursement", "2025-02-10", "700", "USD", "Bank"]])
    page = client.post(admin_url(Transaction, "import"), {"import_file": upload, "format": "0", "resource": "0"})
    assert 'name="import_file_name"' in page.content.decode()
    assert not Transaction.objects.exists()


def test_demo_seed_gives_demo_projects_money(db):
    from django.core.management import call_command

    call_command("seed", verbosity=0)
    call_command("seed", "--demo", "--projects", "40", verbosity=0)
    demo = Project.objects.filter(demo=True)
    assert Transaction.objects.filter(project__in=demo).exists()
    assert Budget.objects.filter(project__in=demo).exists()
    assert not Transaction.objects.filter(project__demo=False).exists()
    assert Transaction.objects.filter(amount_usd__isnull=False).exists()
    from projects import stored_figures

    assert stored_figures.stale() == []
