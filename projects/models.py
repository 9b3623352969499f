"""The portfolio: joint projects, who takes part, where they are, and how far they have got."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.currencies import CURRENCY_CHOICES, ISO_4217, validate_currency
from partnership.models import (
    Agreement,
    Country,
    Directive,
    Sector,
    TimeStamped,
    WorkingGroup,
    check_date_order,
    date_order_check,
)

from . import stored_figures
from .querysets import (
    DocumentQuerySet,
    ExchangeRateQuerySet,
    ProgressUpdateQuerySet,
    ProjectQuerySet,
    TaskQuerySet,
)

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
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="projects", verbose_name=_("agreements"))
    directives = models.ManyToManyField(Directive, blank=True, related_name="projects", verbose_name=_("directives"))
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True, help_text=_("Why it was returned."))
    source = models.TextField(_("source"), blank=True)
    demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            date_order_check("planned_start", "planned_end", "project_planned_end_after_start"),
            date_order_check("actual_start", "actual_end", "project_actual_end_after_start"),
            models.CheckConstraint(
                condition=Q(investment_amount__isnull=True) | Q(investment_amount__gte=0),
                name="project_investment_not_negative",
                violation_error_message=_("The investment cannot be negative."),
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
            # Its amount, currency, rate date or status may have changed.
            stored_figures.refresh_project(self.pk)

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
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
        rate = ExchangeRate.objects.latest_for(self.investment_currency, self.rate_date)
        if rate is None:
            return None
        return (self.investment_amount / rate.units_per_usd).quantize(Decimal("0.01"))

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
        if (self.latitude is None) != (self.longitude is None):
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: _("Give both latitude and longitude, or neither.")})


class Task(TimeStamped):
    """A milestone or piece of work within a project."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        BLOCKED = "blocked", _("Blocked")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=255)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible organisation"),
    )
    responsible = models.CharField(_("responsible (free text)"), max_length=200, blank=True)
    is_milestone = models.BooleanField(_("milestone"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_date = models.DateField(_("completed date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How much this task counts towards the project's progress."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order", "due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_date__isnull=False)
                | (~Q(status="done") & Q(completed_date__isnull=True)),
                name="task_completed_date_iff_done",
                violation_error_message=_("A task has a completed date exactly when it is done."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="task_weight_positive",
                violation_error_message=_("The weight is at least 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_date"], name="task_due_date"),
            models.Index(fields=["project", "status"], name="task_project_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        with transaction.atomic():
            moved_from = None
            if self.pk:
                moved_from = Task.objects.filter(pk=self.pk).exclude(project=self.project_id).values("project")
                moved_from = moved_from.first()
            super().save(*args, **kwargs)
            stored_figures.refresh_project(self.project_id)
            if moved_from:
                stored_figures.refresh_project(moved_from["project"])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            project_id = self.project_id
            result = super().delete(*args, **kwargs)
            stored_figures.refresh_project(project_id)
            return result

    def clean(self):
        if self.status == self.Status.DONE and not self.completed_date:
            raise ValidationError({"completed_date": _("Give the date on which the task was done.")})
        if self.status != self.Status.DONE and self.completed_date:
            raise ValidationError(
                {"completed_date": _("Only a done task has a completed date; set the status to Done or clear it.")}
            )
        if self.completed_date and self.completed_date > timezone.localdate():
            raise ValidationError({"completed_date": _("The completed date cannot be in the future.")})

    @property
    def is_overdue(self):
        """overdue_task_q() today, for one row already loaded; lists annotate `is_late` instead."""
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status not in (self.Status.DONE, self.Status.CANCELLED)
        )


class ProgressUpdate(TimeStamped):
    """A dated report on a project: what happened, and physical and financial progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project"))
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    confidence = models.CharField(
        _("delivery confidence"), max_length=20, choices=Confidence.choices, default=Confidence.NOT_ASSESSED
    )
    physical_progress = models.DecimalField(
        _("physical progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    financial_progress = models.DecimalField(
        _("financial progress (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Share of the investment spent."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name=_("author"),
    )
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        get_latest_by = "reported_on"
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            percent_check("physical_progress", "update_physical_percent"),
            percent_check("financial_progress", "update_financial_percent"),
        ]

    def __str__(self):
        return f"{self.reported_on:%d.%m.%Y} {self.title}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + f"#update-{self.pk}"


class Document(TimeStamped):
    """A report, study, photo or other file about a project, attached or linked."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        STUDY = "study", _("Feasibility study")
        AGREEMENT = "agreement", _("Agreement or contract")
        PHOTO = "photo", _("Photo")
        PRESS = "press", _("Press release")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to="documents/", blank=True)
    url = models.URLField(_("link"), blank=True)
    published = models.BooleanField(_("published"), default=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="document_has_file_or_link",
                violation_error_message=_("Attach a file or give a link."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.file and not self.url:
            raise ValidationError({"url": _("Attach a file or give a link.")})

    @property
    def href(self):
        return self.file.url if self.file else self.url


class ExchangeRate(TimeStamped):
    """How many units of a currency bought one US dollar on a date, and who said so."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, validators=[validate_currency])
    date = models.DateField(_("date"))
    units_per_usd = models.DecimalField(
        _("units per US dollar"),
        max_digits=20,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("For example 470.5 for KZT: 470.5 tenge bought one dollar."),
    )
    source = models.CharField(_("source"), max_length=300)

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["currency", "-date"]
        get_latest_by = "date"
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"],
                name="one_rate_per_currency_per_day",
                violation_error_message=_("There is already a rate for this currency on this date."),
            ),
            models.CheckConstraint(
                condition=Q(units_per_usd__gt=0),
                name="rate_positive",
                violation_error_message=_("A rate must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(currency__in=sorted(ISO_4217)) & ~Q(currency="USD"),
                name="rate_currency_iso4217",
                violation_error_message=_("The currency must be an ISO 4217 code other than USD."),
            ),
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.units_per_usd} per USD"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            previous = ExchangeRate.objects.filter(pk=self.pk).values_list("currency", flat=True).first()
            super().save(*args, **kwargs)
            for currency in {self.currency, previous} - {None}:
                stored_figures.refresh_currency(currency)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            stored_figures.refresh_currency(self.currency)
            return result

    def clean(self):
        if self.currency == "USD":
            raise ValidationError({"currency": _("USD needs no rate: it is the unit of every total.")})


class ProjectFigures(models.Model):
    """The figures every list of projects needs, kept per project by projects.stored_figures.

    Refreshed in the transaction of each write that changes their inputs (a task, the project's
    amount or dates, an exchange rate) and once a day for what the date alone changes (overdue
    tasks); `manage.py recompute_figures` rebuilds them all from the tasks and rates.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="figures", verbose_name=_("project")
    )
    task_weight = models.PositiveIntegerField(_("task weight"), default=0)
    done_weight = models.PositiveIntegerField(_("done task weight"), default=0)
    progress = models.FloatField(_("progress"), null=True, blank=True)
    overdue_tasks = models.PositiveIntegerField(_("overdue tasks"), default=0)
    usd_rate = models.DecimalField(_("units per US dollar"), max_digits=20, decimal_places=6, null=True, blank=True)
    investment_usd = models.DecimalField(_("investment (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    computed_on = models.DateField(_("computed on"), help_text=_("The day overdue tasks were counted for."))

    class Meta:
        verbose_name = _("project figures")
        verbose_name_plural = _("project figures")
        indexes = [
            models.Index(fields=["investment_usd"], name="figures_investment_usd"),
            models.Index(fields=["progress"], name="figures_progress"),
        ]

    def __str__(self):
        return str(self.project_id)
