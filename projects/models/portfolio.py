"""Projects, the organisations that take part in them and where they are."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnership.currencies import CURRENCY_CHOICES, ISO_4217, validate_currency
from partnership.models import (
    Agreement,
    Country,
    Directive,
    Sector,
    TimeStamped,
    WorkingGroup,
    check_both_or_neither,
    check_date_order,
    date_order_check,
    date_precision_errors,
    not_negative_check,
    precision_field,
)

from .. import stored_figures
from ..querysets import (
    ProjectQuerySet,
)
from .base import PERCENT, Confidence, Publication, percent_check


class Organisation(TimeStamped):
    """A ministry, company, bank or international body that takes part in projects."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Ministry or agency")
        STATE_COMPANY = "state_company", _("State company")
        PRIVATE_COMPANY = "private_company", _("Private company")
        FINANCIAL = "financial", _("Bank or fund")
        INTERNATIONAL = "international", _("International organisation")

    name = models.CharField(_("name"), max_length=255)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("country"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Project(TimeStamped):
    """A joint investment project in the commission's portfolio."""

    class Status(models.TextChoices):
        """The IATI activity-status code list."""

        PIPELINE = "pipeline", _("Pipeline/identification")
        IMPLEMENTATION = "implementation", _("Implementation")
        FINALISATION = "finalisation", _("Finalisation")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    ACTIVE_STATUSES = [Status.PIPELINE, Status.IMPLEMENTATION, Status.FINALISATION]

    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("For example KZUZ-017."))
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Two or three sentences for the public."))
    description = models.TextField(_("description"), blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("working group"),
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="projects", verbose_name=_("sectors"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PIPELINE)
    confidence = models.CharField(
        _("delivery confidence"), max_length=20, choices=Confidence.choices, default=Confidence.NOT_ASSESSED
    )
    confidence_commentary = models.TextField(_("confidence commentary"), blank=True)
    investment_amount = models.DecimalField(
        _("investment"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("In the currency below."),
    )
    investment_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="USD", validators=[validate_currency]
    )
    rate_date = models.DateField(
        _("exchange-rate date"),
        null=True,
        blank=True,
        help_text=_("The USD equivalent uses the latest rate on or before this date; empty: the latest rate."),
    )
    jobs_planned = models.PositiveIntegerField(_("jobs planned"), null=True, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_start_precision = precision_field(_("planned start: known to"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    planned_end_precision = precision_field(_("planned end: known to"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_start_precision = precision_field(_("actual start: known to"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    actual_end_precision = precision_field(_("actual end: known to"))
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="projects", verbose_name=_("agreements"))
    directives = models.ManyToManyField(Directive, blank=True, related_name="projects", verbose_name=_("directives"))
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True, help_text=_("Why it was returned."))
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            date_order_check("planned_start", "planned_end", "project_planned_end_after_start"),
            date_order_check("actual_start", "actual_end", "project_actual_end_after_start"),
            not_negative_check(
                "investment_amount", "project_investment_not_negative", _("The investment cannot be negative.")
            ),
            models.CheckConstraint(
                condition=Q(investment_currency__in=sorted(ISO_4217)),
                name="project_currency_iso4217",
                violation_error_message=_("The currency must be an ISO 4217 code."),
            ),
        ]
        # One per filter and ordering the directory and the API offer (code is unique, so indexed).
        indexes = [
            models.Index(fields=["publication", "status"]),
            models.Index(fields=["publication", "confidence"], name="project_publication_confidence"),
            models.Index(fields=["title"], name="project_title"),
            models.Index(fields=["planned_start"], name="project_planned_start"),
            models.Index(fields=["planned_end"], name="project_planned_end"),
            models.Index(fields=["updated"], name="project_updated"),
            models.Index(fields=["demo"], name="project_demo"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Its amount, currency, rate date, status or demo flag (which rates its budgets and
            # transactions may use) may have changed.
            stored_figures.refresh_money([self.pk])

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = date_precision_errors(self, "planned_start", "planned_end", "actual_start", "actual_end")
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            try:
                check_date_order(self, start, end)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self):
        return self.publication == Publication.PUBLISHED

    def usd_equivalent(self):
        """The investment in USD, or None when there is no amount or no rate for its currency."""
        if self.investment_amount is None:
            return None
        if self.investment_currency == "USD":
            return self.investment_amount
        from .work import ExchangeRate  # the rate table lives with the figures it feeds

        rate = ExchangeRate.objects.latest_for(self.investment_currency, self.rate_date, demo=self.demo)
        if rate is None:
            return None
        return (self.investment_amount / rate.units_per_usd).quantize(Decimal("0.01"))

    def exchange_rate(self):
        """The exchange rate behind the USD equivalent (its source is shown beside it), or None."""
        if self.investment_amount is None or self.investment_currency == "USD":
            return None
        from .work import ExchangeRate

        return ExchangeRate.objects.latest_for(self.investment_currency, self.rate_date, demo=self.demo)

    def missing_for_publication(self):
        """What a public page needs and this project lacks, as sentences for the editor."""
        missing = []
        if not self.summary.strip():
            missing.append(_("a summary"))
        if not self.working_group_id:
            missing.append(_("a working group"))
        if not self.pk or not self.sectors.exists():
            missing.append(_("at least one sector"))
        if not self.status:
            missing.append(_("a status"))
        if self.investment_amount is None:
            missing.append(_("an investment amount"))
        elif self.usd_equivalent() is None:
            missing.append(
                _("an exchange rate for %(currency)s on or before the rate date")
                % {"currency": self.investment_currency}
            )
        if not self.pk or not self.locations.exists():
            missing.append(_("at least one location"))
        if not self.pk or not self.participants.exists():
            missing.append(_("at least one participant"))
        return missing


class ProjectParticipant(TimeStamped):
    """An organisation's part in a project."""

    class Role(models.TextChoices):
        INVESTOR = "investor", _("Investor")
        IMPLEMENTER = "implementer", _("Implementer")
        OPERATOR = "operator", _("Operator")
        FINANCIER = "financier", _("Financier")
        SPONSOR = "sponsor", _("Government sponsor")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participants", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    share = models.DecimalField(
        _("share of investment (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            percent_check("share", "participant_share_percent"),
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                name="participant_once_per_role",
                violation_error_message=_("This organisation already has this role in the project."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def clean(self):
        # The admin's participant formset checks the rows it edits together (their new shares).
        if self.share is None or self.project_id is None or getattr(self, "shares_checked_together", False):
            return
        others = self.project.participants.exclude(pk=self.pk).aggregate(total=models.Sum("share"))["total"]
        check_share_total((others or Decimal(0)) + self.share)


def check_share_total(total):
    """A project's participants' shares add up to at most 100%; raises ValidationError on `share`."""
    if total > 100:
        raise ValidationError(
            {
                "share": _(
                    "The participants' shares of this project would add up to %(total)s%%; they can add up to 100%% at most."
                )
                % {"total": f"{total.normalize():f}"}
            }
        )


class ProjectLocation(TimeStamped):
    """A place where a project is carried out."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="locations", verbose_name=_("project"))
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="project_locations", verbose_name=_("country")
    )
    region = models.CharField(_("region"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        ordering = ["project", "country", "region", "place"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_coordinates_valid",
                violation_error_message=_("Give both latitude (−90 to 90) and longitude (−180 to 180), or neither."),
            )
        ]

    def __str__(self):
        return ", ".join(part for part in (self.place, self.region, str(self.country)) if part)

    def clean(self):
        check_both_or_neither(self, "latitude", "longitude", _("Give both latitude and longitude, or neither."))
