"""The interactive API documentation renders in a real browser under the site's strict CSP."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def schema_paths(client):
    """Every path the OpenAPI schema documents, as Swagger UI prints it."""
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return set(schema["paths"])


def paths_shown_while_scrolling(page):
    """Swagger UI draws a long list of operations only as it scrolls into view: scroll to the end."""
    shown = set()
    position, height = 0, page.evaluate("document.body.scrollHeight")
    while position < height:
        shown.update(page.locator(".opblock-summary-path").all_inner_texts())
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
        position += 600
        height = page.evaluate("document.body.scrollHeight")
    shown.update(page.locator(".opblock-summary-path").all_inner_texts())
    return {path.replace("\u200b", "") for path in shown}


def test_swagger_ui_renders_every_endpoint_without_csp_violations(live_server, browser_page, client):
    messages = []
    browser_page.on("console", lambda message: messages.append(message.text))
    browser_page.goto(live_server.url + "/api/docs/")

    title = browser_page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Partnership tracker API" in title.inner_text()
    browser_page.locator(".opblock-summary-path").first.wait_for()

    documented = schema_paths(client)
    assert {"/api/v1/results/", "/api/v1/indicators/", "/api/v1/indicator-values/"} <= documented
    assert documented - paths_shown_while_scrolling(browser_page) == set()
    refused = [text for text in messages if "Content Security Policy" in text or "Refused to" in text]
    assert refused == []
