"""Indexes on (id, history_date) of the historical tables the changes report reads.

The report looks up each record's last history row before a date; simple-history indexes `id`
and `history_date` apart, which at 10,000 projects makes each lookup scan every row of the record
or of the date range. Raw SQL (the historical models declare no such index), the same on SQLite
and PostgreSQL; the directives' table belongs to the partnership app but is read by this report.
"""

from django.db import migrations

TABLES = {
    "projects_historicalproject": "hist_project_id_date",
    "projects_historicaltask": "hist_task_id_date",
    "partnership_historicaldirective": "hist_directive_id_date",
}


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_exchangerate_demo"),
        ("partnership", "0004_agreement_file_allowlist"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} (id, history_date)",
            reverse_sql=f"DROP INDEX {name}",
        )
        for table, name in TABLES.items()
    ]
