"""Commissions have their own pages: a second commission, entered in the admin, is not invisible."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from partnership.models import Commission
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def two_commissions(client, secretariat):
    """The first commission from the factories; the second entered through the admin, as staff would."""
    first = f.CommissionFactory(name="Kazakhstan–Uzbekistan Commission", slug="kz-uz")
    energy = f.WorkingGroupFactory(commission=first, name="Energy group", slug="energy")
    f.ProjectFactory(code="UZ-1", title="Tashkent power line", working_group=energy, investment_amount=Decimal("7e6"))
    f.TradeFigureFactory(commission=first, year=2024, turnover_usd=Decimal("4400000000"), source="Uzbek customs")
    kz, kg = f.CountryFactory(code="KZ"), f.CountryFactory(code="KG", name="Kyrgyzstan")
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:partnership_commission_add"),
        {
            "name_en": "Kazakhstan–Kyrgyzstan Commission",
            "short_name_en": "KZ–KG",
            "slug": "kz-kg",
            "countries": [kz.pk, kg.pk],
            "co_chairs-TOTAL_FORMS": 0,
            "co_chairs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    second = Commission.objects.get(slug="kz-kg")
    water = f.WorkingGroupFactory(commission=second, name="Water group", slug="water")
    f.ProjectFactory(code="KG-1", title="Naryn canal", working_group=water, investment_amount=Decimal("3e6"))
    f.ProjectFactory(code="KG-2", title="Osh road", working_group=water, investment_amount=Decimal("2e6"))
    f.TradeFigureFactory(commission=second, year=2024, turnover_usd=Decimal("1200000000"), source="Kyrgyz customs")
    return first, second


def test_each_commission_has_its_own_pages_with_its_own_data(client, two_commissions):
    first, second = two_commissions
    own = {first: ("Energy group", "Uzbek customs", "UZ-1"), second: ("Water group", "Kyrgyz customs", "KG-1")}
    for commission, (group, source, code) in own.items():
        other_group, other_source, other_code = own[second if commission == first else first]
        page = client.get(url("partnership:commission-detail", slug=commission.slug))
        assert page.status_code == 200
        body = page.content.decode()
        assert group in body and other_group not in body
        trade = client.get(url("partnership:trade", slug=commission.slug)).content.decode()
        assert source in trade and other_source not in trade
        report = client.get(url("projects:report", slug=commission.slug))
        assert report.status_code == 200
        assert report.context["subject"] == commission
        stale = [project.code for project in report.context["stale"]]  # no progress update yet
        assert code in stale and other_code not in stale
    second_totals = client.get(url("projects:report", slug="kz-kg")).context["totals"]
    assert (second_totals["count"], second_totals["usd"]) == (2, Decimal("5e6"))
    assert client.get(url("projects:report", slug="kz-uz")).context["totals"]["usd"] == Decimal("7e6")


def test_the_single_commission_addresses_show_the_default_commission(client, settings, two_commissions):
    first, second = two_commissions
    # Unset: the first commission recorded, although the second sorts first by name.
    assert client.get(url("partnership:commission-detail")).context["commission"] == first
    assert client.get(url("partnership:trade")).context["commission"] == first
    assert client.get(url("projects:report")).context["subject"] == first
    settings.DEFAULT_COMMISSION = "kz-kg"
    assert client.get(url("partnership:commission-detail")).context["commission"] == second
    assert client.get(url("partnership:trade")).context["commission"] == second
    assert client.get(url("projects:report")).context["subject"] == second
    settings.DEFAULT_COMMISSION = "no-such-commission"  # a typo falls back rather than hiding the site
    assert client.get(url("partnership:commission-detail")).context["commission"] == first


def test_commission_list_links_to_every_commission_and_its_pages(client, two_commissions):
    body = client.get(url("partnership:commission-list")).content.decode()
    for slug in ("kz-uz", "kz-kg"):
        assert f'href="/en/commissions/{slug}/"' in body
        assert f'href="/en/commissions/{slug}/reports/"' in body
        assert f'href="/en/commissions/{slug}/trade/"' in body


def test_working_group_pages_link_to_their_commission(client, two_commissions):
    body = client.get(url("partnership:workinggroup-detail", slug="water")).content.decode()
    assert 'href="/en/commissions/kz-kg/"' in body
    listing = client.get(url("partnership:workinggroup-list")).content.decode()
    assert 'href="/en/commissions/kz-kg/"' in listing and 'href="/en/commissions/kz-uz/"' in listing


def test_unknown_commission_is_404(client, two_commissions):
    for name in ("partnership:commission-detail", "partnership:trade", "projects:report"):
        assert client.get(url(name, slug="nope")).status_code == 404


def test_sitemap_lists_every_commission_page_in_every_language(client, two_commissions):
    body = client.get("/sitemap-commissions.xml").content.decode()
    for slug in ("kz-uz", "kz-kg"):
        for lang in ("en", "ru", "kk", "uz"):
            assert f"http://testserver/{lang}/commissions/{slug}/</loc>" in body
            assert f"http://testserver/{lang}/commissions/{slug}/trade/</loc>" in body
            assert f"http://testserver/{lang}/commissions/{slug}/reports/</loc>" in body


@pytest.mark.parametrize("size", [2, 20])
def test_commission_list_query_count_does_not_grow(client, django_assert_num_queries, size):
    for i in range(size):
        f.WorkingGroupFactory(commission=f.CommissionFactory(slug=f"c-{i}"), slug=f"g-{i}")
    with django_assert_num_queries(3):
        assert client.get(url("partnership:commission-list")).status_code == 200


def test_commission_list_is_translated(client, two_commissions):
    for lang, heading in (("ru", "Комиссии"), ("kk", "Комиссиялар"), ("uz", "Komissiyalar")):
        with translation.override(lang):
            address = reverse("partnership:commission-list")
        assert f"<h1>{heading}</h1>" in client.get(address).content.decode()
