"""A GIN index on the projects' search document, on PostgreSQL only (SQLite searches by plain matching)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX = "project_search_document"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from projects.search import document

    schema_editor.add_index(apps.get_model("projects", "Project"), GinIndex(document(), name=INDEX))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from projects.search import document

    schema_editor.remove_index(apps.get_model("projects", "Project"), GinIndex(document(), name=INDEX))


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_project_figures")]

    operations = [migrations.RunPython(add_index, drop_index)]
