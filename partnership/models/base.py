"""What every model shares: timestamps, date precision, date-order, not-negative and both-or-neither checks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def date_order_check(start, end, name):
    """A database check that `end` is empty or not before `start`."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("The end date cannot be before the start date."),
    )


def not_negative_check(field, name, message):
    """A database check that `field` is empty or not below zero."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=message,
    )


def check_both_or_neither(instance, first, second, message):
    """Name the empty one of two fields that are given together or not at all."""
    if (getattr(instance, first) is None) != (getattr(instance, second) is None):
        raise ValidationError({second if getattr(instance, second) is None else first: message})


def check_date_order(instance, start, end):
    """Name the end field when it comes before the start field."""
    first, last = getattr(instance, start), getattr(instance, end)
    if first and last and last < first:
        raise ValidationError({end: _("The end date cannot be before the start date (%(start)s).") % {"start": first}})


class DatePrecision(models.TextChoices):
    """How much of a date is known. A month or a year is stored as its first day."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class PrecisionField(models.CharField):
    """How much of the date beside it is known: day (the default), month or year."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("choices", DatePrecision.choices)
        kwargs.setdefault("default", DatePrecision.DAY)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # A form (or an older file or client) that leaves it out means "to the day", as before.
        return super().formfield(**{"required": False, "empty_value": DatePrecision.DAY, **kwargs})


def precision_field(verbose_name):
    """The `<date>_precision` field stored beside a date that may be known only to the month or year."""
    return PrecisionField(
        verbose_name,
        help_text=_("Known to the day, month or year; a month or year is entered as its first day."),
    )


def date_precision_errors(instance, *fields):
    """A message per date whose precision says month or year but which is not the first of that period."""
    errors = {}
    for field in fields:
        value = getattr(instance, field)
        precision = getattr(instance, f"{field}_precision")
        if value is None:
            continue
        if precision == DatePrecision.MONTH and value.day != 1:
            errors[field] = _(
                "A date known only to the month is entered as the first of that month (%(first)s), not %(date)s."
            ) % {"first": value.replace(day=1).isoformat(), "date": value.isoformat()}
        elif precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
            errors[field] = _(
                "A date known only to the year is entered as 1 January of that year (%(first)s), not %(date)s."
            ) % {"first": value.replace(month=1, day=1).isoformat(), "date": value.isoformat()}
    return errors
