"""Results and money through the admin in a real browser: an editor enters, the secretariat publishes.

An editor of the project's working group records an indicator's actual value and a disbursement
in tenge and submits both; the public sees neither. The secretariat publishes them; the project
page, the API and the commission report then show the value's progress and the disbursement's
US-dollar equivalent at the tenge rate of its date.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from projects.models import Indicator, IndicatorValue, Publication, Result, Transaction
from tests import factories as f
from tests.browser.conftest import screenshot

PASSWORD = "pass-for-tests-1"  # tests/factories.py UserFactory
DAY = datetime.timedelta(days=1)
RATE = Decimal("512.35")  # tenge per US dollar
AMOUNT = Decimal("1000000000")  # tenge disbursed
USD = (AMOUNT / RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # 1,951,790.77


def log_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")


def choose(page, field_id, search, option):
    """Pick `option` in an admin autocomplete (select2) field after typing `search`."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-results__option", has_text=option).first.click()


def press(page, selector):
    """Click a button that posts the form and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def messages(page):
    return page.locator("ul.messagelist").inner_text()


@pytest.fixture
def world(transactional_db, make_editor, secretariat):
    today = timezone.localdate()
    group = f.WorkingGroupFactory(name="Transport group")
    project = f.ProjectFactory(
        code="KZUZ-077",
        title="Saryagash–Keles railway link",
        slug="saryagash-keles-railway",
        working_group=group,
        sectors=[f.SectorFactory(name="Transport")],
    )
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    result = Result.objects.create(project=project, kind=Result.Kind.OUTPUT, title="Track laid")
    indicator = Indicator.objects.create(
        result=result,
        title="Track length",
        measure=Indicator.Measure.NUMBER,
        unit="km",
        baseline_value=Decimal(0),
        baseline_date=today - 200 * DAY,
        target_value=Decimal(150),
        target_date=today + 200 * DAY,
    )
    f.ExchangeRateFactory(currency="KZT", date=today - 100 * DAY, units_per_usd=RATE)
    # A later rate that must not apply to a disbursement dated before it.
    f.ExchangeRateFactory(currency="KZT", date=today - 5 * DAY, units_per_usd=Decimal("530"))
    provider = f.OrganisationFactory(name="Kazakhstan Temir Zholy", country=f.CountryFactory(code="KZ"))
    return {
        "today": today,
        "group": group,
        "project": project,
        "indicator": indicator,
        "provider": provider,
        "editor": make_editor(group, username="editor-transport"),
        "secretariat": secretariat,
    }


def public_project(chromium, live_server, project):
    """The project page as the public sees it: a fresh context without the admin's cookies."""
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    return context, page


def api_json(context, live_server, path):
    response = context.request.get(f"{live_server.url}{path}")
    assert response.status == 200, path
    return response.json()


def group_row(rows, group):
    return next(row for row in rows if row["key"] == group.slug)


def enter_as_editor(page, live_server, world):
    """The editor records the value and the disbursement and submits both for publication."""
    today, project = world["today"], world["project"]
    project_admin = f"/admin/projects/project/{project.pk}/change/"
    log_in(page, live_server, world["editor"], project_admin)

    # The indicator's actual value, from the project form's list of its indicators.
    page.locator(".field-results_column").get_by_role("link", name="Add an actual value").click()
    page.wait_for_url("**/indicatorvalue/add/**")
    assert page.locator("#id_indicator + .select2 .select2-selection__rendered").inner_text().endswith("Track length")
    screenshot(page, "results-money-value-add")
    page.fill("#id_period_start", (today - 90 * DAY).isoformat())
    page.fill("#id_period_end", (today - DAY).isoformat())
    page.fill("#id_value", "96")
    page.fill("#id_comment_en", "Keles station section finished")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/indicatorvalue/\d+/change/"))
    assert "was added successfully" in messages(page)
    # Editors submit; publishing is not theirs to do.
    assert page.locator("input[name=_publish]").count() == 0
    press(page, "input[name=_submit]")
    assert "submitted for publication" in messages(page)
    assert page.locator(".field-publication_column .readonly").inner_text() == "Submitted for publication"
    screenshot(page, "results-money-value-submitted")

    # The disbursement: a new row in the project form's Transactions section.
    page.goto(f"{live_server.url}{project_admin}")
    section = page.locator("#transactions-group")
    section.locator("summary").click()
    section.locator(".add-row a").click()
    row = "#id_transactions-0"
    page.select_option(f"{row}-kind", "disbursement")
    page.fill(f"{row}-date", (today - 30 * DAY).isoformat())
    page.fill(f"{row}-amount", str(AMOUNT))
    page.select_option(f"{row}-currency", "KZT")
    choose(page, "id_transactions-0-provider", "Temir", "Kazakhstan Temir Zholy")
    page.fill(f"{row}-receiver_name", "Keles station contractor")
    page.fill(f"{row}-description_en", "Second tranche for the Keles section")
    screenshot(page, "results-money-transaction-row")
    press(page, "input[name=_continue]")
    # Adding a transaction changes nothing the public sees of the project: no change to approve.
    assert "was changed successfully" in messages(page)
    assert page.locator(".pt-pending").count() == 0
    section.locator("summary").click()
    saved = section.locator("tr.has_original").first
    assert saved.locator(".field-publication").inner_text() == "Draft"
    assert saved.locator(".field-amount_usd").inner_text() == "1951790.77"
    saved.get_by_role("link", name="Change").click()
    page.wait_for_url(re.compile(r"/transaction/\d+/change/"))
    assert page.locator("input[name=_publish]").count() == 0
    press(page, "input[name=_submit]")
    assert "submitted for publication" in messages(page)
    screenshot(page, "results-money-transaction-submitted")

    # Nor may the editor publish from the list.
    page.goto(f"{live_server.url}/admin/projects/transaction/")
    screenshot(page, "results-money-editor-transactions")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Submit selected for publication" in actions and "Publish selected" not in actions


@pytest.mark.browser
def test_editor_enters_value_and_disbursement_secretariat_publishes(live_server, browser_page, chromium, world):
    page, project, indicator = browser_page, world["project"], world["indicator"]
    enter_as_editor(page, live_server, world)
    value = IndicatorValue.objects.get(indicator=indicator)
    disbursement = Transaction.objects.get(project=project)
    assert (value.publication, disbursement.publication) == (Publication.SUBMITTED, Publication.SUBMITTED)
    assert (value.author, disbursement.amount_usd) == (world["editor"], USD)

    # The public sees neither while they wait for review.
    anonymous, public = public_project(chromium, live_server, project)
    box = public.locator(f"#indicator-{indicator.pk}")
    assert "No values have been published for this indicator yet." in box.inner_text()
    assert box.locator("dt:text-is('Latest actual') + dd").inner_text() == "—"
    assert public.locator(f"#transaction-{disbursement.pk}").count() == 0
    assert "Keles station contractor" not in public.content()
    track = api_json(anonymous, live_server, "/api/v1/indicators-on-track/")
    assert (track["totals"]["on_track"], track["totals"]["no_data"]) == (0, 1)
    money = group_row(api_json(anonymous, live_server, "/api/v1/money/summary/"), world["group"])
    assert money["disbursed_usd"] is None

    # The secretariat publishes the value with the change form's button, the disbursement from the list.
    page.context.clear_cookies()
    log_in(page, live_server, world["secretariat"], "/admin/projects/indicatorvalue/?publication__exact=submitted")
    page.get_by_role("link", name=str(value)).click()
    press(page, "input[name=_publish]")
    assert "published" in messages(page)
    page.goto(f"{live_server.url}/admin/projects/transaction/?publication__exact=submitted")
    row = page.locator("#result_list tbody tr", has_text="Kazakhstan Temir Zholy")
    assert row.locator(".field-usd_column").inner_text() == "1,951,791"
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "publish_selected")
    press(page, "button[name=index]")
    assert "published" in messages(page)
    screenshot(page, "results-money-secretariat-published")

    # The project page: the value's progress towards the target, the disbursement in US dollars.
    public.reload()
    box = public.locator(f"#indicator-{indicator.pk}")
    assert box.locator("dt:text-is('Latest actual') + dd").inner_text() == "96 km"
    assert box.locator("dt:text-is('Target') + dd").inner_text().startswith("150 km")
    assert box.locator(".badge").inner_text() == "On track"  # 64 % of the way, half the time gone
    assert "64 % of the way from the baseline to the target" in box.locator("svg").inner_html()
    assert "Keles station section finished" in box.locator("table").inner_text()
    cells = public.locator(f"#transaction-{disbursement.pk} > *").all_inner_texts()
    assert cells[1:6] == [
        "Disbursement",
        "1,000,000,000 KZT",
        "1,951,791 USD",  # 1,000,000,000 / 512.35, the rate of its date (the later 530 does not apply)
        "Kazakhstan Temir Zholy",
        "Keles station contractor",
    ]
    year = public.locator("#table-money tbody tr", has_text=str(disbursement.date.year))
    assert year.locator("td").nth(2).inner_text().startswith("1,951,791 USD")
    screenshot(public, "results-money-project-page")

    # The API.
    track = api_json(anonymous, live_server, "/api/v1/indicators-on-track/")
    assert (track["totals"]["on_track"], track["totals"]["no_data"]) == (1, 0)
    assert group_row(track["by_working_group"], world["group"])["on_track"] == 1
    money = group_row(api_json(anonymous, live_server, "/api/v1/money/summary/"), world["group"])
    assert money["disbursed_usd"] == str(USD)
    years = api_json(anonymous, live_server, "/api/v1/money/summary/?by=year")
    assert next(row for row in years if row["key"] == str(disbursement.date.year))["disbursed_usd"] == str(USD)

    # The commission report totals the money with it.
    public.goto(f"{live_server.url}/en/reports/")
    # The year table is folded on screen (a <details> under the totals): open it as a reader would.
    public.locator("#money-title ~ details > summary").click()
    report = public.locator("#table-money")
    assert report.is_visible()
    assert report.locator("tbody tr", has_text=str(disbursement.date.year)).locator("td").nth(2).inner_text() == (
        "1,951,791"
    )
    assert report.locator("tfoot td").nth(2).inner_text() == "1,951,791"
    screenshot(public, "results-money-report")
    anonymous.close()
