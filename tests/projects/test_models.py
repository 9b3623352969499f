import datetime
from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from projects.models import ExchangeRate, Project, Publication, Task
from tests import factories as f
from tests.helpers import DAY, field_errors, refused_by_db

pytestmark = pytest.mark.django_db


# --- validation: full_clean and the database refuse the same bad data -----------------------------


def test_project_end_before_start_is_refused_naming_the_field(today):
    project = f.ProjectFactory.build(
        working_group=f.WorkingGroupFactory(), planned_start=today, planned_end=today - DAY
    )
    assert "planned_end" in field_errors(project)
    refused_by_db(project.save)


def test_negative_investment_is_refused():
    project = f.ProjectFactory.build(working_group=f.WorkingGroupFactory(), investment_amount=Decimal("-1"))
    assert "investment_amount" in field_errors(project)
    refused_by_db(project.save)


def test_unknown_currency_is_refused():
    project = f.ProjectFactory.build(working_group=f.WorkingGroupFactory(), investment_currency="XYZ")
    assert "investment_currency" in field_errors(project)
    refused_by_db(project.save)


def test_duplicate_project_code_is_refused():
    first = f.ProjectFactory()
    second = f.ProjectFactory.build(working_group=first.working_group, code=first.code)
    assert "code" in field_errors(second)
    refused_by_db(second.save)


def test_completed_date_on_unfinished_task_is_refused(today):
    task = f.TaskFactory.build(project=f.ProjectFactory(), status=Task.Status.IN_PROGRESS, completed_date=today)
    assert "completed_date" in field_errors(task)
    refused_by_db(task.save)


def test_done_task_needs_its_completed_date():
    task = f.TaskFactory.build(project=f.ProjectFactory(), status=Task.Status.DONE)
    assert "completed_date" in field_errors(task)
    refused_by_db(task.save)


def test_task_weight_below_one_is_refused():
    task = f.TaskFactory.build(project=f.ProjectFactory(), weight=0)
    assert "weight" in field_errors(task)
    refused_by_db(task.save)


def test_percentages_stay_between_0_and_100():
    update = f.ProgressUpdateFactory.build(project=f.ProjectFactory(), physical_progress=Decimal("101"))
    assert "physical_progress" in field_errors(update)
    refused_by_db(update.save)


def test_location_needs_both_coordinates_in_range():
    location = f.LocationFactory.build(project=f.ProjectFactory(), country=f.CountryFactory(), longitude=None)
    assert "longitude" in field_errors(location)
    refused_by_db(location.save)
    location = f.LocationFactory.build(project=f.ProjectFactory(), country=f.CountryFactory(), latitude=Decimal(95))
    assert "latitude" in field_errors(location)


def test_document_needs_a_file_or_a_link():
    doc = f.DocumentFactory.build(project=f.ProjectFactory(), url="")
    assert "url" in field_errors(doc)
    refused_by_db(doc.save)


def test_exchange_rate_must_be_positive_unique_and_not_usd():
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1))
    duplicate = f.ExchangeRateFactory.build(currency="KZT", date=datetime.date(2025, 1, 1))
    assert "__all__" in field_errors(duplicate)
    refused_by_db(duplicate.save)
    assert "units_per_usd" in field_errors(f.ExchangeRateFactory.build(units_per_usd=Decimal(0)))
    refused_by_db(f.ExchangeRateFactory.build(date=datetime.date(2025, 2, 1), units_per_usd=Decimal(0)).save)
    assert "currency" in field_errors(f.ExchangeRateFactory.build(currency="USD"))
    refused_by_db(f.ExchangeRateFactory.build(currency="USD").save)


# --- protected relations ------------------------------------------------------------------------


def test_reference_data_in_use_cannot_be_deleted():
    sector = f.SectorFactory()
    project = f.ProjectFactory(sectors=[sector])
    f.LocationFactory(project=project)
    participant = f.ParticipantFactory(project=project)
    with pytest.raises(ProtectedError):
        project.working_group.delete()
    with pytest.raises(ProtectedError):
        project.working_group.commission.delete()
    with pytest.raises(ProtectedError):
        participant.organisation.delete()
    with pytest.raises(ProtectedError):
        participant.organisation.country.delete()
    assert Project.objects.filter(pk=project.pk).exists()


# --- money --------------------------------------------------------------------------------------


def test_usd_equivalent_uses_the_rate_on_or_before_the_rate_date():
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("450"))
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    project = f.ProjectFactory(
        investment_amount=Decimal("900000"), investment_currency="KZT", rate_date=datetime.date(2024, 6, 30)
    )
    annotated = Project.objects.with_usd().get(pk=project.pk)
    assert annotated.investment_usd == Decimal("2000.00")
    assert project.usd_equivalent() == Decimal("2000.00")
    project.rate_date = None
    project.save()
    assert Project.objects.with_usd().get(pk=project.pk).investment_usd == Decimal("1800.00")


def test_usd_equivalent_keeps_its_cents_for_whole_amounts_and_rates():
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("520"))
    project = f.ProjectFactory(investment_amount=Decimal("27000000000"), investment_currency="KZT")
    assert Project.objects.with_usd().get(pk=project.pk).investment_usd == Decimal("51923076.92")
    assert project.usd_equivalent() == Decimal("51923076.92")
    assert Project.objects.totals()["usd"] == Decimal("51923076.92")


def test_totals_add_usd_only_and_report_projects_without_a_rate():
    f.ExchangeRateFactory(currency="UZS", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("12500"))
    f.ProjectFactory(investment_amount=Decimal("1000000"), investment_currency="USD", jobs_planned=10)
    f.ProjectFactory(investment_amount=Decimal("25000000"), investment_currency="UZS", jobs_planned=5)
    f.ProjectFactory(investment_amount=Decimal("5000000"), investment_currency="CNY")  # no rate
    totals = Project.objects.totals()
    assert totals["count"] == 3
    assert totals["usd"] == Decimal("1002000.00")
    assert totals["unpriced"] == 1
    assert totals["jobs_planned"] == 15


def test_totals_by_status_and_working_group_sum_to_the_whole():
    group_a, group_b = f.WorkingGroupFactory(), f.WorkingGroupFactory()
    f.ProjectFactory(working_group=group_a, investment_amount=Decimal(100), status=Project.Status.PIPELINE)
    f.ProjectFactory(working_group=group_a, investment_amount=Decimal(200))
    f.ProjectFactory(working_group=group_b, investment_amount=Decimal(400))
    by_status = {row["key"]: row for row in Project.objects.totals_by("status")}
    assert by_status["pipeline"]["usd"] == Decimal(100)
    assert by_status["implementation"]["count"] == 2
    by_group = {row["key"]: row for row in Project.objects.totals_by("working_group")}
    assert by_group[group_a.pk]["usd"] == Decimal(300)
    assert sum(row["usd"] for row in by_group.values()) == Project.objects.totals()["usd"]


def test_totals_by_country_and_sector_follow_locations_and_sectors():
    energy, water = f.SectorFactory(), f.SectorFactory()
    kz, uz = f.CountryFactory(code="KZ"), f.CountryFactory(code="UZ")
    one = f.ProjectFactory(investment_amount=Decimal(10), sectors=[energy])
    two = f.ProjectFactory(investment_amount=Decimal(20), sectors=[energy, water])
    f.LocationFactory(project=one, country=kz)
    f.LocationFactory(project=two, country=kz)
    f.LocationFactory(project=two, country=uz)
    by_sector = {row["key"]: row for row in Project.objects.totals_by("sectors")}
    assert by_sector[energy.pk]["usd"] == Decimal(30) and by_sector[energy.pk]["count"] == 2
    assert by_sector[water.pk]["usd"] == Decimal(20)
    by_country = {row["key"]: row for row in Project.objects.totals_by("country")}
    assert by_country[kz.pk]["count"] == 2 and by_country[uz.pk]["usd"] == Decimal(20)
    # A second place in the same country does not count the project twice.
    f.LocationFactory(project=two, country=uz, region="Samarkand region")
    f.ProjectFactory(investment_amount=Decimal(5))  # no location at all
    by_country = {row["key"]: row for row in Project.objects.totals_by("country")}
    assert by_country[uz.pk]["usd"] == Decimal(20) and by_country[uz.pk]["count"] == 1
    assert by_country[kz.pk]["usd"] == Decimal(30)
    assert by_country[None]["usd"] == Decimal(5)


# --- progress, overdue, behind schedule ---------------------------------------------------------


def test_progress_is_done_weight_over_non_cancelled_weight(today):
    project = f.ProjectFactory()
    f.TaskFactory(project=project, weight=3, status=Task.Status.DONE, completed_date=today - 10 * DAY)
    f.TaskFactory(project=project, weight=1, status=Task.Status.IN_PROGRESS)
    f.TaskFactory(project=project, weight=5, status=Task.Status.CANCELLED)
    assert Project.objects.with_progress().get(pk=project.pk).progress == pytest.approx(75.0)
    # As of a date before the task was completed, nothing was done.
    past = Project.objects.with_progress(as_of=today - 20 * DAY).get(pk=project.pk)
    assert past.progress == pytest.approx(0.0)


def test_project_without_tasks_has_no_progress_figure():
    project = f.ProjectFactory()
    assert Project.objects.with_progress().get(pk=project.pk).progress is None


def test_overdue_tasks_are_past_due_and_neither_done_nor_cancelled(today):
    project = f.ProjectFactory()
    late = f.TaskFactory(project=project, due_date=today - DAY)
    f.TaskFactory(project=project, due_date=today - DAY, status=Task.Status.DONE, completed_date=today - DAY)
    f.TaskFactory(project=project, due_date=today - DAY, status=Task.Status.CANCELLED)
    f.TaskFactory(project=project, due_date=today)
    assert list(Task.objects.overdue()) == [late]
    assert late.is_overdue
    assert Project.objects.with_progress().get(pk=project.pk).overdue_tasks == 1
    assert list(Project.objects.overdue()) == [project]


def test_behind_schedule_when_elapsed_share_exceeds_progress_by_the_margin(settings, today):
    settings.BEHIND_SCHEDULE_MARGIN = 15
    start, end = today - 50 * DAY, today + 50 * DAY  # half the time has passed
    behind = f.ProjectFactory(planned_start=start, planned_end=end)
    f.TaskFactory(project=behind, weight=3, status=Task.Status.DONE, completed_date=today)  # 30 %
    f.TaskFactory(project=behind, weight=7)
    on_track = f.ProjectFactory(planned_start=start, planned_end=end)
    f.TaskFactory(project=on_track, weight=4, status=Task.Status.DONE, completed_date=today)  # 40 %
    f.TaskFactory(project=on_track, weight=6)
    closed = f.ProjectFactory(planned_start=start, planned_end=end, status=Project.Status.CLOSED)
    rows = {p.pk: p for p in Project.objects.with_figures()}
    assert rows[behind.pk].elapsed == pytest.approx(50.0)
    assert rows[behind.pk].behind_schedule is True
    assert rows[on_track.pk].behind_schedule is False
    assert rows[closed.pk].behind_schedule is False
    assert list(Project.objects.behind_schedule()) == [behind]
    settings.BEHIND_SCHEDULE_MARGIN = 25
    assert not Project.objects.behind_schedule().exists()


def test_published_hides_every_other_publication_state():
    shown = f.ProjectFactory()
    for state in (Publication.DRAFT, Publication.SUBMITTED, Publication.RETURNED):
        f.ProjectFactory(publication=state)
    assert list(Project.objects.published()) == [shown]


def test_missing_for_publication_names_what_a_public_page_needs():
    project = f.ProjectFactory(summary="", investment_currency="CNY", publication=Publication.DRAFT)
    missing = [str(m) for m in project.missing_for_publication()]
    assert "a summary" in missing
    assert "at least one location" in missing and "at least one participant" in missing
    assert any("CNY" in m for m in missing)
    project.summary = "Now with a summary."
    project.investment_currency = "USD"
    project.sectors.add(f.SectorFactory())
    f.LocationFactory(project=project)
    f.ParticipantFactory(project=project)
    assert project.missing_for_publication() == []


def test_exchange_rate_lookup_by_date():
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2024, 1, 1), units_per_usd=Decimal("450"))
    f.ExchangeRateFactory(currency="KZT", date=datetime.date(2025, 1, 1), units_per_usd=Decimal("500"))
    assert ExchangeRate.objects.latest_for("KZT", datetime.date(2024, 12, 31)).units_per_usd == Decimal("450")
    assert ExchangeRate.objects.latest_for("KZT").units_per_usd == Decimal("500")
    assert ExchangeRate.objects.latest_for("KZT", datetime.date(2023, 1, 1)) is None
