"""Import and export of projects, tasks and exchange rates (CSV and XLSX) through the admin.

Rows refer to other records by natural keys (a project's code, a working group's slug, sector
slugs, an organisation's name) so that a file can be written by hand. See partnership/resources.py
for the all-or-nothing rules every import follows.
"""

from import_export import fields

from partnership.models import Sector, WorkingGroup
from partnership.resources import (
    LookupWidget,
    StrictManyToManyWidget,
    StrictModelResource,
    precision_field,
    translated,
)

from .models import Budget, ExchangeRate, Organisation, Project, Publication, Task, Transaction


class ProjectResource(StrictModelResource):
    working_group = fields.Field(
        attribute="working_group", column_name="working_group", widget=LookupWidget(WorkingGroup, field="slug")
    )
    sectors = fields.Field(
        attribute="sectors", column_name="sectors", widget=StrictManyToManyWidget(Sector, field="slug")
    )
    publication = fields.Field(attribute="publication", column_name="publication", readonly=True)
    planned_start_precision = precision_field("planned_start")
    planned_end_precision = precision_field("planned_end")
    actual_start_precision = precision_field("actual_start")
    actual_end_precision = precision_field("actual_end")

    class Meta:
        model = Project
        fields = [
            "code",
            "slug",
            *translated("title", "summary"),
            "working_group",
            "sectors",
            "status",
            "confidence",
            "investment_amount",
            "investment_currency",
            "rate_date",
            "jobs_planned",
            "jobs_created",
            "planned_start",
            "planned_start_precision",
            "planned_end",
            "planned_end_precision",
            "actual_start",
            "actual_start_precision",
            "actual_end",
            "actual_end_precision",
            "publication",
            "source",
            "source_url",
            "demo",
        ]
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_save_instance(self, instance, row, **kwargs):
        # Imported projects go through the same review as typed ones: new ones start as drafts.
        if instance._state.adding:
            instance.publication = Publication.DRAFT


class TaskResource(StrictModelResource):
    project = fields.Field(attribute="project", column_name="project", widget=LookupWidget(Project, field="code"))
    responsible_organisation = fields.Field(
        attribute="responsible_organisation",
        column_name="responsible_organisation",
        widget=LookupWidget(Organisation, field="name"),
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            *translated("title"),
            "responsible_organisation",
            "responsible",
            "is_milestone",
            "due_date",
            "completed_date",
            "status",
            "weight",
            "order",
        ]
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class ExchangeRateResource(StrictModelResource):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "units_per_usd", "source", "source_url", "demo"]
        import_id_fields = ["currency", "date"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class BudgetResource(StrictModelResource):
    project = fields.Field(attribute="project", column_name="project", widget=LookupWidget(Project, field="code"))

    class Meta:
        model = Budget
        fields = [
            "id",
            "project",
            "kind",
            "status",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "value_date",
            *translated("description"),
        ]
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class TransactionResource(StrictModelResource):
    project = fields.Field(attribute="project", column_name="project", widget=LookupWidget(Project, field="code"))
    provider = fields.Field(
        attribute="provider", column_name="provider", widget=LookupWidget(Organisation, field="name")
    )
    receiver = fields.Field(
        attribute="receiver", column_name="receiver", widget=LookupWidget(Organisation, field="name")
    )
    publication = fields.Field(attribute="publication", column_name="publication", readonly=True)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "project",
            "kind",
            "date",
            "amount",
            "currency",
            "value_date",
            "provider",
            "provider_name",
            "receiver",
            "receiver_name",
            *translated("description"),
            "publication",
        ]
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_save_instance(self, instance, row, **kwargs):
        # Imported transactions go through the same review as typed ones: new ones start as drafts.
        if instance._state.adding:
            instance.publication = Publication.DRAFT
