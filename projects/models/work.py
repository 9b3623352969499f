"""How far a project has got (tasks, progress updates, documents) and what its money is worth in USD."""

from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.currencies import CURRENCY_CHOICES, ISO_4217, validate_currency
from partnership.models import (
    TimeStamped,
)

from .. import documents, stored_figures
from ..querysets import (
    DocumentQuerySet,
    ExchangeRateQuerySet,
    ProgressUpdateQuerySet,
    TaskQuerySet,
)
from .base import PERCENT, Confidence, Publication, percent_check
from .portfolio import Organisation, Project


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
    file = documents.DocumentFileField(
        _("file"),
        upload_to=documents.document_upload_to,
        storage=documents.document_storage,
        blank=True,
        validators=[documents.validate_upload],
        help_text=documents.ACCEPTED,
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
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

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.original_name = PurePath(self.file.name).name[-255:]
        stored = Document.objects.filter(pk=self.pk).values_list("file", flat=True).first() if self.pk else None
        super().save(*args, **kwargs)
        if stored and stored != self.file.name:
            documents.remove_on_commit(stored)  # replaced or cleared

    def clean(self):
        if not self.file and not self.url:
            raise ValidationError({"url": _("Attach a file or give a link.")})

    @property
    def download_name(self):
        """The name the file was uploaded with (rows from before it was kept: the stored name)."""
        return self.original_name or PurePath(self.file.name).name

    @property
    def href(self):
        """The file through the view that checks publication, else the link."""
        return documents.document_href(self) if self.file else self.url


documents.watch_deletions(Document)


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
    source_url = models.URLField(_("source link"), blank=True)
    demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Fictional, for demonstration: prices demo projects only.")
    )

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
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    committed_usd = models.DecimalField(_("committed (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    disbursed_usd = models.DecimalField(_("disbursed (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    indicators_on_track = models.PositiveIntegerField(_("indicators on track"), default=0)
    indicators_off_track = models.PositiveIntegerField(_("indicators off track"), default=0)
    indicators_no_data = models.PositiveIntegerField(_("indicators without data"), default=0)
    computed_on = models.DateField(
        _("computed on"), help_text=_("The day overdue tasks and indicators on track were counted for.")
    )

    class Meta:
        verbose_name = _("project figures")
        verbose_name_plural = _("project figures")
        indexes = [
            models.Index(fields=["investment_usd"], name="figures_investment_usd"),
            models.Index(fields=["progress"], name="figures_progress"),
        ]

    def __str__(self):
        return str(self.project_id)


class ProjectMoneyYear(models.Model):
    """A project's money in one calendar year, in USD: its budgets in force for periods starting
    that year and its published commitments and disbursements dated that year (NULL: none, or
    none priced). Kept with ProjectFigures by projects.stored_figures, so that a report adds up a
    row per project and year instead of every budget and transaction."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="money_years", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget_usd = models.DecimalField(_("budget (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    committed_usd = models.DecimalField(_("committed (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)
    disbursed_usd = models.DecimalField(_("disbursed (USD)"), max_digits=20, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("project money in a year")
        verbose_name_plural = _("project money per year")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="project_money_year_unique")]

    def __str__(self):
        return f"{self.project_id} {self.year}"
