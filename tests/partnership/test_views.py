"""The public pages of the commission side: commission, working groups, meetings, directives,
agreements, trade and events; the error pages; robots.txt and the health check."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from partnership.models import Directive, PortfolioFigure
from projects.models import Publication
from tests import factories as f
from tests.helpers import DAY, LANGUAGES, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission_data(today):
    commission = f.CommissionFactory(mandate="Deepen economic cooperation.")
    kz, uz = f.CountryFactory(code="KZ"), f.CountryFactory(code="UZ")
    group = f.WorkingGroupFactory(commission=commission, name="Energy group", slug="energy", mandate="Power trade.")
    other = f.WorkingGroupFactory(commission=commission, name="Transport group", slug="transport")
    f.CoChairFactory(
        working_group=group,
        person=f.PersonFactory(full_name="Current Minister", country=kz),
        start_date=today - 90 * DAY,
    )
    f.CoChairFactory(
        working_group=group,
        person=f.PersonFactory(full_name="Former Minister", country=kz),
        start_date=datetime.date(2020, 1, 1),
        end_date=today - 100 * DAY,
    )
    f.CoChairFactory(
        working_group=None,
        commission=commission,
        person=f.PersonFactory(full_name="Prime Minister A", country=uz),
        position="Prime Minister",
    )
    published = f.ProjectFactory(code="E-1", title="Public power line", slug="power-line", working_group=group)
    draft = f.ProjectFactory(
        code="E-9", title="Draft dam", slug="draft-dam", working_group=group, publication=Publication.DRAFT
    )
    meeting = f.MeetingFactory(commission=commission, title="Fifth session", slug="fifth", place="Tashkent")
    meeting.working_groups.set([group])
    late = f.DirectiveFactory(meeting=meeting, text="Sign the power contract", due_date=today - 10 * DAY)
    late.working_groups.set([group])
    late.projects.set([published, draft])
    done = f.DirectiveFactory(meeting=meeting, text="Open the border post", status=Directive.Status.DONE)
    done.working_groups.set([other])
    f.DirectiveFactory(meeting=meeting, text="Study the canal", due_date=today + 30 * DAY)
    agreement = f.AgreementFactory(commission=commission, title="Energy agreement", slug="energy-agreement")
    agreement.projects.set([published, draft])
    f.TradeFigureFactory(
        commission=commission, year=2023, turnover_usd=Decimal("3000000000"), source="Statistics office"
    )
    f.TradeFigureFactory(
        commission=commission, year=2024, turnover_usd=Decimal("4400000000"), source="Customs", estimate=True
    )
    f.EventFactory(commission=commission, title="Film week", slug="film-week", start_date=today + 10 * DAY)
    f.EventFactory(commission=commission, title="Old fair", slug="old-fair", start_date=today - 300 * DAY)
    f.EventFactory(commission=commission, title="Secret concert", slug="secret-concert", published=False)
    return {"commission": commission, "group": group, "meeting": meeting, "agreement": agreement}


def public_urls(lang):
    return [
        url("partnership:commission-detail", lang),
        url("partnership:workinggroup-list", lang),
        url("partnership:workinggroup-detail", lang, slug="energy"),
        url("partnership:meeting-list", lang),
        url("partnership:meeting-detail", lang, slug="fifth"),
        url("partnership:directive-list", lang),
        url("partnership:agreement-list", lang),
        url("partnership:agreement-detail", lang, slug="energy-agreement"),
        url("partnership:trade", lang),
        url("partnership:event-list", lang),
        url("partnership:event-detail", lang, slug="film-week"),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_commission_page_answers_in_every_language(client, commission_data, lang):
    for address in public_urls(lang):
        assert address.startswith(f"/{lang}/")
        response = client.get(address)
        assert response.status_code == 200, address
        assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unpublished_events_and_unknown_slugs_are_404(client, commission_data, lang):
    assert client.get(url("partnership:event-detail", lang, slug="secret-concert")).status_code == 404
    for name in ("workinggroup-detail", "meeting-detail", "agreement-detail"):
        assert client.get(url(f"partnership:{name}", lang, slug="nope")).status_code == 404


def test_no_draft_or_unpublished_event_appears_on_commission_pages(client, commission_data):
    for address in public_urls("en"):
        body = client.get(address).content.decode()
        assert "Draft dam" not in body, address
        assert "E-9" not in body, address
        assert "Secret concert" not in body, address


def test_working_group_page_shows_current_and_past_co_chairs_portfolio_and_directives(client, commission_data):
    response = client.get(url("partnership:workinggroup-detail", slug="energy"))
    assert [c.person.full_name for c in response.context["current_chairs"]] == ["Current Minister"]
    assert [c.person.full_name for c in response.context["past_chairs"]] == ["Former Minister"]
    assert [p.code for p in response.context["projects"]] == ["E-1"]
    assert response.context["totals"]["count"] == 1
    body = response.content.decode()
    assert "Power trade." in body
    assert "Sign the power contract" in body
    assert "Open the border post" not in body  # another group's directive
    assert url("projects:report-workinggroup", slug="energy") in body


def test_working_group_list_counts_published_projects_only(client, commission_data):
    response = client.get(url("partnership:workinggroup-list"))
    group = commission_data["group"]
    assert response.context["portfolio"][group.pk]["count"] == 1


def test_commission_page_has_its_co_chairs_and_groups(client, commission_data):
    body = client.get(url("partnership:commission-detail")).content.decode()
    assert "Prime Minister A" in body
    assert "Energy group" in body and "Transport group" in body
    assert "Deepen economic cooperation." in body


def test_commission_page_without_a_commission_is_404(client):
    assert client.get(url("partnership:commission-detail")).status_code == 404
    assert client.get(url("partnership:trade")).status_code == 404


def test_meeting_page_lists_its_directives_with_published_projects_only(client, commission_data):
    body = client.get(url("partnership:meeting-detail", slug="fifth")).content.decode()
    for text in ("Sign the power contract", "Open the border post", "Study the canal", "E-1"):
        assert text in body
    assert "E-9" not in body
    assert body.count("badge--late") == 1


def test_directive_tracker_counts_and_filters(client, commission_data):
    response = client.get(url("partnership:directive-list"))
    counts = response.context["counts"]
    assert (counts["total"], counts["open"], counts["done"], counts["overdue"]) == (3, 2, 1, 1)
    overdue = client.get(url("partnership:directive-list") + "?overdue=true")
    assert [d.text for d in overdue.context["page"].object_list] == ["Sign the power contract"]
    done = client.get(url("partnership:directive-list") + "?status=done")
    assert [d.text for d in done.context["page"].object_list] == ["Open the border post"]
    group = client.get(url("partnership:directive-list") + "?working_group=transport")
    assert [d.text for d in group.context["page"].object_list] == ["Open the border post"]


@pytest.mark.parametrize("query", ["status=finished", "status=open&status=bogus", "page=9", "page=x"])
def test_directive_tracker_bad_input_explains(client, commission_data, query):
    response = client.get(url("partnership:directive-list") + "?" + query)
    assert response.status_code in (400, 404)
    assert response.status_code != 500
    body = response.content.decode()
    assert "We could not use part of your request" in body or "There is no page" in body


def test_meeting_list_with_bad_year_explains(client, commission_data):
    response = client.get(url("partnership:meeting-list") + "?year=soon")
    assert response.status_code == 400
    assert "We could not use part of your request" in response.content.decode()


def test_agreement_page_lists_published_projects_only(client, commission_data):
    response = client.get(url("partnership:agreement-detail", slug="energy-agreement"))
    assert [p.code for p in response.context["projects"]] == ["E-1"]


def test_trade_page_shows_each_year_with_its_source_and_the_target(client, commission_data):
    response = client.get(url("partnership:trade"))
    body = response.content.decode()
    assert "Statistics office" in body and "Customs" in body
    assert "3,000,000,000" in body and "4,400,000,000" in body
    assert response.context["share_of_target"] == Decimal("44")
    chart = str(response.context["chart"])
    assert chart.count('class="bar bar--trade"') == 1
    assert chart.count('class="bar bar--estimate"') == 1
    assert 'class="chart-target"' in chart


def test_events_list_splits_upcoming_and_past_and_hides_unpublished(client, commission_data):
    response = client.get(url("partnership:event-list"))
    assert [e.title for e in response.context["upcoming"]] == ["Film week"]
    assert [e.title for e in response.context["past"].object_list] == ["Old fair"]


def test_friendly_404_and_500_pages():
    with translation.override("en"):
        not_found = render_to_string("404.html")
    assert "Page not found" in not_found
    server_error = render_to_string("500.html")
    assert "Something went wrong" in server_error
    assert 'lang="ru"' in server_error


def test_unknown_address_gets_the_friendly_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Search the project directory" in response.content.decode()


def test_healthz_still_reports_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_language_switcher_sends_to_the_same_page_in_the_chosen_language(client, commission_data):
    page = url("partnership:trade")
    body = client.get(page).content.decode()
    assert 'action="/i18n/setlang/"' in body
    for lang in LANGUAGES:
        assert f'name="language" value="{lang}"' in body
    response = client.post("/i18n/setlang/", {"language": "kk", "next": page})
    assert response.status_code == 302
    assert response["Location"] == "/kk/trade/"


def test_interface_is_translated(client, commission_data):
    assert "Рабочие группы" in client.get(url("partnership:workinggroup-list", "ru")).content.decode()
    assert "Жұмыс топтары" in client.get(url("partnership:workinggroup-list", "kk")).content.decode()
    assert "Ishchi guruhlar" in client.get(url("partnership:workinggroup-list", "uz")).content.decode()


def bulk_commission(size, today):
    """A commission with `size` of everything a commission page lists."""
    from projects.models import Project

    commission = f.CommissionFactory()
    group = f.WorkingGroupFactory(commission=commission, slug="bulk-group")
    group.sectors.set([f.SectorFactory() for _ in range(3)])
    f.CoChairFactory(working_group=group)
    Project.objects.bulk_create(
        Project(code=f"W-{i:04d}", title=f"P {i}", slug=f"w-{i}", working_group=group, publication="published")
        for i in range(size)
    )
    for _ in range(size // 10 + 1):
        meeting = f.MeetingFactory(commission=commission)
        meeting.working_groups.set([group])
        for _ in range(10):
            f.DirectiveFactory(meeting=meeting).working_groups.set([group])
    for i in range(min(size, 30)):
        f.TradeFigureFactory(commission=commission, year=1995 + i)
        f.EventFactory(commission=commission, start_date=today + (i - 15) * DAY)
        PortfolioFigure.objects.create(
            commission=commission, date=datetime.date(2000 + i, 1, 1), project_count=i + 1, source="Report"
        )
    return group, meeting


@pytest.mark.parametrize("size", [10, 200])
def test_commission_page_query_counts_do_not_grow(client, django_assert_num_queries, size, today):
    group, meeting = bulk_commission(size, today)
    pages = [
        (url("partnership:commission-detail"), 11),  # + the portfolio series and the real count
        (url("partnership:workinggroup-list"), 4),
        (url("partnership:workinggroup-detail", slug=group.slug), 10),
        (url("partnership:meeting-list"), 3),
        (url("partnership:meeting-detail", slug=meeting.slug), 5),
        (url("partnership:directive-list"), 5),
        (url("partnership:trade"), 2),
        (url("partnership:event-list"), 3),
    ]
    for address, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(address).status_code == 200


def test_404_page_says_why_when_there_is_a_reason_and_no_internal_names(client):
    body = client.get("/en/no-such-page/").content.decode()
    assert "Resolver404" not in body
    body = client.get("/en/events/?page=9").content.decode()
    assert "There is no page “9” in this list" in body


def test_the_bare_address_sends_visitors_to_their_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru").headers["Location"] == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").headers["Location"] == "/en/"


@pytest.mark.parametrize(
    ("name", "query", "named"),
    [
        ("partnership:meeting-list", "kind=picnic", "Kind"),
        ("partnership:directive-list", "overdue=perhaps&status=lost", "Status"),
        ("partnership:agreement-list", "kind=handshake", "Kind"),
        ("partnership:event-list", "year=soon", "Year"),
    ],
)
def test_every_list_names_the_filter_value_it_could_not_use(client, commission_data, name, query, named):
    response = client.get(url(name) + "?" + query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "We could not use part of your request" in body
    assert f"<strong>{named}:</strong>" in body
    assert "Fifth session" not in body and "Energy agreement" not in body and "Old fair" not in body


@pytest.mark.parametrize(
    "name",
    ["partnership:meeting-list", "partnership:directive-list", "partnership:agreement-list", "partnership:event-list"],
)
@pytest.mark.parametrize("page", ["9", "0", "x"])
def test_every_list_explains_a_page_that_is_not_there(client, commission_data, name, page):
    response = client.get(url(name) + f"?page={page}")
    assert response.status_code == 404
    body = response.content.decode()
    assert f"There is no page “{page}” in this list; it has 1 page(s)." in body
    assert "Go to the first page" in body


def test_list_filters_and_pagination_links_keep_the_filters(client, commission_data, today):
    commission = commission_data["commission"]
    for i in range(31):
        f.MeetingFactory(
            commission=commission, title=f"Session {i}", kind="working_group", date=datetime.date(2021, 1, 1)
        )
    first = client.get(url("partnership:meeting-list") + "?kind=working_group&year=2021")
    assert first.context["count"] == 31
    assert 'href="?kind=working_group&amp;year=2021&amp;page=2"' in first.content.decode()
    second = client.get(url("partnership:meeting-list") + "?kind=working_group&year=2021&page=2")
    assert len(second.context["meetings"]) == 1  # 30 a page: the 31st is alone on page 2
    agreements = client.get(url("partnership:agreement-list") + "?q=energy").context["agreements"]
    assert [a.title for a in agreements] == ["Energy agreement"]
    assert client.get(url("partnership:agreement-list") + "?q=nothing-like-it").context["count"] == 0
    events = client.get(url("partnership:event-list") + f"?year={today.year - 5}")
    assert list(events.context["upcoming"]) == [] and list(events.context["past"].object_list) == []


def test_working_group_page_lists_the_first_projects_and_links_to_the_rest_by_demo_choice(client):
    """A group with many projects: the page lists the first 20 by code and sends readers to the
    directory for the rest; `?demo=real` counts and lists real projects only; a bad value is a 400."""
    group = f.WorkingGroupFactory()
    for i in range(23):
        f.ProjectFactory(working_group=group, code=f"KZUZ-{i:03}", demo=i >= 3)
    f.ProjectFactory(working_group=group, code="KZUZ-900", publication=Publication.DRAFT)
    page = client.get(url("partnership:workinggroup-detail", slug=group.slug))
    body = page.content.decode()
    assert [p.code for p in page.context["projects"]] == [f"KZUZ-{i:03}" for i in range(20)]
    assert "3 more in the directory" in body and "KZUZ-900" not in body
    assert f"?working_group={group.slug}" in body
    real = client.get(url("partnership:workinggroup-detail", slug=group.slug) + "?demo=real")
    assert [p.code for p in real.context["projects"]] == ["KZUZ-000", "KZUZ-001", "KZUZ-002"]
    assert real.context["totals"]["count"] == 3 and "more in the directory" not in real.content.decode()
    assert f"working_group={group.slug}&amp;demo=real" in real.content.decode()
    bad = client.get(url("partnership:workinggroup-detail", slug=group.slug) + "?demo=maybe")
    assert bad.status_code == 400 and "is not a choice here" in bad.content.decode()


def test_working_group_list_shows_real_and_demo_apart_when_a_group_has_both(client):
    """The split line reads each group's priced counts (a 500 when the rows lacked them)."""
    group = f.WorkingGroupFactory()
    f.ProjectFactory(working_group=group, investment_amount=None)
    f.ProjectFactory(working_group=group, demo=True)
    body = client.get(url("partnership:workinggroup-list")).content.decode()
    assert "1 real project, no figure in US dollars" in body and "1 demo project" in body
