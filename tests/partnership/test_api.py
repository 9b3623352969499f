"""The commission side of the API: every resource, its filters, CSV, and who may write."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Agreement, CoChair, Country, Directive, Event, Meeting, Sector
from tests import factories as f
from tests.helpers import DAY, assert_error, client_for, csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


def keys(response, key):
    assert response.status_code == 200, response.content[:500]
    return sorted(str(row[key]) for row in response.json()["results"])


# --- every resource, list and detail, JSON and CSV -----------------------------------------------


def one_of_each():
    group = f.WorkingGroupFactory(slug="energy", name="Energy and water")
    return {
        "countries": ("KZ", "code", f.CountryFactory(code="KZ").code),
        "commissions": ("kz-uz", "slug", group.commission.slug),
        "sectors": ("sector", "slug", f.SectorFactory(slug="sector").slug),
        "working-groups": ("energy", "slug", group.slug),
        "co-chairs": (None, "id", f.CoChairFactory(working_group=group).pk),
        "people": (None, "id", f.PersonFactory(full_name="Roman Sklyar").pk),
        "meetings": ("session", "slug", f.MeetingFactory(slug="session").slug),
        "directives": (None, "id", f.DirectiveFactory().pk),
        "agreements": ("treaty", "slug", f.AgreementFactory(slug="treaty").slug),
        "trade-figures": (None, "id", f.TradeFigureFactory(year=2024).pk),
        "events": ("festival", "slug", f.EventFactory(slug="festival").slug),
    }


def test_every_commission_resource_has_a_list_a_detail_and_a_csv(api):
    for resource, (_, key, value) in one_of_each().items():
        url = f"/api/v1/{resource}/"
        listed = api.get(url)
        assert str(value) in keys(listed, key), resource
        detail = api.get(f"{url}{value}/")
        assert detail.status_code == 200, (resource, detail.content[:300])
        assert str(detail.json()[key]) == str(value)
        header, rows = csv_rows(api.get(url, {"format": "csv"}))
        assert key in header and str(value) in [row[key] for row in rows], resource


def test_records_name_related_records_by_slug_or_code(api):
    group = f.WorkingGroupFactory(slug="energy")
    term = f.CoChairFactory(working_group=group, person=f.PersonFactory(full_name="Roman Sklyar"))
    body = api.get(f"/api/v1/co-chairs/{term.pk}/").json()
    assert body["working_group"] == "energy" and body["commission"] is None
    assert body["person_name"] == "Roman Sklyar" and body["country"] == "KZ"
    assert body["current"] is True
    commission = api.get("/api/v1/commissions/kz-uz/").json()
    assert commission["countries"] == ["KZ", "UZ"]
    assert commission["trade_target_usd"] == "10000000000.00"


def test_unpublished_events_are_hidden(api):
    shown = f.EventFactory()
    hidden = f.EventFactory(published=False)
    assert keys(api.get("/api/v1/events/"), "slug") == [shown.slug]
    assert_error(api.get(f"/api/v1/events/{hidden.slug}/"), 404)


# --- filters --------------------------------------------------------------------------------------


def check(api, url, cases, key):
    for query, expected in cases.items():
        assert keys(api.get(f"{url}?{query}"), key) == sorted(map(str, expected)), query


def test_working_group_filters(api):
    energy = f.SectorFactory(slug="energy")
    power = f.WorkingGroupFactory(slug="power", name="Power", mandate="Electricity trade")
    power.sectors.add(energy)
    old = f.WorkingGroupFactory(slug="old", active=False)
    cases = {"q=electricity": ["power"], "active=false": [old.slug], "sector=energy": ["power"]}
    check(api, "/api/v1/working-groups/", cases, "slug")
    for ordering, expected in (("-name", ["old", "power"]), ("name", ["power", "old"])):
        rows = api.get("/api/v1/working-groups/", {"ordering": ordering}).json()["results"]
        assert [row["slug"] for row in rows] == expected


def test_co_chair_filters(api, today):
    group = f.WorkingGroupFactory(slug="power")
    current = f.CoChairFactory(working_group=group)
    former = f.CoChairFactory(
        working_group=group,
        end_date=datetime.date(2024, 6, 1),
        person=f.PersonFactory(country=f.CountryFactory(code="UZ")),
    )
    commission = CoChair.objects.create(
        person=f.PersonFactory(), position="Prime Minister", commission=group.commission, start_date=today
    )
    cases = {
        "country=UZ": [former.pk],
        "working_group=power": [current.pk, former.pk],
        "body=commission": [commission.pk],
        "current=true": [current.pk, commission.pk],
        "current=false": [former.pk],
    }
    check(api, "/api/v1/co-chairs/", cases, "id")


def test_person_filters(api):
    kz = f.PersonFactory(full_name="Roman Sklyar")
    uz = f.PersonFactory(full_name="Jamshid Khodjaev", country=f.CountryFactory(code="UZ"))
    check(api, "/api/v1/people/", {"q=sklyar": [kz.pk], "country=UZ": [uz.pk]}, "id")


def test_meeting_filters(api):
    group = f.WorkingGroupFactory(slug="power")
    summit = f.MeetingFactory(slug="summit", kind=Meeting.Kind.HEADS_OF_STATE, date=datetime.date(2024, 8, 9))
    session = f.MeetingFactory(slug="session", date=datetime.date(2025, 3, 1), title="Fifth session in Tashkent")
    session.working_groups.add(group)
    cases = {
        "kind=heads_of_state": ["summit"],
        "year=2025": ["session"],
        "working_group=power": ["session"],
        "q=tashkent": ["session"],
    }
    check(api, "/api/v1/meetings/", cases, "slug")
    assert [row["slug"] for row in api.get("/api/v1/meetings/", {"ordering": "date"}).json()["results"]] == [
        summit.slug,
        session.slug,
    ]


def test_directive_filters(api, today):
    group = f.WorkingGroupFactory(slug="power")
    meeting = f.MeetingFactory(slug="summit")
    late = f.DirectiveFactory(meeting=meeting, text="Build the line", due_date=today - DAY)
    late.working_groups.add(group)
    done = f.DirectiveFactory(status=Directive.Status.DONE, due_date=today - DAY)
    cases = {
        "q=line": [late.pk],
        "status=done": [done.pk],
        "overdue=true": [late.pk],
        "overdue=false": [done.pk],
        "working_group=power": [late.pk],
        "meeting=summit": [late.pk],
    }
    check(api, "/api/v1/directives/", cases, "id")
    assert api.get(f"/api/v1/directives/{late.pk}/").json()["overdue"] is True


def test_agreement_filters(api):
    treaty = f.AgreementFactory(
        slug="treaty", title="Treaty on allied relations", signed_date=datetime.date(2024, 12, 22)
    )
    mou = f.AgreementFactory(
        slug="mou", kind=Agreement.Kind.MOU, status=Agreement.Status.IN_FORCE, signed_date=datetime.date(2021, 1, 1)
    )
    cases = {
        "q=allied": ["treaty"],
        "kind=mou": ["mou"],
        "status=in_force": ["mou"],
        "signed_after=2022-01-01": ["treaty"],
        "signed_before=2022-01-01": ["mou"],
    }
    check(api, "/api/v1/agreements/", cases, "slug")
    ordered = api.get("/api/v1/agreements/", {"ordering": "signed_date"}).json()["results"]
    assert [row["slug"] for row in ordered] == [mou.slug, treaty.slug]


def test_trade_figure_filters(api):
    old = f.TradeFigureFactory(year=2017)
    new = f.TradeFigureFactory(year=2024, turnover_usd=Decimal("4400000000"))
    cases = {"year_from=2020": [new.pk], "year_to=2020": [old.pk], "commission=kz-uz": [old.pk, new.pk]}
    check(api, "/api/v1/trade-figures/", cases, "id")


def test_event_filters(api, today):
    coming = f.EventFactory(slug="coming", kind=Event.Kind.SPORT, start_date=today + 10 * DAY, title="Football cup")
    past = f.EventFactory(slug="past", start_date=datetime.date(2023, 5, 1))
    cases = {
        "kind=sport": ["coming"],
        "upcoming=true": ["coming"],
        "upcoming=false": ["past"],
        "year=2023": ["past"],
        "q=football": ["coming"],
    }
    check(api, "/api/v1/events/", cases, "slug")
    assert [row["slug"] for row in api.get("/api/v1/events/", {"ordering": "start_date"}).json()["results"]] == [
        past.slug,
        coming.slug,
    ]


def test_country_commission_and_sector_search_and_ordering(api):
    f.CountryFactory(code="KZ")
    f.CountryFactory(code="UZ")
    f.SectorFactory(name="Energy", slug="energy", order=2)
    f.SectorFactory(name="Agriculture", slug="agriculture", order=1)
    assert keys(api.get("/api/v1/countries/", {"q": "uzbek"}), "code") == ["UZ"]
    assert [r["code"] for r in api.get("/api/v1/countries/", {"ordering": "-code"}).json()["results"]] == ["UZ", "KZ"]
    assert [r["slug"] for r in api.get("/api/v1/sectors/").json()["results"]] == ["agriculture", "energy"]
    assert keys(api.get("/api/v1/sectors/", {"q": "energ"}), "slug") == ["energy"]
    f.CommissionFactory(slug="kz-kg", name="Kazakhstan–Kyrgyzstan Council", short_name="KZ–KG")
    f.CommissionFactory()
    assert keys(api.get("/api/v1/commissions/", {"q": "kyrgyz"}), "slug") == ["kz-kg"]
    ordered = api.get("/api/v1/commissions/", {"ordering": "-name"}).json()["results"]
    assert [row["slug"] for row in ordered] == ["kz-uz", "kz-kg"]


@pytest.mark.parametrize(
    "url, query, parameter",
    [
        ("/api/v1/meetings/", "kind=picnic", "kind"),
        ("/api/v1/meetings/", "year=twenty", "year"),
        ("/api/v1/directives/", "overdue=perhaps", "overdue"),
        ("/api/v1/agreements/", "signed_after=22.12.2024", "signed_after"),
        ("/api/v1/trade-figures/", "year_from=1800", "year_from"),
        ("/api/v1/events/", "ordering=secret", "ordering"),
        ("/api/v1/co-chairs/", "body=parliament", "body"),
        ("/api/v1/countries/", "name=Kazakhstan", "name"),
        ("/api/v1/working-groups/", "page_size=1000", "page_size"),
    ],
)
def test_bad_filters_are_json_400s_naming_the_parameter(api, url, query, parameter):
    assert_error(api.get(f"{url}?{query}"), 400, parameter)


def test_unknown_records_are_json_404s(api):
    assert_error(api.get("/api/v1/countries/XX/"), 404)
    assert_error(api.get("/api/v1/countries/kz/"), 404)
    assert_error(api.get("/api/v1/meetings/no-such-meeting/"), 404)
    assert_error(api.get("/api/v1/directives/0/"), 404)


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 500])
def test_list_queries_do_not_grow_with_the_rows(api, django_assert_num_queries, count):
    commission = f.CommissionFactory()
    sector = f.SectorFactory()
    meeting = f.MeetingFactory(commission=commission)
    groups = f.WorkingGroupFactory._meta.model.objects.bulk_create(
        f.WorkingGroupFactory.build_batch(count, commission=commission)
    )
    f.WorkingGroupFactory._meta.model.sectors.through.objects.bulk_create(
        [f.WorkingGroupFactory._meta.model.sectors.through(workinggroup=g, sector=sector) for g in groups]
    )
    directives = Directive.objects.bulk_create(f.DirectiveFactory.build_batch(count, meeting=meeting))
    Directive.working_groups.through.objects.bulk_create(
        [Directive.working_groups.through(directive=d, workinggroup=groups[0]) for d in directives]
    )
    # A count, the page (commission joined), and the sectors (or working groups) of the page.
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/working-groups/", {"page_size": 500}).json()["results"]) == count
    with django_assert_num_queries(4):  # and the directives' follow-up entries
        assert len(api.get("/api/v1/directives/", {"page_size": 500}).json()["results"]) == count
    with django_assert_num_queries(3):
        assert len(csv_rows(api.get("/api/v1/meetings/", {"format": "csv"}))[1]) == 1


# --- writes ---------------------------------------------------------------------------------------


def test_secretariat_writes_commission_records_with_history(secretariat):
    client = client_for(secretariat)
    response = client.post("/api/v1/sectors/", {"name": "Mining", "slug": "mining"}, format="json")
    assert response.status_code == 201, response.content
    sector = Sector.objects.get(slug="mining")
    assert sector.history.latest().history_user == secretariat

    response = client.patch("/api/v1/sectors/mining/", {"name": "Mining and metals"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Mining and metals"

    f.CountryFactory(code="KZ")
    response = client.put("/api/v1/countries/KZ/", {"code": "KZ", "name": "Qazaqstan"}, format="json")
    assert response.status_code == 200
    assert Country.objects.get(code="KZ").name == "Qazaqstan"


def test_secretariat_publishes_events(secretariat):
    event = f.EventFactory(published=False)
    response = client_for(secretariat).patch(f"/api/v1/events/{event.slug}/", {"published": True}, format="json")
    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).published


def test_co_chair_from_a_non_member_country_is_refused_naming_the_person(secretariat):
    group = f.WorkingGroupFactory()
    outsider = f.PersonFactory(country=f.CountryFactory(code="KG", name="Kyrgyzstan"))
    body = {"person": outsider.pk, "position": "Minister", "working_group": group.slug, "start_date": "2025-01-01"}
    assert_error(client_for(secretariat).post("/api/v1/co-chairs/", body, format="json"), 400, "person")
    assert not CoChair.objects.exists()


def test_co_chair_for_both_bodies_is_refused(secretariat):
    group = f.WorkingGroupFactory()
    body = {
        "person": f.PersonFactory().pk,
        "position": "Minister",
        "working_group": group.slug,
        "commission": group.commission.slug,
    }
    assert_error(client_for(secretariat).post("/api/v1/co-chairs/", body, format="json"), 400, "working_group")


def test_agreement_in_force_until_before_from_is_refused(secretariat):
    commission = f.CommissionFactory()
    body = {
        "title": "Programme",
        "slug": "programme",
        "kind": "programme",
        "commission": commission.slug,
        "in_force_from": "2025-01-01",
        "in_force_until": "2024-01-01",
    }
    assert_error(client_for(secretariat).post("/api/v1/agreements/", body, format="json"), 400, "in_force_until")


def test_duplicate_trade_figure_year_is_refused(secretariat):
    figure = f.TradeFigureFactory(year=2024)
    body = {"commission": figure.commission.slug, "year": 2024, "turnover_usd": "1.00", "source": "Stat"}
    assert_error(client_for(secretariat).post("/api/v1/trade-figures/", body, format="json"), 400, "non_field_errors")


def test_editors_and_anonymous_may_not_write_commission_records(make_editor):
    group = f.WorkingGroupFactory()
    editor = client_for(make_editor(group))
    assert_error(editor.patch(f"/api/v1/working-groups/{group.slug}/", {"name": "Mine now"}, format="json"), 403)
    assert_error(editor.post("/api/v1/countries/", {"code": "KG", "name": "Kyrgyzstan"}, format="json"), 403)
    assert_error(client_for().post("/api/v1/countries/", {"code": "KG", "name": "Kyrgyzstan"}, format="json"), 401)
    assert not Country.objects.filter(code="KG").exists()
    assert group.__class__.objects.get(pk=group.pk).name == group.name


def test_non_json_body_is_a_415(secretariat):
    response = client_for(secretariat).post(
        "/api/v1/sectors/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 415)


def test_malformed_json_is_a_400(secretariat):
    response = client_for(secretariat).post("/api/v1/sectors/", "{not json", content_type="application/json")
    assert_error(response, 400)
