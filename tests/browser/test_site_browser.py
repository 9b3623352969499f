"""The public site in the machine's Chromium: filter, open, switch language, print.

Screenshots of the home, directory, project and report pages (desktop and phone width, and the
report's print preview) are saved under test-output/screenshots/ for a reviewer to look at.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from projects.models import Project

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}


def shot(page, name):
    """Save a full-page screenshot; at phone width, first check that nothing runs off the side."""
    if page.viewport_size["width"] <= PHONE["width"]:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


@pytest.fixture
def seeded(transactional_db):
    """The public facts and the fictional demo portfolio, as `make seed` loads them."""
    call_command("seed", verbosity=0)
    call_command("seed", demo=True, verbosity=0)
    return Project.objects.published().with_figures().order_by("code")


@pytest.fixture
def page(browser_page):
    """A page that records console errors, such as a resource the CSP refused to load."""
    errors = []
    browser_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    browser_page.console_errors = errors
    yield browser_page
    assert errors == [], errors


def test_home_shows_the_headline_figures(live_server, seeded, page):
    page.goto(live_server.url + "/en/")
    figures = page.locator(".stats")
    assert figures.get_by_text("Published projects").is_visible()
    assert figures.locator(".stat__value").first.inner_text() == str(seeded.count())
    assert page.locator("svg.chart title").first.text_content() == "Investment by sector"
    shot(page, "home")
    page.set_viewport_size(PHONE)
    shot(page, "home-phone")


def test_filter_the_directory_then_open_a_project(live_server, seeded, page):
    page.goto(live_server.url + "/en/projects/")
    pipeline = seeded.filter(status=Project.Status.PIPELINE)
    page.get_by_role("checkbox", name="Pipeline/identification").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**status=pipeline**")
    expected = pipeline.count()
    assert page.locator("#results-title").inner_text() == f"{expected} projects"
    codes = page.locator(".project-card .code").all_inner_texts()
    assert codes == list(pipeline.values_list("code", flat=True)[:20])
    assert page.get_by_role("checkbox", name="Pipeline/identification").is_checked()
    shot(page, "directory")

    first = pipeline.first()
    page.get_by_role("link", name=first.title, exact=True).click()
    page.wait_for_url(f"**/en/projects/{first.slug}/")
    assert page.locator("h1").inner_text() == first.title
    assert page.get_by_text("This project is fictional").is_visible()
    assert page.get_by_role("heading", name="Key facts").is_visible()
    shot(page, "project")
    page.set_viewport_size(PHONE)
    shot(page, "project-phone")


def test_keyboard_reaches_the_skip_link_first(live_server, seeded, page):
    page.goto(live_server.url + "/en/projects/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    # Following an in-page link is a same-document navigation that Playwright reports a
    # moment after the key press: wait for it rather than read the URL at once.
    page.wait_for_url("**/en/projects/#main", timeout=5000)
    assert page.url.endswith("#main")


def test_switch_language_keeps_the_page(live_server, seeded, page):
    project = seeded.first()
    page.goto(live_server.url + f"/en/projects/{project.slug}/")
    page.get_by_role("button", name="Русский").click()
    page.wait_for_url(f"**/ru/projects/{project.slug}/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("navigation", name="Основная навигация").get_by_role("link", name="Проекты").is_visible()
    assert page.get_by_role("heading", name="Основные сведения").is_visible()
    page.locator('.lang-switch button[value="uz"]').click()
    page.wait_for_url(f"**/uz/projects/{project.slug}/")
    assert page.locator("html").get_attribute("lang") == "uz"
    shot(page, "project-uz")


def test_print_preview_of_a_report_is_a_clean_document(live_server, seeded, page, tmp_path):
    page.goto(live_server.url + "/en/reports/")
    assert page.get_by_role("heading", name="By status").is_visible()
    shot(page, "report")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".report-form").is_visible()
    assert page.locator(".print-only").is_visible()
    assert page.locator("#table-status").is_visible()
    shot(page, "report-print")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "report.pdf").write_bytes(pdf.read_bytes())


def test_report_as_of_a_past_date_from_the_form(live_server, seeded, page):
    page.goto(live_server.url + "/en/reports/?as_of=2025-01-31")
    assert "As of Jan. 31, 2025" in page.locator(".report-head .lead").inner_text()
    page.goto(live_server.url + "/en/reports/?as_of=not-a-date")
    assert page.get_by_role("alert").inner_text().startswith("That date cannot be used")
    # The browser logs the 400 status of that page as an error: expected here.
    page.console_errors.clear()


def test_map_page_without_tiles_still_plots_every_location(live_server, seeded, page):
    page.goto(live_server.url + "/en/map/")
    points = page.locator("svg.chart--map a.map-point")
    assert points.count() > 10
    assert page.locator("svg.chart--map image").count() == 0
    shot(page, "map")


AUDIT = """() => {
  const problems = [];
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]);
  if (headings.filter(level => level === 1).length !== 1) problems.push('not exactly one h1');
  headings.forEach((level, i) => { if (i && level > headings[i - 1] + 1) problems.push('heading skips to h' + level); });
  for (const landmark of ['header', 'nav', 'main', 'footer']) {
    if (!document.querySelector(landmark)) problems.push('no ' + landmark);
  }
  for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!control.labels.length && !control.getAttribute('aria-label')) problems.push('unlabelled ' + control.name);
  }
  for (const image of document.querySelectorAll('img')) {
    if (!image.hasAttribute('alt')) problems.push('image without alt ' + image.src);
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!svg.querySelector('title') || svg.getAttribute('role') !== 'img') problems.push('chart without a name');
  }
  if (document.querySelector('[style]')) problems.push('inline style');
  return problems;
}"""


def test_pages_have_landmarks_ordered_headings_and_labelled_controls(live_server, seeded, page):
    project = seeded.first()
    for path in [
        "/en/",
        "/en/projects/",
        f"/en/projects/{project.slug}/",
        "/en/map/",
        "/en/reports/",
        "/en/working-groups/",
        "/en/commission/",
        "/en/commissions/",
        "/en/meetings/",
        "/en/directives/",
        "/en/agreements/",
        "/en/trade/",
        "/en/events/",
        "/kk/projects/",
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate(AUDIT) == [], path


CONTRAST = """(selector) => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll(selector)].map(e => {
    const [a, b] = [luminance(getComputedStyle(e).color), luminance(background(e))];
    return [e.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_text_on_coloured_badges_and_links_has_enough_contrast(live_server, seeded, page):
    page.goto(live_server.url + "/en/projects/")
    pairs = page.evaluate(CONTRAST, ".badge, .site-nav a, .meta, .muted, .count, a")
    assert len(pairs) > 50
    low = [(text, round(ratio, 2)) for text, ratio in pairs if ratio < 4.5]
    assert low == []
