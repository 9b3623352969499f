"""Helpers shared by the test modules: dates, URLs, model validation, API clients and responses.

Fixtures (`today`, `api`, `fresh_throttle`, role users) live in tests/conftest.py.
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

DAY = datetime.timedelta(days=1)
LANGUAGES = ["en", "ru", "kk", "uz"]


def url(name, lang="en", **kwargs):
    """The public URL of a named page in one of the site's languages."""
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def admin_url(obj_or_model, view, *args):
    """The admin URL of a model's page: changelist, add, change, history, delete."""
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def admin_pages(obj):
    """The admin pages of one record, by name: changelist, add, change and history."""
    return {
        "changelist": admin_url(obj, "changelist"),
        "add": admin_url(obj, "add"),
        "change": admin_url(obj, "change", obj.pk),
        "history": admin_url(obj, "history", obj.pk),
    }


def refused_by_db(callable_):
    """The database itself refuses what `callable_` writes."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def field_errors(instance):
    """The messages full_clean() gives for the instance, by field."""
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    return exc.value.message_dict


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


def body_of(response):
    """The text of a response, whether it was streamed (downloads) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()
