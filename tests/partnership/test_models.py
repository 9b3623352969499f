from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from partnership.models import CoChair, Directive, Event
from tests import factories as f
from tests.helpers import DAY, field_errors, refused_by_db

pytestmark = pytest.mark.django_db


def test_second_current_cochair_for_the_same_country_and_body_is_refused(today):
    group = f.WorkingGroupFactory()
    kz = f.CountryFactory(code="KZ")
    f.CoChairFactory(working_group=group, person=f.PersonFactory(country=kz))
    second = f.CoChairFactory.build(working_group=group, person=f.PersonFactory(country=kz))
    assert "already has a current co-chair" in str(field_errors(second)["person"])
    refused_by_db(second.save)
    # A past term for the same country is fine, and so is a current one from the other country.
    f.CoChairFactory(working_group=group, person=f.PersonFactory(country=kz), end_date=today - DAY)
    f.CoChairFactory(working_group=group, person=f.PersonFactory(country=f.CountryFactory(code="UZ")))


def test_cochair_from_a_country_outside_the_commission_is_refused():
    group = f.WorkingGroupFactory()
    outsider = f.PersonFactory(country=f.CountryFactory(code="KG", name="Kyrgyzstan"))
    term = f.CoChairFactory.build(working_group=group, person=outsider)
    assert "person" in field_errors(term)


def test_cochair_serves_exactly_one_body():
    group = f.WorkingGroupFactory()
    both = f.CoChairFactory.build(working_group=group, commission=group.commission, person=f.PersonFactory())
    assert "working_group" in field_errors(both)
    refused_by_db(both.save)
    neither = f.CoChairFactory.build(working_group=None, commission=None, person=f.PersonFactory())
    assert "working_group" in field_errors(neither)


def test_cochair_term_cannot_end_before_it_starts(today):
    term = f.CoChairFactory.build(
        working_group=f.WorkingGroupFactory(), person=f.PersonFactory(), start_date=today, end_date=today - DAY
    )
    assert "end_date" in field_errors(term)
    refused_by_db(term.save)


def test_current_cochairs_are_the_terms_running_today(today):
    group = f.WorkingGroupFactory()
    uz = f.CountryFactory(code="UZ")
    past = f.CoChairFactory(working_group=group, start_date=today - 900 * DAY, end_date=today - DAY)
    now = f.CoChairFactory(working_group=group, start_date=today - 10 * DAY)
    other = f.CoChairFactory(working_group=group, person=f.PersonFactory(country=uz), start_date=None)
    assert set(CoChair.objects.current()) == {now, other}
    assert list(CoChair.objects.past()) == [past]
    assert set(CoChair.objects.current(on=today - 100 * DAY)) == {past, other}
    assert now.country.code == "KZ"  # copied from the person


def test_trade_figure_once_per_year_and_not_negative():
    first = f.TradeFigureFactory(year=2023)
    duplicate = f.TradeFigureFactory.build(commission=first.commission, year=2023)
    assert "__all__" in field_errors(duplicate)
    refused_by_db(duplicate.save)
    negative = f.TradeFigureFactory.build(commission=first.commission, year=2024, turnover_usd=Decimal(-1))
    assert "turnover_usd" in field_errors(negative)
    refused_by_db(negative.save)


def test_trade_target_needs_amount_and_year():
    commission = f.CommissionFactory()
    commission.trade_target_year = None
    assert "trade_target_year" in field_errors(commission)
    refused_by_db(commission.save)


def test_event_and_agreement_dates_in_order(today):
    event = f.EventFactory.build(commission=f.CommissionFactory(), start_date=today, end_date=today - DAY)
    assert "end_date" in field_errors(event)
    refused_by_db(event.save)
    agreement = f.AgreementFactory.build(
        commission=f.CommissionFactory(), in_force_from=today, in_force_until=today - DAY
    )
    assert "in_force_until" in field_errors(agreement)
    refused_by_db(agreement.save)


def test_country_code_is_two_capital_letters():
    country = f.CountryFactory.build(code="kz1")
    assert "code" in field_errors(country)


def test_directive_overdue_and_state_counts(today):
    meeting = f.MeetingFactory()
    late = f.DirectiveFactory(meeting=meeting, due_date=today - DAY, status=Directive.Status.IN_PROGRESS)
    f.DirectiveFactory(meeting=meeting, due_date=today - DAY, status=Directive.Status.DONE)
    f.DirectiveFactory(meeting=meeting, due_date=today + DAY)
    f.DirectiveFactory(meeting=meeting, status=Directive.Status.DROPPED)
    assert list(Directive.objects.overdue()) == [late]
    assert late.is_overdue
    counts = Directive.objects.state_counts()
    assert counts == {"total": 4, "overdue": 1, "open": 1, "in_progress": 1, "done": 1, "dropped": 1}


def test_upcoming_and_published_events(today):
    commission = f.CommissionFactory()
    soon = f.EventFactory(commission=commission, start_date=today + DAY)
    running = f.EventFactory(commission=commission, start_date=today - DAY, end_date=today + DAY)
    f.EventFactory(commission=commission, start_date=today - 10 * DAY, end_date=today - 5 * DAY)
    f.EventFactory(commission=commission, start_date=today + DAY, published=False)
    assert set(Event.objects.published().upcoming()) == {soon, running}


def test_commission_and_people_in_use_cannot_be_deleted():
    term = f.CoChairFactory()
    with pytest.raises(ProtectedError):
        term.person.delete()
    with pytest.raises(ProtectedError):
        term.working_group.delete()
    with pytest.raises(ProtectedError):
        f.MeetingFactory(commission=term.working_group.commission).commission.delete()
