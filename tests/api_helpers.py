"""Helpers shared by the API tests: clients for each role, CSV parsing, error checks."""

import csv
import io

from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.permissions import EDITOR, SECRETARIAT
from tests import factories as f


def client_for(user=None):
    """An API client, authenticated with the user's token when a user is given."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def secretariat_user(**kwargs):
    user = f.UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


def editor_of(*groups, **kwargs):
    user = f.UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=EDITOR))
    for group in groups:
        group.editors.add(user)
    return user


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
