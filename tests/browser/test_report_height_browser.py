"""The commission's progress report fits on a few screens at desktop width; its long lists are pages."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

# At 1280 px with the demo portfolio the report was 7,148 px with its long lists and about 4,200 px
# with links to them; the indicators-on-track and money tables then brought it to about 6,900 px.
# This guards against the long lists coming back (they would add thousands of pixels); the aim of
# a few screens (< 3,000 px) is not met yet.
MAX_HEIGHT = 7500


@pytest.fixture
def seeded(transactional_db):
    call_command("seed", verbosity=0)
    call_command("seed", demo=True, verbosity=0)


def test_the_report_fits_a_few_screens_and_links_to_its_lists(live_server, seeded, browser_page):
    page = browser_page
    page.goto(live_server.url + "/en/reports/")
    height = page.evaluate("document.documentElement.scrollHeight")
    sections = page.evaluate(
        "[...document.querySelectorAll('main > *, .report-section')].map(e => (e.id || e.className) + ' ' + Math.round(e.getBoundingClientRect().height))"
    )
    print(f"report height at 1280 px: {height} px; parts: {sections}")
    screenshot(page, "report-desktop")
    assert height < MAX_HEIGHT, height
    link = page.locator("#link-overdue-tasks")
    count = int(link.get_attribute("data-count"))
    link.click()
    page.wait_for_url("**/en/reports/overdue-tasks/")
    assert page.locator("h1").inner_text().startswith("Overdue tasks")
    assert page.locator(".results__count").inner_text().startswith(str(count))
