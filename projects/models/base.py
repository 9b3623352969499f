"""Choices and checks shared by the portfolio's models."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def percent_check(field, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
        violation_error_message=_("A percentage is between 0 and 100."),
    )


class Confidence(models.TextChoices):
    """The five-point delivery confidence scale used for major government projects."""

    GREEN = "green", _("Green")
    AMBER_GREEN = "amber_green", _("Amber/green")
    AMBER = "amber", _("Amber")
    AMBER_RED = "amber_red", _("Amber/red")
    RED = "red", _("Red")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for publication")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")
