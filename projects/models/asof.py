"""Temporary tables holding a past day's state for one request (see projects.asof.materialize).

Unmanaged: the migrations create no table; `materialize` creates each as a TEMPORARY table of the
database session, filled from the change history, before the request's queries read it.
"""

from django.db import models


class AsOfProjectState(models.Model):
    """The history row of each project that was its last when the day ended."""

    history_id = models.BigIntegerField(primary_key=True)

    class Meta:
        managed = False
        db_table = "projects_asof_project_state"

    def __str__(self):
        return str(self.history_id)


class AsOfTaskState(models.Model):
    """The history row of each task that was its last when the day ended, with what the figures
    read of it (a row of type "-" is a task deleted by then)."""

    history_id = models.BigIntegerField(primary_key=True)
    project_id = models.BigIntegerField(null=True, db_column="project")
    weight = models.IntegerField()
    status = models.CharField(max_length=20)
    completed_date = models.DateField(null=True)
    due_date = models.DateField(null=True)
    history_type = models.CharField(max_length=1)

    class Meta:
        managed = False
        db_table = "projects_asof_task_state"

    def __str__(self):
        return str(self.history_id)


class AsOfTaskFigures(models.Model):
    """Per project, its tasks then (cancelled ones out): weight, weight done and count overdue."""

    project_id = models.BigIntegerField(primary_key=True, db_column="project")
    task_weight = models.IntegerField()
    done_weight = models.IntegerField()
    overdue_tasks = models.IntegerField()

    class Meta:
        managed = False
        db_table = "projects_asof_task_figures"

    def __str__(self):
        return str(self.project_id)
