"""What the commission meets about, decides and signs: meetings, directives, agreements, trade, events."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import precise_date
from ..uploads import ACCEPTED, validate_upload
from .base import TimeStamped, check_date_order, date_order_check, date_precision_errors, precision_field
from .commission import Commission, Country, WorkingGroup


class Meeting(TimeStamped):
    """A summit, a session of the commission or a working-group meeting."""

    class Kind(models.TextChoices):
        HEADS_OF_STATE = "heads_of_state", _("Heads of state")
        COMMISSION = "commission", _("Commission session")
        WORKING_GROUP = "working_group", _("Working-group meeting")

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("commission")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True)
    date = models.DateField(_("date"))
    date_precision = precision_field(_("date: known to"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="meetings", verbose_name=_("working groups present")
    )
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.title} ({precise_date(self.date, self.date_precision)})"

    def get_absolute_url(self):
        return reverse("partnership:meeting-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = date_precision_errors(self, "date")
        if errors:
            raise ValidationError(errors)


def overdue_directive_q(on=None):
    """Overdue on `on` (today by default): still open or in progress, and due before that day."""
    return Q(status__in=[Directive.Status.OPEN, Directive.Status.IN_PROGRESS], due_date__lt=on or timezone.localdate())


class DirectiveQuerySet(models.QuerySet):
    def overdue(self, on=None):
        return self.filter(overdue_directive_q(on))

    def with_overdue(self, on=None):
        """Annotate `is_late` so a list can mark overdue directives without a query per row."""
        return self.annotate(
            is_late=models.Case(
                models.When(overdue_directive_q(on), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def state_counts(self, on=None):
        """Counts of directives by status plus the overdue count, in one query."""
        counts = {s: models.Count("pk", filter=Q(status=s)) for s in Directive.Status.values}
        return self.aggregate(
            total=models.Count("pk"),
            overdue=models.Count("pk", filter=overdue_directive_q(on)),
            **counts,
        )


class Directive(TimeStamped):
    """A decision or instruction taken at a meeting, with whoever must carry it out."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="directives", verbose_name=_("meeting"))
    text = models.TextField(_("text"))
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="directives", verbose_name=_("responsible working groups")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("The latest follow-up entry that changes the status sets it when saved."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return reverse("partnership:directive-detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self):
        """overdue_directive_q() today, for one row already loaded (templates of single records)."""
        return (
            self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class DirectiveFollowUp(TimeStamped):
    """One dated step in carrying out a directive: what happened, the evidence, and the status it led to."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("directive")
    )
    date = models.DateField(_("date"), help_text=_("When it happened (not when it was entered)."))
    text = models.TextField(_("what happened"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_title = models.CharField(
        _("evidence title"), max_length=255, blank=True, help_text=_("The name of the linked page or document.")
    )
    status_after = models.CharField(
        _("status after this"),
        max_length=20,
        choices=Directive.Status.choices,
        blank=True,
        help_text=_("Leave empty when this entry does not change the directive's status."),
    )
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up entries")
        indexes = [models.Index(fields=["directive", "date"], name="followup_directive_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_after="") | Q(status_after__in=Directive.Status.values),
                name="followup_status_after_known",
                violation_error_message=_("Choose one of the directive statuses, or none."),
            ),
            models.CheckConstraint(
                condition=Q(evidence_title="") | ~Q(evidence_url=""),
                name="followup_evidence_title_needs_link",
                violation_error_message=_("An evidence title needs an evidence link."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}: {self.text if len(self.text) <= 60 else self.text[:59] + '…'}"

    def get_absolute_url(self):
        return self.directive.get_absolute_url()

    def clean(self):
        errors = {}
        if self.evidence_title and not self.evidence_url:
            errors["evidence_url"] = _("Give the link to the evidence, or leave its title empty.")
        # The directive may be unsaved (added with its first entries in the admin), so go by the object.
        directive = self.directive if self.directive_id or "directive" in self._state.fields_cache else None
        meeting = directive.meeting if directive is not None and directive.meeting_id else None
        if self.date and meeting is not None:
            meeting_date = meeting.date
            if self.date < meeting_date:
                errors["date"] = _("A follow-up cannot come before the meeting that gave the directive (%(date)s).") % {
                    "date": meeting_date
                }
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("A follow-up records what has happened: its date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class Agreement(TimeStamped):
    """A treaty, programme, agreement or memorandum between the commission's members."""

    class Kind(models.TextChoices):
        TREATY = "treaty", _("Treaty")
        DECLARATION = "declaration", _("Declaration")
        PROGRAMME = "programme", _("Programme")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental agreement")
        MOU = "mou", _("Memorandum of understanding")
        CONTRACT = "contract", _("Contract")

    class Status(models.TextChoices):
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("commission")
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signed_date = models.DateField(_("signed"), null=True, blank=True)
    signed_date_precision = precision_field(_("signed: known to"))
    signed_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to="agreements/", blank=True, validators=[validate_upload], help_text=ACCEPTED
    )
    summary = models.TextField(_("summary"), blank=True)
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

    class Meta:
        ordering = ["-signed_date", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            date_order_check("in_force_from", "in_force_until", "agreement_in_force_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:agreement-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = date_precision_errors(self, "signed_date")
        try:
            check_date_order(self, "in_force_from", "in_force_until")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)


class TradeFigure(TimeStamped):
    """Bilateral trade turnover for one year, with where the figure comes from."""

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="trade_figures", verbose_name=_("commission")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1991)])
    turnover_usd = models.DecimalField(
        _("turnover (USD)"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    reporting_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting country"),
        help_text=_("Whose exports and imports the two figures below are."),
    )
    exports_usd = models.DecimalField(
        _("exports (USD)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    imports_usd = models.DecimalField(
        _("imports (USD)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    estimate = models.BooleanField(_("estimate"), default=False)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    source_note = models.TextField(
        _("other sources"), blank=True, help_text=_("Figures from other sources that disagree.")
    )

    class Meta:
        ordering = ["commission", "year"]
        verbose_name = _("trade figure")
        verbose_name_plural = _("trade figures")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "year"],
                name="one_trade_figure_per_year",
                violation_error_message=_("This commission already has a trade figure for that year."),
            ),
            models.CheckConstraint(
                condition=Q(turnover_usd__gte=0)
                & (Q(exports_usd__isnull=True) | Q(exports_usd__gte=0))
                & (Q(imports_usd__isnull=True) | Q(imports_usd__gte=0)),
                name="trade_figures_not_negative",
                violation_error_message=_("Trade figures cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.commission} {self.year}"


class PortfolioFigure(TimeStamped):
    """The size of the joint portfolio as officially reported on a day: projects and investment."""

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="portfolio_figures", verbose_name=_("commission")
    )
    date = models.DateField(
        _("date reported"), help_text=_("When only the month or year is known, the first day of it.")
    )
    date_precision = precision_field(_("date: known to"))
    project_count = models.PositiveIntegerField(_("projects"))
    investment_usd = models.DecimalField(
        _("investment (USD)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    investment_over = models.BooleanField(
        _("more than"), default=False, help_text=_("The source gives the investment as “over” this amount.")
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)

    class Meta:
        ordering = ["commission", "date"]
        verbose_name = _("portfolio figure")
        verbose_name_plural = _("portfolio figures")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "date"],
                name="one_portfolio_figure_per_date",
                violation_error_message=_("This commission already has a portfolio figure for that date."),
            ),
            models.CheckConstraint(
                condition=Q(investment_usd__isnull=True) | Q(investment_usd__gte=0),
                name="portfolio_investment_not_negative",
                violation_error_message=_("The investment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(investment_over=False) | Q(investment_usd__isnull=False),
                name="portfolio_over_needs_amount",
                violation_error_message=_("“More than” needs an investment amount."),
            ),
        ]

    def __str__(self):
        return f"{self.commission} {self.date:%Y-%m-%d}: {self.project_count}"

    def date_label(self):
        """The date as precisely as it is known: "5 April 2024", "December 2022" or "2022"."""
        return precise_date(self.date, self.date_precision)

    def clean(self):
        errors = date_precision_errors(self, "date")
        if self.investment_over and self.investment_usd is None:
            errors["investment_usd"] = _("“More than” needs an investment amount.")
        if errors:
            raise ValidationError(errors)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__gte=on) | Q(end_date__isnull=True, start_date__gte=on))


class Event(TimeStamped):
    """A cultural, educational, sporting or other public event of the partnership."""

    class Kind(models.TextChoices):
        CULTURE = "culture", _("Culture")
        EDUCATION = "education", _("Education")
        SPORT = "sport", _("Sport")
        YOUTH = "youth", _("Youth")
        TOURISM = "tourism", _("Tourism")
        HUMANITARIAN = "humanitarian", _("Humanitarian")
        BUSINESS = "business", _("Business")

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="events", verbose_name=_("commission")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True)
    start_date = models.DateField(_("start date"))
    start_date_precision = precision_field(_("start date: known to"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)
    demo = models.BooleanField(_("demo data"), default=False, help_text=_("Fictional, for demonstration."))

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [date_order_check("start_date", "end_date", "event_end_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:event-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = date_precision_errors(self, "start_date")
        try:
            check_date_order(self, "start_date", "end_date")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
