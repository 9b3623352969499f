"""Jobs planned and created become a "Jobs" outcome with a "Jobs created" indicator, per project.

For every project with jobs planned or created: an outcome result "Jobs", an indicator "Jobs
created" (a number, unit "jobs", target = jobs planned by the planned end, baseline date = the
planned start when it comes before) and, when jobs were created, a published actual value over
the period from the project's start to its last change (or today). Nothing is removed from the
project. Reversing deletes what this made.
"""

from django.db import migrations
from django.utils import timezone

# The texts in each of the site's languages (English is the fallback).
RESULT_TITLE = {"en": "Jobs", "ru": "Рабочие места", "kk": "Жұмыс орындары", "uz": "Ish oʻrinlari"}
INDICATOR_TITLE = {
    "en": "Jobs created",
    "ru": "Создано рабочих мест",
    "kk": "Құрылған жұмыс орындары",
    "uz": "Yaratilgan ish oʻrinlari",
}
UNIT = {"en": "jobs", "ru": "рабочих мест", "kk": "жұмыс орны", "uz": "ish oʻrni"}
COMMENT = "Jobs created, as recorded on the project before results were introduced."


def translated(name, texts):
    return {name: texts["en"], **{f"{name}_{code}": text for code, text in texts.items()}}


def jobs_to_indicators(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Result = apps.get_model("projects", "Result")
    Indicator = apps.get_model("projects", "Indicator")
    IndicatorValue = apps.get_model("projects", "IndicatorValue")
    today = timezone.localdate()
    projects = Project.objects.exclude(jobs_planned__isnull=True, jobs_created__isnull=True).exclude(
        results__indicators__unit_en="jobs"
    )
    for project in projects.order_by("pk").iterator():
        result = Result.objects.create(project=project, kind="outcome", order=0, **translated("title", RESULT_TITLE))
        start = project.planned_start
        end = project.planned_end
        indicator = Indicator.objects.create(
            result=result,
            measure="number",
            ascending=True,
            baseline_date=start if start and end and start < end else None,
            target_value=project.jobs_planned,
            target_date=end,
            order=0,
            **translated("title", INDICATOR_TITLE),
            **translated("unit", UNIT),
        )
        if project.jobs_created is None:
            continue
        period_end = min(project.updated.date() if project.updated else today, today)
        period_start = project.actual_start or project.planned_start or period_end
        if period_start > period_end:
            period_start = period_end
        IndicatorValue.objects.create(
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            value=project.jobs_created,
            comment=COMMENT,
            comment_en=COMMENT,
            publication="published",
        )


def remove_jobs_indicators(apps, schema_editor):
    Result = apps.get_model("projects", "Result")
    Result.objects.filter(kind="outcome", title_en=RESULT_TITLE["en"], indicators__unit_en="jobs").delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_results_indicators")]

    operations = [migrations.RunPython(jobs_to_indicators, remove_jobs_indicators)]
