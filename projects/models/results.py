"""What a project achieves: results, their indicators (baseline and target) and actual values per period.

The shapes follow IATI 2.03 (result types output, outcome, impact; indicator measures unit,
percentage, qualitative) so that the IATI export can map them field by field. An actual value goes
through the same review as a progress update; only published values are public.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.models import TimeStamped, date_order_check

from .. import stored_figures
from ..querysets import IndicatorQuerySet, IndicatorValueQuerySet, ResultQuerySet
from .base import Publication
from .portfolio import Project
from .work import Document

DECIMAL = {"max_digits": 20, "decimal_places": 4}


class Result(TimeStamped):
    """An output, outcome or impact a project promises, measured by its indicators."""

    class Kind(models.TextChoices):
        # The values of IATI's ResultType code list: 1 output, 2 outcome, 3 impact.
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OUTPUT)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return self.title

    # A result carries its indicators: moving or deleting it moves its projects' counts per track.
    def save(self, *args, **kwargs):
        with transaction.atomic():
            moved_from = (
                Result.objects.filter(pk=self.pk).values_list("project", flat=True).first() if self.pk else None
            )
            super().save(*args, **kwargs)
            if moved_from is not None and moved_from != self.project_id:
                stored_figures.refresh_indicator_counts([moved_from, self.project_id])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            project_id = self.project_id
            deleted = super().delete(*args, **kwargs)
            stored_figures.refresh_indicator_counts([project_id])
            return deleted

    def get_absolute_url(self):
        return self.project.get_absolute_url() + f"#result-{self.pk}"

    @property
    def iati_type(self):
        return {self.Kind.OUTPUT: "1", self.Kind.OUTCOME: "2", self.Kind.IMPACT: "3"}[self.kind]


class Indicator(TimeStamped):
    """A measure of a result: where it started (baseline), where it should get to (target) and by when."""

    class Measure(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        YES_NO = "yes_no", _("Yes or no")
        QUALITATIVE = "qualitative", _("Qualitative")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("result"))
    title = models.CharField(_("title"), max_length=255)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.NUMBER)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("For example “jobs” or “km”."))
    ascending = models.BooleanField(
        _("higher is better"), default=True, help_text=_("Untick when the aim is to bring the figure down.")
    )
    baseline_value = models.DecimalField(_("baseline value"), **DECIMAL, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_comment = models.CharField(_("baseline comment"), max_length=500, blank=True)
    target_value = models.DecimalField(_("target value"), **DECIMAL, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The latest published actual whatever the day (IndicatorQuerySet.latest_actual), kept by the
    # writes to the values (projects.stored_figures.refresh_indicators) for with_status to read.
    latest_value = models.DecimalField(_("latest value"), **DECIMAL, null=True, blank=True, editable=False)
    latest_period_end = models.DateField(_("end of the latest period"), null=True, blank=True, editable=False)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["result", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_date__isnull=True)
                | Q(target_date__isnull=True)
                | Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
                violation_error_message=_("The target date must come after the baseline date."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        with transaction.atomic():
            moved_from = None
            if self.pk:
                moved_from = Indicator.objects.filter(pk=self.pk).values_list("result__project", flat=True).first()
            super().save(*args, **kwargs)
            # An instance read before its values last changed has written back a stale actual, and
            # a new or changed indicator (baseline, target, dates) moves its project's counts per track.
            stored_figures.refresh_indicators([self.pk], projects=[moved_from])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            project_id = self.result.project_id
            deleted = super().delete(*args, **kwargs)
            stored_figures.refresh_indicator_counts([project_id])
            return deleted

    def clean(self):
        errors = {}
        for name in ("baseline_value", "target_value"):
            value = getattr(self, name)
            if value is None:
                continue
            if self.measure == self.Measure.QUALITATIVE:
                errors[name] = _("A qualitative indicator has no numbers: describe it in words instead.")
            elif self.measure == self.Measure.PERCENTAGE and not 0 <= value <= 100:
                errors[name] = _("A percentage is between 0 and 100.")
            elif self.measure == self.Measure.YES_NO and value not in (0, 1):
                errors[name] = _("A yes-or-no indicator takes 0 (no) or 1 (yes).")
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must come after the baseline date (%(date)s).") % {
                "date": self.baseline_date
            }
        if errors:
            raise ValidationError(errors)

    @property
    def project(self):
        return self.result.project

    @property
    def is_numeric(self):
        return self.measure != self.Measure.QUALITATIVE

    @property
    def iati_measure(self):
        """IATI IndicatorMeasure: 1 unit (numbers, and yes/no as 0 or 1), 2 percentage, 5 qualitative."""
        return {self.Measure.PERCENTAGE: "2", self.Measure.QUALITATIVE: "5"}.get(self.measure, "1")


class IndicatorValue(TimeStamped):
    """The actual value of an indicator over one reporting period, with its evidence; reviewed before publication."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), **DECIMAL, null=True, blank=True)
    narrative = models.TextField(
        _("qualitative value"), blank=True, help_text=_("For a qualitative indicator: what was achieved, in words.")
    )
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("evidence"),
        help_text=_("A document of the same project that shows the value."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("author"),
    )
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-period_end", "-pk"]
        get_latest_by = "period_end"
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [date_order_check("period_start", "period_end", "indicator_value_period_order")]
        indexes = [models.Index(fields=["indicator", "publication", "period_end", "id"], name="indicator_value_latest")]

    def __str__(self):
        return f"{self.indicator} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            moved_from = None
            if self.pk:
                moved_from = IndicatorValue.objects.filter(pk=self.pk).values_list("indicator", flat=True).first()
            super().save(*args, **kwargs)
            stored_figures.refresh_indicators({self.indicator_id, moved_from})

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            indicator_id = self.indicator_id
            result = super().delete(*args, **kwargs)
            stored_figures.refresh_indicators([indicator_id])
            return result

    def get_absolute_url(self):
        return self.indicator.result.get_absolute_url()

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts (%(start)s).") % {
                "start": self.period_start
            }
        indicator = self.indicator if self.indicator_id else None
        if indicator is not None:
            measure = indicator.measure
            if measure == Indicator.Measure.QUALITATIVE:
                if self.value is not None:
                    errors["value"] = _("A qualitative indicator has no numbers: describe the value in words.")
                elif not self.narrative.strip():
                    errors["narrative"] = _("Describe what was achieved in this period.")
            elif self.value is None:
                errors["value"] = _("Give the value reached in this period.")
            elif measure == Indicator.Measure.PERCENTAGE and not 0 <= self.value <= 100:
                errors["value"] = _("A percentage is between 0 and 100.")
            elif measure == Indicator.Measure.YES_NO and self.value not in (0, 1):
                errors["value"] = _("A yes-or-no indicator takes 0 (no) or 1 (yes).")
            if self.evidence_id and self.evidence.project_id != indicator.result.project_id:
                errors["evidence"] = _("The evidence must be a document of the same project.")
            if "period_end" not in errors and self.period_start and self.period_end:
                clash = (
                    IndicatorValue.objects.filter(
                        indicator=indicator, period_start__lte=self.period_end, period_end__gte=self.period_start
                    )
                    .exclude(pk=self.pk)
                    .order_by("period_start")
                    .first()
                )
                if clash is not None:
                    errors["period_start"] = _(
                        "This period overlaps the value already given for %(start)s–%(end)s."
                    ) % {"start": clash.period_start, "end": clash.period_end}
        if errors:
            raise ValidationError(errors)

    @property
    def project(self):
        return self.indicator.result.project
