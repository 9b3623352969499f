"""The admin of the commission's records as each role uses it."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnership.models import CoChair, Directive, Event, TradeFigure
from tests import factories as f
from tests.helpers import admin_pages, admin_url

pytestmark = pytest.mark.django_db


# Reference data editors read (to choose from) but never change; the rest is the secretariat's.
EDITOR_READS = {"country", "sector", "workinggroup", "agreement", "directive"}


@pytest.fixture
def people(secretariat, make_editor):
    group_a = f.WorkingGroupFactory(name="Energy group")
    group_b = f.WorkingGroupFactory(name="Transport group")
    return {
        "secretariat": secretariat,
        "editor_a": make_editor(group_a, username="editor-a"),
        "editor_b": make_editor(group_b, username="editor-b"),
        "group_a": group_a,
    }


@pytest.fixture
def records(people):
    commission = people["group_a"].commission
    meeting = f.MeetingFactory(commission=commission)
    return {
        "country": commission.countries.get(code="KZ"),
        "commission": commission,
        "sector": f.SectorFactory(),
        "workinggroup": people["group_a"],
        "person": f.PersonFactory(),
        "cochair": f.CoChairFactory(working_group=people["group_a"]),
        "meeting": meeting,
        "directive": f.DirectiveFactory(meeting=meeting),
        "agreement": f.AgreementFactory(commission=commission),
        "tradefigure": f.TradeFigureFactory(commission=commission),
        "event": f.EventFactory(commission=commission),
    }


def expected(role, model_name, page):
    if role == "anonymous":
        return 302
    if role == "secretariat":
        return 200
    if model_name in EDITOR_READS:
        return 403 if page == "add" else 200
    return 403


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "editor_a", "editor_b"])
@pytest.mark.parametrize(
    "model_name",
    [
        "country",
        "commission",
        "sector",
        "workinggroup",
        "person",
        "cochair",
        "meeting",
        "directive",
        "agreement",
        "tradefigure",
        "event",
    ],
)
def test_every_page_answers_as_the_role_allows(client, people, records, role, model_name):
    if role != "anonymous":
        client.force_login(people[role])
    obj = records[model_name]
    for page, url in admin_pages(obj).items():
        response = client.get(url)
        assert response.status_code == expected(role, model_name, page), (page, url)
        if response.status_code == 302:
            assert reverse("admin:login") in response["Location"]
        if response.status_code == 200 and page == "changelist":
            assert str(obj) in response.content.decode()


def test_editor_cannot_change_reference_data(client, people, records):
    group = records["workinggroup"]
    client.force_login(people["editor_a"])
    response = client.post(
        admin_url(group, "change", group.pk),
        {"commission": group.commission_id, "name_en": "Renamed", "slug": group.slug, "order": 0},
    )
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == "Energy group"


def test_commission_and_working_group_show_co_chair_terms_inline(client, people, records):
    client.force_login(people["secretariat"])
    term = records["cochair"]
    page = client.get(admin_url(records["workinggroup"], "change", records["workinggroup"].pk)).content.decode()
    assert "co-chairs of the working group" in page.lower()
    assert f'value="{term.person_id}"' in page or str(term.person) in page
    page = client.get(admin_url(records["commission"], "change", records["commission"].pk)).content.decode()
    assert "co-chairs of the commission" in page.lower()


def test_meeting_takes_its_directives_inline(client, people, records):
    meeting = records["meeting"]
    client.force_login(people["secretariat"])
    data = {
        "commission": meeting.commission_id,
        "kind": meeting.kind,
        "title_en": meeting.title_en,
        "slug": meeting.slug,
        "date": meeting.date.isoformat(),
        "directives-TOTAL_FORMS": 2,
        "directives-INITIAL_FORMS": 1,
        "directives-0-id": records["directive"].pk,
        "directives-0-meeting": meeting.pk,
        "directives-0-text_en": records["directive"].text_en,
        "directives-0-status": "open",
        "directives-0-order": 0,
        "directives-1-meeting": meeting.pk,
        "directives-1-text_en": "Draft a road map for the joint industrial park.",
        "directives-1-status": "open",
        "directives-1-due_date": "2026-12-31",
        "directives-1-order": 1,
    }
    response = client.post(admin_url(meeting, "change", meeting.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert meeting.directives.filter(text="Draft a road map for the joint industrial park.").exists()


def test_co_chair_form_shows_the_models_own_message(client, people, records):
    """A co-chair from a country outside the commission is refused next to the field."""
    client.force_login(people["secretariat"])
    outsider = f.PersonFactory(country=f.CountryFactory(code="KG", name="Kyrgyzstan"))
    response = client.post(
        admin_url(CoChair, "add"),
        {"person": outsider.pk, "position_en": "Minister", "working_group": records["workinggroup"].pk},
    )
    assert response.status_code == 200
    assert "Kyrgyzstan is not a member of" in response.content.decode()
    assert not CoChair.objects.filter(person=outsider).exists()


def test_history_records_old_and_new_values(client, people, records):
    figure = records["tradefigure"]
    client.force_login(people["secretariat"])
    response = client.post(
        admin_url(figure, "change", figure.pk),
        {
            "commission": figure.commission_id,
            "year": figure.year,
            "turnover_usd": "5000000000",
            "source": "National statistics committee",
        },
    )
    assert response.status_code == 302
    page = client.get(admin_url(figure, "history", figure.pk)).content.decode()
    assert "4400000000" in page.replace(",", "").replace(".00", "") and "5000000000" in page.replace(",", "").replace(
        ".00", ""
    )
    assert "Test source" in page and "National statistics committee" in page
    assert "secretariat" in page


def test_events_publish_and_unpublish_in_bulk_and_demo_is_marked(client, people, records):
    event = records["event"]
    event.demo = True
    event.save()
    client.force_login(people["secretariat"])
    page = client.get(admin_url(Event, "changelist")).content.decode()
    assert 'pt-badge--demo">demo<' in page
    assert "Demo record: fictional" in client.get(admin_url(event, "change", event.pk)).content.decode()
    client.post(admin_url(Event, "changelist"), {"action": "unpublish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.published is False
    client.post(admin_url(Event, "changelist"), {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.published is True
    assert event.history.first().history_change_reason == "Published"


def test_overdue_directives_are_flagged(client, people, records):
    directive = records["directive"]
    directive.due_date = datetime.date(2020, 1, 1)
    directive.save()
    client.force_login(people["editor_a"])
    page = client.get(admin_url(Directive, "changelist"), {"overdue": "yes"}).content.decode()
    assert str(directive) in page and 'pt-badge--late">overdue<' in page


def test_admin_is_titled_for_the_commission_and_follows_the_language(client, people):
    client.force_login(people["secretariat"])
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="ru"' in page
    assert "Межправительственная комиссия · мониторинг партнёрства" in page
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Intergovernmental commission · partnership tracker" in page


# --- trade figure import ---------------------------------------------------------------------


def xlsx(header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("trade.xlsx", buffer.getvalue())


def csv(header, rows):
    text = "\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n"
    return SimpleUploadedFile("trade.csv", text.encode(), content_type="text/csv")


@pytest.mark.parametrize("make_file,fmt", [(csv, "0"), (xlsx, "1")])
def test_trade_figure_import_with_a_bad_row_writes_nothing(client, people, records, make_file, fmt):
    slug = records["commission"].slug
    header = ["commission", "year", "turnover_usd", "source"]
    rows = [
        [slug, "2019", "3300000000", "Statistics"],
        [slug, "2020", "-5", "Statistics"],
        ["no-such-commission", "2021", "100", "Statistics"],
        [slug, "2019", "3400000000", "Statistics"],
    ]
    client.force_login(people["secretariat"])
    before = TradeFigure.objects.count()
    response = client.post(
        reverse("admin:partnership_tradefigure_import"),
        {"import_file": make_file(header, rows), "format": fmt, "resource": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in page
    assert re.findall(r"<td>(\d+) </td>", page) == ["2", "3", "4"]  # the bad rows, by number
    assert "greater than or equal to 0" in page
    assert "There is no commission with slug “no-such-commission”" in page
    assert "appears twice in this file (first in row 1)" in page
    assert TradeFigure.objects.count() == before


def test_editor_may_not_import_trade_figures(client, people):
    client.force_login(people["editor_a"])
    assert client.get(reverse("admin:partnership_tradefigure_import")).status_code == 403


def test_selected_rows_of_any_list_can_be_exported(client, people, records):
    event = records["event"]
    other = f.EventFactory(commission=event.commission, title="Youth games")
    client.force_login(people["secretariat"])
    response = client.post(
        reverse("admin:partnership_event_changelist"), {"action": "export_admin_action", "_selected_action": [event.pk]}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("admin:partnership_event_export"),
        {"format": "0", "resource": "0", "export_items": [event.pk], "eventresource_title_en": "on"},
    )
    body = response.content.decode()
    assert body.splitlines() == ["title_en", event.title]
    assert other.title not in body


def test_language_switch_in_the_admin_header(client, people):
    client.force_login(people["editor_a"])
    page = client.get(reverse("admin:index")).content.decode()
    assert 'action="/i18n/setlang/"' in page and "What needs you" in page
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    page = client.get(reverse("admin:index")).content.decode()
    assert 'lang="ru"' in page and "Что требует вашего внимания" in page


def test_secretariat_assigns_editors_to_a_working_group(client, people):
    from tests.factories import UserFactory

    group = people["group_a"]
    newcomer = UserFactory(username="new-editor")
    outsider = UserFactory(username="not-staff", is_staff=False)
    client.force_login(people["secretariat"])
    page = client.get(reverse("admin:partnership_workinggroup_change", args=[group.pk])).content.decode()
    assert "new-editor" in page and "not-staff" not in page
    data = {
        "commission": group.commission_id,
        "name_en": group.name_en,
        "slug": group.slug,
        "order": 0,
        "active": "on",
        "editors": [people["editor_a"].pk, newcomer.pk],
        "co_chairs-TOTAL_FORMS": 0,
        "co_chairs-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:partnership_workinggroup_change", args=[group.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(group.editors.values_list("username", flat=True)) == {"editor-a", "new-editor"}
    data["editors"] = [outsider.pk]
    client.post(reverse("admin:partnership_workinggroup_change", args=[group.pk]), data)
    assert not group.editors.filter(pk=outsider.pk).exists()
