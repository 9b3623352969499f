"""Shared Playwright fixtures for browser tests (`make browser`).

Playwright drives the machine's Chromium (/usr/bin/chromium); its own browser download does not
work here. Use `browser_page` together with pytest-django's `live_server`:

    @pytest.mark.browser
    def test_something(live_server, browser_page):
        browser_page.goto(live_server.url + "/en/")

`screenshot(page, name)` saves test-output/<name>.png (the folder is gitignored).
"""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page in its own context (no cookies shared between tests), English, 1280×900."""
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    """Save a full-page screenshot as test-output/<name>.png and return its path."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
