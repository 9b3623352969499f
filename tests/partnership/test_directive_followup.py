"""Directive follow-up: entries with evidence and a status change, the directive's own page, the
tracker's columns, the report section, the API, the admin inline and the seeded Khiva record."""

import datetime
from io import StringIO

import factory
import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.test import RequestFactory

from partnership import services
from partnership.models import Directive, DirectiveFollowUp
from projects.models import Publication
from tests import factories as f
from tests.helpers import DAY, admin_url, assert_error, client_for, field_errors, refused_by_db, url

pytestmark = pytest.mark.django_db


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectiveFollowUp

    directive = factory.SubFactory(f.DirectiveFactory)
    date = datetime.date(2024, 6, 1)
    text = factory.Sequence(lambda n: f"Step {n} taken")


@pytest.fixture
def directive(today):
    commission = f.CommissionFactory()
    group = f.WorkingGroupFactory(commission=commission, name="Water group", slug="water")
    meeting = f.MeetingFactory(
        commission=commission, title="Summit in Khiva", slug="khiva", date=datetime.date(2024, 4, 5)
    )
    directive = f.DirectiveFactory(
        meeting=meeting,
        text="Build the joint centre",
        due_date=today - 30 * DAY,
        source="Press service",
        source_url="https://example.org/summit",
    )
    directive.working_groups.set([group])
    public = f.ProjectFactory(code="C-1", title="Public centre", slug="public-centre", working_group=group)
    draft = f.ProjectFactory(
        code="C-9", title="Secret annex", slug="secret-annex", working_group=group, publication=Publication.DRAFT
    )
    directive.projects.set([public, draft])
    return directive


# --- the model and the service ----------------------------------------------------------------------


def test_a_follow_up_with_a_status_sets_the_directive_status_and_the_latest_date_wins(directive):
    later = FollowUpFactory.build(directive=directive, date=datetime.date(2025, 11, 15), status_after="in_progress")
    services.save_follow_ups(directive=directive, saved=[later])
    directive.refresh_from_db()
    assert directive.status == Directive.Status.IN_PROGRESS
    # An entry dated earlier, entered afterwards, does not overrule the later one.
    earlier = FollowUpFactory.build(directive=directive, date=datetime.date(2024, 5, 1), status_after="done")
    services.save_follow_ups(directive=directive, saved=[earlier])
    directive.refresh_from_db()
    assert directive.status == Directive.Status.IN_PROGRESS
    # Deleting the latest entry gives the word back to the one before it.
    services.save_follow_ups(directive=directive, deleted=[later])
    directive.refresh_from_db()
    assert directive.status == Directive.Status.DONE
    assert directive.history.first().status == Directive.Status.DONE  # the change is in the history


def test_a_follow_up_without_a_status_leaves_it_alone(directive):
    services.save_follow_ups(directive=directive, saved=[FollowUpFactory.build(directive=directive)])
    directive.refresh_from_db()
    assert directive.status == Directive.Status.OPEN


def test_bad_follow_ups_are_refused_with_a_clear_message(directive, today):
    before = FollowUpFactory.build(directive=directive, date=datetime.date(2024, 4, 4))
    assert "before the meeting that gave the directive" in field_errors(before)["date"][0]
    future = FollowUpFactory.build(directive=directive, date=today + DAY)
    assert "cannot be in the future" in field_errors(future)["date"][0]
    bad_link = FollowUpFactory.build(directive=directive, evidence_url="not a link")
    assert "evidence_url" in field_errors(bad_link)
    title_only = FollowUpFactory.build(directive=directive, evidence_title="Decree No. 5")
    assert "link to the evidence" in field_errors(title_only)["evidence_url"][0]
    refused_by_db(lambda: FollowUpFactory(directive=directive, status_after="finished"))
    refused_by_db(lambda: FollowUpFactory(directive=directive, evidence_title="Decree", evidence_url=""))


# --- the directive's page ---------------------------------------------------------------------------


def test_directive_page_shows_follow_up_evidence_due_date_groups_and_source(client, directive):
    FollowUpFactory(
        directive=directive,
        date=datetime.date(2025, 11, 15),
        text="The centre was launched at a ceremony.",
        evidence_url="https://example.org/launch",
        evidence_title="Launch report",
        status_after="in_progress",
        source="Akorda",
    )
    services.save_follow_ups(directive=directive)
    response = client.get(url("partnership:directive-detail", pk=directive.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Build the joint centre" in body
    assert 'href="/en/meetings/khiva/"' in body and "Summit in Khiva" in body
    assert directive.due_date.strftime("%Y-%m-%d") in body
    assert 'href="/en/working-groups/water/"' in body
    assert "The centre was launched at a ceremony." in body
    assert '<a href="https://example.org/launch" rel="external noopener">Launch report</a>' in body
    assert "status set to" in body and "In progress" in body
    assert "Akorda" in body  # the entry's source
    assert '<a href="https://example.org/summit" rel="external noopener">Press service</a>' in body
    assert "Public centre" in body
    assert "Secret annex" not in body and "C-9" not in body  # a draft project never leaks


def test_directive_page_marks_an_overdue_directive_and_not_a_done_one(client, directive):
    page = url("partnership:directive-detail", pk=directive.pk)
    assert "badge--late" in client.get(page).content.decode()
    Directive.objects.filter(pk=directive.pk).update(status=Directive.Status.DONE)
    assert "badge--late" not in client.get(page).content.decode()


@pytest.mark.parametrize("address", ["/en/directives/0/", "/en/directives/99999999999999999999/"])
def test_a_missing_directive_is_a_404(client, address):
    assert client.get(address).status_code == 404


def test_the_tracker_and_the_meeting_page_link_each_directive_and_show_due_date_and_groups(client, directive):
    link = f'href="/en/directives/{directive.pk}/"'
    tracker = client.get(url("partnership:directive-list")).content.decode()
    assert link in tracker
    assert 'href="/en/working-groups/water/"' in tracker
    assert directive.due_date.strftime("%Y-%m-%d") in tracker
    assert link in client.get(url("partnership:meeting-detail", slug="khiva")).content.decode()


def test_the_sitemap_lists_directive_pages(client, directive):
    body = client.get("/sitemap-directives.xml").content.decode()
    assert f"http://testserver/en/directives/{directive.pk}/" in body
    assert f"http://testserver/uz/directives/{directive.pk}/" in body


def bulk_directives(size, today):
    commission = f.CommissionFactory()
    groups = [f.WorkingGroupFactory(commission=commission) for _ in range(3)]
    meeting = f.MeetingFactory(commission=commission, date=datetime.date(2024, 1, 10))
    directives = Directive.objects.bulk_create(
        f.DirectiveFactory.build_batch(size, meeting=meeting, due_date=today - DAY)
    )
    Directive.working_groups.through.objects.bulk_create(
        Directive.working_groups.through(directive=d, workinggroup=g) for d in directives for g in groups
    )
    DirectiveFollowUp.objects.bulk_create(
        DirectiveFollowUp(directive=d, date=datetime.date(2024, 2, day), text=f"Step {day}", status_after="open")
        for d in directives
        for day in (1, 2)
    )
    projects = [f.ProjectFactory(working_group=groups[0]) for _ in range(3)]
    directives[0].projects.set(projects)
    for project in projects:
        project.directives.add(*directives[1 : min(size, 20)])
    return directives[0]


@pytest.mark.parametrize("size", [5, 60])
def test_query_counts_do_not_grow_on_the_page_tracker_and_api(client, api, django_assert_num_queries, size, today):
    first = bulk_directives(size, today)
    # The page: the directive with its meeting, then its groups, entries and published projects.
    with django_assert_num_queries(4):
        assert client.get(url("partnership:directive-detail", pk=first.pk)).status_code == 200
    # The tracker: counts, groups for the filter, the page count, the rows and their groups.
    with django_assert_num_queries(5):
        assert client.get(url("partnership:directive-list")).status_code == 200
    # The API: the count, the rows, their groups and their follow-up entries.
    with django_assert_num_queries(4):
        rows = api.get("/api/v1/directives/", {"page_size": 100}).json()["results"]
    assert len(rows) == size and all(len(row["follow_ups"]) == 2 for row in rows)


# --- the report -------------------------------------------------------------------------------------


def test_report_lists_the_latest_follow_up_of_each_directive_in_its_scope(client, directive):
    FollowUpFactory(directive=directive, date=datetime.date(2024, 6, 1), text="Site chosen")
    FollowUpFactory(
        directive=directive, date=datetime.date(2025, 11, 15), text="Centre launched", status_after="in_progress"
    )
    elsewhere = f.DirectiveFactory(meeting=directive.meeting, text="Dredge the canal")
    elsewhere.working_groups.set([f.WorkingGroupFactory(commission=directive.meeting.commission, slug="canal")])
    FollowUpFactory(directive=elsewhere, date=datetime.date(2024, 7, 1), text="Canal surveyed")

    response = client.get(url("projects:report-workinggroup", slug="water"))
    rows = response.context["directive_followup"]["rows"]
    assert [entry.text for entry in rows] == ["Centre launched"]  # latest only, this group only
    body = response.content.decode()
    assert "Directive follow-up" in body and "Centre launched" in body and "Site chosen" not in body
    assert "Canal surveyed" not in body
    assert 'href="/en/directives/?working_group=water"' in body
    assert f'href="/en/directives/{directive.pk}/"' in body

    commission = client.get(url("projects:report", slug=directive.meeting.commission.slug))
    assert [e.text for e in commission.context["directive_followup"]["rows"]] == ["Centre launched", "Canal surveyed"]
    # As of an earlier date, the report shows what was known then.
    earlier = client.get(url("projects:report-workinggroup", slug="water") + "?as_of=2025-01-01")
    assert [entry.text for entry in earlier.context["directive_followup"]["rows"]] == ["Site chosen"]


def test_the_tracker_follows_the_report_scope(client, directive):
    other = f.DirectiveFactory(text="Another commission's directive")
    body = client.get(url("partnership:directive-list") + f"?commission={directive.meeting.commission.slug}")
    assert "Build the joint centre" in body.content.decode()
    assert other.text not in body.content.decode()


# --- the API ----------------------------------------------------------------------------------------


def test_api_directive_carries_due_date_groups_source_and_follow_ups(api, directive):
    FollowUpFactory(directive=directive, date=datetime.date(2025, 11, 15), text="Launched", status_after="done")
    row = api.get(f"/api/v1/directives/{directive.pk}/").json()
    assert row["due_date"] == directive.due_date.isoformat()
    assert row["working_groups"] == ["water"]
    assert row["source"] == "Press service" and row["source_url"] == "https://example.org/summit"
    assert [(e["date"], e["text"], e["status_after"]) for e in row["follow_ups"]] == [
        ("2025-11-15", "Launched", "done")
    ]


def test_api_follow_up_write_sets_the_directive_status(secretariat, directive):
    body = {
        "directive": directive.pk,
        "date": "2025-11-15",
        "text": "The centre was launched.",
        "evidence_url": "https://example.org/launch",
        "status_after": "in_progress",
    }
    response = client_for(secretariat).post("/api/v1/directive-follow-ups/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["directive_status"] == "in_progress"
    directive.refresh_from_db()
    assert directive.status == Directive.Status.IN_PROGRESS
    entry = directive.follow_ups.get()
    assert entry.history.first().history_user == secretariat


@pytest.mark.parametrize(
    "change, field",
    [
        ({"date": "2024-01-01"}, "date"),  # before the meeting
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"status_after": "finished"}, "status_after"),
        ({"directive": 0}, "directive"),
    ],
)
def test_api_refuses_bad_follow_ups_with_a_clear_message(secretariat, directive, change, field):
    body = {"directive": directive.pk, "date": "2025-11-15", "text": "Launched", **change}
    assert_error(client_for(secretariat).post("/api/v1/directive-follow-ups/", body, format="json"), 400, field)
    directive.refresh_from_db()
    assert directive.status == Directive.Status.OPEN and not directive.follow_ups.exists()


def test_editors_and_anonymous_may_not_write_follow_ups(make_editor, directive):
    editor = make_editor(directive.working_groups.get())
    body = {"directive": directive.pk, "date": "2025-11-15", "text": "Launched", "status_after": "done"}
    assert_error(client_for(editor).post("/api/v1/directive-follow-ups/", body, format="json"), 403)
    assert_error(client_for().post("/api/v1/directive-follow-ups/", body, format="json"), 401)
    directive.refresh_from_db()
    assert directive.status == Directive.Status.OPEN and not directive.follow_ups.exists()


# --- the admin --------------------------------------------------------------------------------------


def directive_form(directive, user, **changes):
    """What the directive's change form posts, unchanged but for `changes`."""
    model_admin = site._registry[Directive]
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, directive)(instance=directive)
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data.update({"follow_ups-TOTAL_FORMS": 0, "follow_ups-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_admin_inline_follow_up_sets_the_status(client, secretariat, directive):
    client.force_login(secretariat)
    data = directive_form(
        directive,
        secretariat,
        **{
            "follow_ups-TOTAL_FORMS": 1,
            "follow_ups-0-date": "2025-11-15",
            "follow_ups-0-text_en": "Launched at a ceremony.",
            "follow_ups-0-status_after": "in_progress",
            "follow_ups-0-evidence_url": "https://example.org/launch",
        },
    )
    response = client.post(admin_url(directive, "change", directive.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    directive.refresh_from_db()
    assert directive.status == Directive.Status.IN_PROGRESS
    assert directive.follow_ups.get().text == "Launched at a ceremony."


def test_admin_refuses_a_follow_up_before_the_meeting(client, secretariat, directive):
    client.force_login(secretariat)
    data = directive_form(
        directive,
        secretariat,
        **{
            "follow_ups-TOTAL_FORMS": 1,
            "follow_ups-0-date": "2024-01-01",
            "follow_ups-0-text_en": "Too early.",
            "follow_ups-0-status_after": "done",
        },
    )
    response = client.post(admin_url(directive, "change", directive.pk), data)
    assert response.status_code == 200
    assert "before the meeting that gave the directive" in response.content.decode()
    directive.refresh_from_db()
    assert directive.status == Directive.Status.OPEN and not directive.follow_ups.exists()


def test_an_editor_reads_follow_ups_but_cannot_change_them(client, make_editor, directive):
    FollowUpFactory(directive=directive, text="Launched at a ceremony.")
    editor = make_editor(directive.working_groups.get())
    client.force_login(editor)
    page = client.get(admin_url(directive, "change", directive.pk))
    assert page.status_code == 200
    assert "Launched at a ceremony." in page.content.decode()
    assert 'name="follow_ups-0-text_en"' not in page.content.decode()  # shown, not editable
    data = directive_form(directive, editor, **{"status": "done"})
    assert client.post(admin_url(directive, "change", directive.pk), data).status_code == 403


# --- the seeded record ------------------------------------------------------------------------------


def test_seeded_khiva_directives_show_their_follow_up_and_not_all_are_open(client):
    call_command("seed", stdout=StringIO())
    khiva = Directive.objects.filter(meeting__slug="khiva-informal-summit-2024")
    assert khiva.count() == 10
    assert khiva.exclude(status=Directive.Status.OPEN).exists()
    assert all(d.source for d in khiva)
    icic = khiva.get(order=4)
    assert icic.status == Directive.Status.IN_PROGRESS and icic.due_date == datetime.date(2024, 12, 31)
    launch = icic.follow_ups.get()
    assert launch.date == datetime.date(2025, 11, 15) and "2027" in launch.text and "Akorda" in launch.source
    assert all(launch.text_ru and launch.text_kk and launch.text_uz for launch in DirectiveFollowUp.objects.all())
    # UzKazTrade predates the directive: context, not completion.
    assert khiva.get(order=5).status == Directive.Status.OPEN
    # Each seeded status agrees with what its latest follow-up sets.
    for directive in khiva:
        assert services.status_from_follow_ups(directive) in (None, directive.status)
    # Uzbek text uses the modifier letter ʻ, never a quotation mark.
    assert not [e for e in DirectiveFollowUp.objects.all() if "‘" in e.text_uz or "’" in e.text_uz]
    body = client.get(url("partnership:directive-detail", pk=icic.pk, lang="ru")).content.decode()
    assert "Центральная Азия" in body and "Akorda" in body
    # A second run changes nothing.
    out = StringIO()
    call_command("seed", stdout=out)
    assert "nothing changed" in out.getvalue()


@pytest.mark.parametrize(
    "query, status",
    [
        ({"directive": "99999999999999999999"}, 400),
        ({"directive": "123456"}, 200),
        ({"directive": "abc"}, 400),
        ({"status_after": "finished"}, 400),
    ],
)
def test_follow_up_list_filters_answer_bad_input_without_an_error_page(api, directive, query, status):
    FollowUpFactory(directive=directive)
    response = api.get("/api/v1/directive-follow-ups/", query)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["results"] == []


def test_follow_up_list_filters_by_directive(api, directive):
    FollowUpFactory(directive=directive, text="Ours")
    FollowUpFactory(text="Someone else's")
    rows = api.get("/api/v1/directive-follow-ups/", {"directive": directive.pk}).json()["results"]
    assert [row["text"] for row in rows] == ["Ours"]


def test_follow_up_admin_list_add_and_delete_go_through_the_status_rule(client, secretariat, directive):
    client.force_login(secretariat)
    response = client.post(
        admin_url(DirectiveFollowUp, "add"),
        {"directive": directive.pk, "date": "2025-11-15", "text_en": "Launched.", "status_after": "done"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    directive.refresh_from_db()
    assert directive.status == Directive.Status.DONE
    entry = directive.follow_ups.get()
    assert "Launched." in client.get(admin_url(DirectiveFollowUp, "changelist")).content.decode()
    earlier = FollowUpFactory(directive=directive, date=datetime.date(2024, 6, 1), status_after="in_progress")
    response = client.post(admin_url(entry, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.status == Directive.Status.IN_PROGRESS and list(directive.follow_ups.all()) == [earlier]
