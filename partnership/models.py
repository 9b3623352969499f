"""The commission side of the domain: who meets, who chairs, what was decided and signed."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


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


def check_date_order(instance, start, end):
    """Name the end field when it comes before the start field."""
    first, last = getattr(instance, start), getattr(instance, end)
    if first and last and last < first:
        raise ValidationError({end: _("The end date cannot be before the start date (%(start)s).") % {"start": first}})


class Country(TimeStamped):
    """A state, by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KZ."))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_two_capitals",
                violation_error_message=_("A country code is two capital letters, e.g. KZ."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.code:
            self.code = self.code.upper()


class CommissionQuerySet(models.QuerySet):
    def default(self):
        """The commission the single-commission pages (/commission/, /trade/, /reports/) show.

        `settings.DEFAULT_COMMISSION` names it by slug. Unset (or naming no recorded commission),
        it is the only commission, else the first one recorded: adding a second commission in the
        admin never moves the site's pages to it. One query either way.
        """
        slug = settings.DEFAULT_COMMISSION
        ordering = ["created", "pk"]
        if slug:
            ordering.insert(0, models.Case(models.When(slug=slug, then=0), default=1))
        commission = self.order_by(*ordering).first()
        if slug and commission is not None and commission.slug != slug:
            logger.warning("DEFAULT_COMMISSION %r names no commission; showing %r.", slug, commission.slug)
        return commission


class Commission(TimeStamped):
    """An intergovernmental commission: the body whose work the site tracks."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    countries = models.ManyToManyField(Country, related_name="commissions", verbose_name=_("member countries"))
    established = models.DateField(_("established"), null=True, blank=True)
    mandate = models.TextField(_("mandate"), blank=True)
    trade_target_usd = models.DecimalField(
        _("trade target (USD)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    trade_target_year = models.PositiveSmallIntegerField(_("trade target year"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(trade_target_usd__isnull=True) | Q(trade_target_usd__gte=0),
                name="commission_trade_target_not_negative",
                violation_error_message=_("The trade target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(trade_target_usd__isnull=True, trade_target_year__isnull=True)
                | Q(trade_target_usd__isnull=False, trade_target_year__isnull=False),
                name="commission_trade_target_with_year",
                violation_error_message=_("A trade target needs both an amount and a year."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("partnership:commission-detail", kwargs={"slug": self.slug})

    def clean(self):
        if (self.trade_target_usd is None) != (self.trade_target_year is None):
            field = "trade_target_year" if self.trade_target_year is None else "trade_target_usd"
            raise ValidationError({field: _("A trade target needs both an amount and a year.")})


class Sector(TimeStamped):
    """A field of cooperation (energy, transport and logistics, …)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class WorkingGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class WorkingGroup(TimeStamped):
    """A working group of a commission, co-chaired by one official from each country."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="working_groups",
        verbose_name=_("commission"),
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), unique=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="working_groups", verbose_name=_("sectors"))
    mandate = models.TextField(_("mandate"), blank=True)
    established = models.DateField(_("established"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_working_groups",
        verbose_name=_("editors"),
        help_text=_("Staff who may keep this group's projects, tasks and updates."),
    )
    source = models.TextField(_("source"), blank=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "order", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership:workinggroup-detail", kwargs={"slug": self.slug})


class Person(TimeStamped):
    """An official who has held a co-chair's term or otherwise appears in the record."""

    full_name = models.CharField(_("full name"), max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people", verbose_name=_("country"))
    bio = models.TextField(_("short bio"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name


CURRENT_COCHAIR_CLASH = "current_cochair_clash"


class CoChairQuerySet(models.QuerySet):
    def current(self, on=None):
        """Terms running on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)


class CoChair(TimeStamped):
    """One person's term as co-chair of the commission or of one of its working groups."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="terms", verbose_name=_("person"))
    # Copied from the person on save so that the database can hold one current co-chair per
    # country per body.
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("country")
    )
    position = models.CharField(
        _("position"), max_length=200, help_text=_("Title held at the time, e.g. Prime Minister.")
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_chairs",
        verbose_name=_("commission"),
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_chairs",
        verbose_name=_("working group"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while in office."))
    source = models.TextField(_("source"), blank=True)

    objects = CoChairQuerySet.as_manager()

    class Meta:
        ordering = ["-end_date", "-start_date"]
        verbose_name = _("co-chair")
        verbose_name_plural = _("co-chairs")
        constraints = [
            models.CheckConstraint(
                condition=Q(commission__isnull=False, working_group__isnull=True)
                | Q(commission__isnull=True, working_group__isnull=False),
                name="cochair_exactly_one_body",
                violation_error_message=_("A co-chair serves either the commission or one working group."),
            ),
            date_order_check("start_date", "end_date", "cochair_end_after_start"),
            models.UniqueConstraint(
                fields=["country", "commission"],
                condition=Q(end_date__isnull=True, commission__isnull=False),
                name="one_current_commission_cochair_per_country",
                violation_error_message=_("This country already has a current co-chair of the commission."),
                violation_error_code=CURRENT_COCHAIR_CLASH,
            ),
            models.UniqueConstraint(
                fields=["country", "working_group"],
                condition=Q(end_date__isnull=True, working_group__isnull=False),
                name="one_current_group_cochair_per_country",
                violation_error_message=_("This country already has a current co-chair of this working group."),
                violation_error_code=CURRENT_COCHAIR_CLASH,
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.position}"

    def save(self, *args, **kwargs):
        self.country_id = self.person.country_id
        super().save(*args, **kwargs)

    @property
    def body(self):
        return self.commission or self.working_group

    def clean(self):
        errors = {}
        if bool(self.commission_id) == bool(self.working_group_id):
            errors["working_group"] = _("Choose either the commission or one working group, not both.")
        try:
            check_date_order(self, "start_date", "end_date")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.person_id and not errors:
            self.country_id = self.person.country_id
            commission = self.commission or self.working_group.commission
            if not commission.countries.filter(pk=self.country_id).exists():
                errors["person"] = _("%(country)s is not a member of %(commission)s.") % {
                    "country": self.person.country,
                    "commission": commission,
                }
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # The country is copied from the person, so the unique checks need it set first; a clash
        # is reported against the person, the field the editor chose.
        if self.person_id:
            self.country_id = self.person.country_id
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop("__all__", [])
            clashes = [e for e in general if e.code == CURRENT_COCHAIR_CLASH]
            others = [e for e in general if e.code != CURRENT_COCHAIR_CLASH]
            if others:
                errors["__all__"] = others
            if clashes:
                errors.setdefault("person", []).extend(clashes)
            raise ValidationError(errors) from exc


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
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="meetings", verbose_name=_("working groups present")
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("partnership:meeting-detail", kwargs={"slug": self.slug})


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
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_overdue(self):
        """overdue_directive_q() today, for one row already loaded (templates of single records)."""
        return (
            self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


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
    signed_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="agreements/", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source = models.TextField(_("source"), blank=True)

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
        check_date_order(self, "in_force_from", "in_force_until")


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
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    source = models.TextField(_("source"), blank=True)
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
        check_date_order(self, "start_date", "end_date")
