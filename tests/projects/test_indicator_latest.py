"""Each indicator's stored latest published actual: every write keeps it equal to the one computed
from the values, and `with_status` gives the same actual, progress and track as the rule computed
from the values alone, for any day."""

import datetime
import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import OuterRef, Subquery

from partnership.workflow import transition
from projects import stored_figures
from projects.models import Indicator, IndicatorValue, Publication
from tests.projects.test_results import add_value, make_indicator

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def stored(indicator):
    return tuple(Indicator.objects.filter(pk=indicator.pk).values_list("latest_value", "latest_period_end").get())


def assert_fresh():
    assert stored_figures.stale_indicators() == []


def test_saving_values_stores_the_latest_published_one(today):
    indicator = make_indicator()
    assert stored(indicator) == (None, None)
    add_value(indicator, today - 60 * DAY, today - 31 * DAY, 10)
    assert stored(indicator) == (Decimal(10), today - 31 * DAY)
    add_value(indicator, today - 30 * DAY, today, 25, publication=Publication.SUBMITTED)
    assert stored(indicator) == (Decimal(10), today - 31 * DAY)  # not reviewed yet
    later = add_value(indicator, today + DAY, today + 30 * DAY, 40)
    assert stored(indicator) == (Decimal(40), today + 30 * DAY)
    later.value = Decimal(45)
    later.save()
    assert stored(indicator) == (Decimal(45), today + 30 * DAY)
    assert_fresh()


def test_moving_a_value_to_another_indicator_refreshes_both(today):
    first, second = make_indicator(), make_indicator()
    value = add_value(first, today - 10 * DAY, today, 7)
    value.indicator = second
    value.save()
    assert stored(first) == (None, None)
    assert stored(second) == (Decimal(7), today)
    assert_fresh()


def test_publishing_and_unpublishing_by_the_workflow_refresh_it(secretariat, today):
    indicator = make_indicator()
    add_value(indicator, today - 60 * DAY, today - 31 * DAY, 10)
    value = add_value(indicator, today - 30 * DAY, today, 30, publication=Publication.SUBMITTED)
    transition(value, "publish", user=secretariat)
    assert stored(indicator) == (Decimal(30), today)
    transition(IndicatorValue.objects.get(pk=value.pk), "unpublish", user=secretariat)
    assert stored(indicator) == (Decimal(10), today - 31 * DAY)
    assert_fresh()


def test_deletes_refresh_it_one_by_one_and_in_bulk(today):
    indicator = make_indicator()
    old = add_value(indicator, today - 60 * DAY, today - 31 * DAY, 10)
    new = add_value(indicator, today - 30 * DAY, today, 20)
    new.delete()
    assert stored(indicator) == (Decimal(10), today - 31 * DAY)
    IndicatorValue.objects.filter(pk=old.pk).delete()
    assert stored(indicator) == (None, None)
    assert_fresh()


def test_bulk_updates_refresh_it_on_both_sides_of_a_move(today):
    first, second = make_indicator(), make_indicator()
    add_value(first, today - 60 * DAY, today - 31 * DAY, 10)
    add_value(first, today - 30 * DAY, today, 20)
    IndicatorValue.objects.filter(indicator=first, period_end=today).update(publication=Publication.DRAFT)
    assert stored(first) == (Decimal(10), today - 31 * DAY)
    IndicatorValue.objects.filter(indicator=first).update(value=Decimal(5))
    assert stored(first) == (Decimal(5), today - 31 * DAY)
    # The rows leave the update's own filter: both indicators are refreshed all the same.
    IndicatorValue.objects.filter(indicator=first).update(indicator=second)
    assert stored(first) == (None, None)
    assert stored(second) == (Decimal(5), today - 31 * DAY)
    assert_fresh()


def test_saving_an_indicator_read_before_a_new_value_keeps_the_new_actual(today):
    indicator = make_indicator()
    read_earlier = Indicator.objects.get(pk=indicator.pk)
    add_value(indicator, today - 30 * DAY, today, 20)
    read_earlier.title = "Road length (km)"
    read_earlier.save()
    assert stored(indicator) == (Decimal(20), today)


def test_demo_seeding_stores_what_is_computed():
    from projects.seeding.demo import load_demo
    from projects.seeding.facts import load_facts

    load_facts()
    load_demo(count=24)
    assert Indicator.objects.filter(latest_value__isnull=False).exists()
    assert_fresh()


def test_check_fails_on_a_stale_actual_and_recompute_repairs_it(today):
    indicator = make_indicator()
    add_value(indicator, today - 30 * DAY, today, 20)
    Indicator.objects.filter(pk=indicator.pk).update(latest_value=Decimal(99))
    with pytest.raises(CommandError, match="1 indicator\\(s\\) have a stale latest actual"):
        call_command("recompute_figures", "--check", stdout=StringIO())
    call_command("recompute_figures", stdout=StringIO())
    assert stored(indicator) == (Decimal(20), today)
    call_command("recompute_figures", "--check", stdout=StringIO())


def test_the_migration_fills_it_from_the_values(today):
    migration = importlib.import_module("projects.migrations.0015_indicator_latest_value")
    indicator = make_indicator()
    add_value(indicator, today - 30 * DAY, today, 20)
    add_value(indicator, today + DAY, today + 30 * DAY, 50, publication=Publication.DRAFT)
    Indicator.objects.update(latest_value=None, latest_period_end=None)
    migration.fill(apps, None)
    assert stored(indicator) == (Decimal(20), today)


def test_with_status_reads_the_same_actual_as_the_values_give_on_any_day(today):
    """The stored actual is read when its period ended by the day; otherwise the values are looked
    up: each day gives the actual of the rule computed from the values alone."""
    start, end = today - 100 * DAY, today + 100 * DAY
    steady = make_indicator(baseline_date=start, target_date=end)
    add_value(steady, start, today - 51 * DAY, 20)
    add_value(steady, today - 50 * DAY, today - DAY, 45)
    # A period reported ahead of its end: today reads the earlier value.
    ahead = make_indicator(baseline_date=start, target_date=end)
    add_value(ahead, start, today - DAY, 10)
    add_value(ahead, today, today + 20 * DAY, 90)
    empty = make_indicator(baseline_date=start, target_date=end)
    add_value(empty, start, today, 70, publication=Publication.DRAFT)
    days = [start - DAY, today - 51 * DAY, today - 30 * DAY, today, today + 20 * DAY, end + DAY]
    for day in days:
        reference = Subquery(
            IndicatorValue.objects.filter(
                indicator=OuterRef("pk"), publication=Publication.PUBLISHED, period_end__lte=day, value__isnull=False
            )
            .order_by("-period_end", "-pk")
            .values("value")[:1]
        )
        rows = Indicator.objects.with_status(day).annotate(reference=reference).values_list("pk", "actual", "reference")
        assert {pk: actual for pk, actual, _ in rows} == {pk: ref for pk, _, ref in rows}, day
    on_today = {row.pk: row for row in Indicator.objects.with_status(today)}
    assert (on_today[ahead.pk].actual, on_today[ahead.pk].track) == (10, "off_track")
    assert on_today[steady.pk].progress == pytest.approx(45) and on_today[steady.pk].track == "off_track"
    assert on_today[empty.pk].track == "no_data"
    later = Indicator.objects.with_status(today + 20 * DAY).get(pk=ahead.pk)
    assert (later.actual, later.progress, later.track) == (90, pytest.approx(90), "on_track")
