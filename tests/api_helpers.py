"""Helpers shared by the API tests: clients for each role, CSV parsing, error checks.

Role users come from tests/conftest.py (`secretariat`, `make_editor`).
"""

import csv
import io

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def client_for(user=None):
    """An API client, authenticated with the user's token when a user is given."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def csv_rows(response):
    """The CSV body parsed back with the csv module: (header, list of dicts)."""
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    return reader.fieldnames, list(reader)


def assert_error(response, status, *names):
    """A JSON error of this status naming each parameter or field in `names`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    for name in names:
        assert name in body["errors"], body
    return body


@pytest.fixture(autouse=False)
def fresh_throttle():
    """The anonymous rate limit counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
