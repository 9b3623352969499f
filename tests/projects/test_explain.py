"""PostgreSQL's plans for the pages that read tasks: every task read goes through an index.

With sequential scans priced out (`enable_seqscan = off`), the planner still scans a table from
end to end when no index can serve the query; such a plan is what a missing index looks like,
and what costs seconds at 100,000 tasks.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from tests.helpers import url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]

SCANNED = ("Seq Scan on projects_task", "Seq Scan on projects_projectfigures")


@pytest.fixture
def portfolio():
    call_command("seed", "--demo", "--projects", "300", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plans_of(client, address):
    """The plan of each statement a page sends, with sequential scans priced out."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
        finally:
            cursor.execute("SET enable_seqscan = on")
    return plans


def project_page():
    project = Project.objects.published().filter(demo=True, tasks__isnull=False).order_by("code").first()
    return project.get_absolute_url()


@pytest.mark.parametrize(
    "address",
    [
        project_page,
        lambda: url("projects:report"),
        lambda: url("projects:home"),
        lambda: url("projects:project-list") + "?status=implementation&ordering=-investment",
        lambda: "/api/v1/summary/",
    ],
    ids=["project page", "report", "home", "directory", "API summary"],
)
def test_no_page_scans_every_task(client, portfolio, address):
    plans = plans_of(client, address())
    assert plans
    for sql, plan in plans:
        for scan in SCANNED:
            assert scan not in plan, f"{scan} in\n{plan}\nfor\n{sql}"
