"""Rules for values that visitors type, shared by the site's forms and the API."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 1991  # both countries' independence: nothing of the partnership is older


def validate_as_of(day):
    """An "as of" date for a report: today or earlier, and not before 1991."""
    if day > timezone.localdate():
        raise ValidationError(_("A report can only look back: choose today or an earlier date."), code="future")
    if day.year < FIRST_YEAR:
        raise ValidationError(_("Choose a date from 1991 on."), code="too_early")
