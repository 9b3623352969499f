"""The OpenAPI schema: generated without warnings, valid OpenAPI 3, complete; the docs page works under CSP."""

import re

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

from partnership.rest.filtering import FilterBackend
from projects import api_urls
from tests.helpers import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttle")]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # --fail-on-warn turns any drf-spectacular warning or error into a failure here.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_describes_every_endpoint(schema):
    for viewset_prefix, *_ in api_urls.router.registry:
        assert f"/api/v1/{viewset_prefix}/" in schema["paths"], viewset_prefix
    assert "/api/v1/summary/by-{dimension}/" in schema["paths"]
    detail = schema["paths"]["/api/v1/projects/{slug}/"]
    assert {"get", "put", "patch"} <= set(detail)
    assert "delete" not in detail


def test_every_list_documents_its_filters_and_pagination(schema):
    for prefix, viewset, _ in api_urls.router.registry:
        operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
        documented = {parameter["name"] for parameter in operation.get("parameters", [])}
        filters = FilterBackend().get_filterset_class(viewset(), viewset.queryset).base_filters
        assert set(filters) <= documented, prefix
        if viewset.pagination_class is not None:
            assert {"page", "page_size", "format"} <= documented, prefix


def test_enums_and_error_shape_are_described(schema):
    components = schema["components"]["schemas"]
    assert components["ProjectStatusEnum"]["enum"] == [
        "pipeline",
        "implementation",
        "finalisation",
        "closed",
        "cancelled",
        "suspended",
    ]
    assert "TaskStatusEnum" in components and "ConfidenceEnum" in components
    assert components["Error"]["required"] == ["detail", "code", "errors"]
    page_size = next(p for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 500
    responses = schema["paths"]["/api/v1/projects/"]["get"]["responses"]
    assert {"200", "304", "400", "404", "429"} <= set(responses)
    assert responses["200"]["content"]["text/csv"]["schema"]["type"] == "string"


def test_schema_is_served_at_api_schema():
    response = client_for().get("/api/schema/")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    assert "/api/v1/projects/" in served["paths"]
    assert client_for().get("/api/schema/", {"format": "json"}).json()["info"]["title"]


def test_docs_page_loads_everything_from_this_site_with_nothing_inline(settings):
    response = client_for().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    # Every script is a file from this site; no inline script or style block the CSP would refuse.
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "http://" not in html and "https://" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    init = next(source for source in sources if "script" in source and "swagger" not in source)
    script = client_for().get(init.replace("&amp;", "&"))
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert script["Content-Type"].startswith("application/javascript")
