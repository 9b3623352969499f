"""Dates shown no more precisely than they are known: "2019", "June 2019" or the full day.

The precision values are those of partnership.models.DatePrecision (kept as plain strings here so
that the models can use this module in `__str__`).
"""

from django.utils.formats import date_format


def precise_date(value, precision="day"):
    """A date in the current language's format, to the day, month or year it is known to."""
    if value in (None, ""):
        return ""
    if precision == "year":
        return date_format(value, "Y")
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def precise_iso(value, precision="day"):
    """The machine-readable form for <time datetime>: "2019", "2019-06" or "2019-06-21"."""
    if value in (None, ""):
        return ""
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%Y-%m}"
    return value.isoformat()
