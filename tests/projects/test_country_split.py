"""Investment by participant country: each project's USD split by its participants' shares."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import selectors
from projects.changes import day_start
from projects.models import Project, ProjectParticipant, Publication
from tests import factories as f
from tests.helpers import admin_url, csv_rows, url
from tests.projects.test_admin import project_form_data
from tests.projects.test_as_of import story  # noqa: F401  (the fixture, taken by a test below)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


@pytest.fixture
def countries():
    return f.CountryFactory(code="KZ", name="Kazakhstan"), f.CountryFactory(code="UZ", name="Uzbekistan")


def org(country):
    return f.OrganisationFactory(country=country)


def portfolio(countries):
    """Three priced projects: one split 60/40, one with a 30% share only, one with no share; and a draft."""
    kz, uz = countries
    split = f.ProjectFactory(investment_amount=Decimal("1000.00"))
    f.ParticipantFactory(project=split, organisation=org(kz), share=Decimal("60"))
    f.ParticipantFactory(project=split, organisation=org(uz), share=Decimal("40"))
    partial = f.ProjectFactory(investment_amount=Decimal("200.00"))
    f.ParticipantFactory(project=partial, organisation=org(uz), share=Decimal("30"))
    f.ParticipantFactory(project=partial, organisation=org(kz), role=ProjectParticipant.Role.IMPLEMENTER)
    bare = f.ProjectFactory(investment_amount=Decimal("50.00"))
    f.ParticipantFactory(project=bare, organisation=org(kz))
    draft = f.ProjectFactory(publication=Publication.DRAFT, investment_amount=Decimal("99999"))
    f.ParticipantFactory(project=draft, organisation=org(kz), share=Decimal("100"))
    return split, partial, bare


def as_dict(rows):
    return {row["key"]: row["usd"] for row in rows}


def test_shares_split_each_project_and_the_rest_is_unallocated(countries):
    portfolio(countries)
    rows = selectors.investment_by_participant_country(Project.objects.published())
    # KZ 60% of 1000; UZ 40% of 1000 + 30% of 200; the rest: 70% of 200 and all of 50.
    assert as_dict(rows) == {"KZ": Decimal("600.00"), "UZ": Decimal("460.00"), None: Decimal("190.00")}
    assert [row["key"] for row in rows] == ["KZ", "UZ", None]
    assert [row["count"] for row in rows] == [1, 2, 2]
    assert sum(row["usd"] for row in rows) == Project.objects.published().totals()["usd"] == Decimal("1250.00")
    assert rows[-1]["name"] == "Unallocated"


def test_thirds_round_to_cents_and_still_add_up_to_the_total(countries):
    kz, uz = countries
    third = Decimal("33.33")
    for amount in ("100.00", "0.10", "1000000.01"):
        project = f.ProjectFactory(investment_amount=Decimal(amount))
        for country in (kz, uz, f.CountryFactory(code="TJ")):
            f.ParticipantFactory(project=project, organisation=org(country), share=third)
    rows = selectors.investment_by_participant_country(Project.objects.all())
    assert sum(row["usd"] for row in rows) == Decimal("1000100.11")
    assert all(row["usd"] == row["usd"].quantize(Decimal("0.01")) for row in rows)
    assert round(sum(row["percent"] for row in rows), 6) == 100


def test_a_project_without_a_rate_is_left_out_of_the_split_as_of_the_total(countries):
    kz, _uz = countries
    unpriced = f.ProjectFactory(investment_amount=Decimal("500"), investment_currency="XAF")
    f.ParticipantFactory(project=unpriced, organisation=org(kz), share=Decimal("100"))
    priced = f.ProjectFactory(investment_amount=Decimal("10"))
    f.ParticipantFactory(project=priced, organisation=org(kz), share=Decimal("100"))
    rows = selectors.investment_by_participant_country(Project.objects.all())
    assert as_dict(rows) == {"KZ": Decimal("10.00"), None: Decimal("0.00")}


def test_no_projects_gives_an_empty_unallocated_row():
    rows = selectors.investment_by_participant_country(Project.objects.all())
    assert [(row["key"], row["usd"], row["percent"]) for row in rows] == [(None, Decimal("0.00"), None)]


@pytest.mark.parametrize("size", [2, 6])
def test_the_split_takes_three_queries_whatever_the_size(countries, size, django_assert_num_queries):
    kz, uz = countries
    for n in range(size):
        project = f.ProjectFactory(investment_amount=Decimal(100 + n))
        f.ParticipantFactory(project=project, organisation=org(kz if n % 2 else uz), share=Decimal("50"))
    with django_assert_num_queries(3):
        selectors.investment_by_participant_country(Project.objects.published())


# --- the site and the API ---------------------------------------------------------------------------


def test_the_report_table_and_the_api_show_the_same_split(client, api, countries):
    split, _partial, _bare = portfolio(countries)
    page = client.get(url("projects:report"))
    assert page.status_code == 200
    table = page.context["by_participant_country"]
    site = {row["key"]: row["usd"] for row in table}
    html = page.content.decode()
    assert 'id="table-participant-country"' in html and "Unallocated" in html
    assert ">190<" in html and ">1,250<" in html

    body = api.get("/api/v1/summary/").json()
    assert {row["key"]: Decimal(row["usd"]) for row in body["by_country"]} == site
    assert sum(Decimal(row["usd"]) for row in body["by_country"]) == Decimal(body["totals"]["usd"])
    header, rows = csv_rows(api.get("/api/v1/summary/by-country/", {"format": "csv"}))
    assert {"key", "name", "usd", "count", "percent"} <= set(header)
    assert {row["key"] or None: Decimal(row["usd"]) for row in rows} == site

    # The same filters narrow both: one working group's projects only.
    group = split.working_group.slug
    one = api.get("/api/v1/summary/by-country/", {"working_group": group}).json()
    assert as_dict(one) == {"KZ": "600.00", "UZ": "400.00", None: "0.00"}
    report = client.get(url("projects:report-workinggroup", slug=group))
    assert {row["key"]: row["usd"] for row in report.context["by_participant_country"]} == {
        "KZ": Decimal("600.00"),
        "UZ": Decimal("400.00"),
        None: Decimal("0.00"),
    }


def test_projects_by_location_country_stay_a_separate_count(api, countries):
    kz, uz = countries
    project = f.ProjectFactory(investment_amount=Decimal("10"))
    f.LocationFactory(project=project, country=kz)
    f.LocationFactory(project=project, country=uz)
    body = api.get("/api/v1/summary/by-location-country/").json()
    assert {row["key"]: row["count"] for row in body} == {"KZ": 1, "UZ": 1}
    assert api.get("/api/v1/summary/by-country/").json()[0]["key"] is None


# --- shares may not pass 100% --------------------------------------------------------------------------


def test_a_participant_whose_share_passes_100_percent_is_refused(countries):
    kz, uz = countries
    project = f.ProjectFactory()
    f.ParticipantFactory(project=project, organisation=org(kz), share=Decimal("70"))
    extra = ProjectParticipant(project=project, organisation=org(uz), role="financier", share=Decimal("30.5"))
    with pytest.raises(ValidationError) as caught:
        extra.full_clean()
    assert "100.5%" in caught.value.message_dict["share"][0]
    extra.share = Decimal("30")
    extra.full_clean()  # exactly 100% is fine


def participant_rows(project, *rows, initial=0):
    """The participants inline of the project form: (participant or None, organisation, share) rows."""
    data = {"participants-TOTAL_FORMS": len(rows), "participants-INITIAL_FORMS": initial}
    for n, (record, organisation, share) in enumerate(rows):
        data |= {
            f"participants-{n}-organisation": organisation.pk,
            f"participants-{n}-role": "investor" if n == 0 else "financier",
            f"participants-{n}-share": share,
            f"participants-{n}-project": project.pk,
        }
        if record is not None:
            data[f"participants-{n}-id"] = record.pk
    return project_form_data(project, **data)


def test_the_admin_refuses_shares_over_100_percent_in_one_save(admin_client, countries):
    kz, uz = countries
    project = f.ProjectFactory(publication=Publication.DRAFT)
    one, two = org(kz), org(uz)
    change = admin_url(project, "change", project.pk)

    response = admin_client.post(change, participant_rows(project, (None, one, "60"), (None, two, "50")))
    assert response.status_code == 200
    assert "would add up to 110%" in response.content.decode()
    assert not project.participants.exists()

    response = admin_client.post(change, participant_rows(project, (None, one, "60"), (None, two, "40")))
    assert response.status_code == 302, response.content.decode()[:2000]
    a, b = project.participants.order_by("share")
    # Moving 20 points from one to the other in one save is fine, though each row alone would pass 100%.
    response = admin_client.post(change, participant_rows(project, (b, one, "40"), (a, two, "60"), initial=2))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(project.participants.values_list("share", flat=True)) == [Decimal("40"), Decimal("60")]


def test_a_past_day_splits_each_projects_us_dollar_figure_then(client, api, countries, story):
    """Shares are today's (they keep no dated history), each project's US-dollar figure the day's:
    the split adds up to that day's total, on the site and in the API."""
    kz, uz = countries
    d, alpha = story["d"], story["a"]
    f.ParticipantFactory(project=alpha, organisation=org(kz), share=Decimal("60"))
    f.ParticipantFactory(project=alpha, organisation=org(uz), share=Decimal("40"))
    page = client.get(url("projects:report") + f"?as_of={d(30).isoformat()}")
    then = page.context
    alpha_then = Project.history.filter(id=alpha.pk, history_date__lt=day_start(d(29))).first()
    assert alpha_then.investment_amount != alpha.investment_amount  # raised to 3,000,000 at d(20)
    split = as_dict(then["by_participant_country"])
    assert split["KZ"] == (alpha_then.investment_amount * Decimal("0.6")).quantize(Decimal("0.01"))
    assert split["UZ"] == (alpha_then.investment_amount * Decimal("0.4")).quantize(Decimal("0.01"))
    assert sum(split.values()) == then["totals"]["usd"]
    assert "US-dollar figure is the one it had on this day" in page.content.decode()

    body = api.get("/api/v1/summary/", {"as_of": d(30).isoformat()}).json()
    assert {row["key"]: Decimal(row["usd"]) for row in body["by_country"]} == split
    assert Decimal(body["totals"]["usd"]) == then["totals"]["usd"]
    # Today the same shares split today's figure.
    today = as_dict(client.get(url("projects:report")).context["by_participant_country"])
    assert today["KZ"] == Decimal("1800000.00")
