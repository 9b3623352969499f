"""The project page's "Last updated" is the commission's local day, not the server's UTC day."""

import datetime

import pytest

from projects.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_last_updated_is_the_local_day(client, settings):
    settings.TIME_ZONE = "Asia/Almaty"  # UTC+5
    project = f.ProjectFactory()
    evening_utc = datetime.datetime(2026, 11, 28, 20, 30, tzinfo=datetime.UTC)  # 01:30 on the 29th in Almaty
    Project.objects.filter(pk=project.pk).update(updated=evening_utc)
    html = client.get(project.get_absolute_url()).content.decode()
    assert '<time datetime="2026-11-29">' in html
