"""The sitemap: an index of sections, each split into pages of at most `limit` addresses."""

import re

import pytest

from partnership.sitemaps import I18nSitemap
from projects.models import Publication
from tests import factories as f

pytestmark = pytest.mark.django_db

SECTIONS = [
    "pages",
    "projects",
    "commissions",
    "working-groups",
    "meetings",
    "directives",
    "agreements",
    "events",
    "datasets",
]


def locations(body):
    return re.findall(r"<loc>(.*?)</loc>", body)


def test_the_index_lists_every_section_and_robots_names_it(client):
    f.ProjectFactory()
    body = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in body
    assert locations(body) == [f"http://testserver/sitemap-{section}.xml" for section in SECTIONS]
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_a_page_holds_at_most_the_limit_and_no_draft(client, monkeypatch):
    monkeypatch.setattr(I18nSitemap, "limit", 10)
    published = [f.ProjectFactory(slug=f"open-{n}") for n in range(6)]  # 6 projects x 4 languages
    f.ProjectFactory(slug="secret", publication=Publication.DRAFT)
    index = locations(client.get("/sitemap.xml").content.decode())
    pages = [address for address in index if "sitemap-projects.xml" in address]
    assert pages == [f"http://testserver/sitemap-projects.xml{query}" for query in ("", "?p=2", "?p=3")]
    seen = []
    for page in pages:
        body = client.get(page.removeprefix("http://testserver")).content.decode()
        assert body.count("<url>") <= 10
        seen += locations(body)
    assert len(seen) == len(published) * 4
    assert {f"http://testserver/ru/projects/open-{n}/" for n in range(6)} <= set(seen)
    assert not [address for address in seen if "secret" in address]


def test_a_page_past_the_last_is_a_404(client):
    f.ProjectFactory()
    assert client.get("/sitemap-projects.xml?p=2").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
