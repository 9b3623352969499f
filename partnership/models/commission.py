"""The commission, its members, sectors, working groups and who chairs them."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    TimeStamped,
    check_both_or_neither,
    check_date_order,
    date_order_check,
    date_precision_errors,
    not_negative_check,
    precision_field,
)

logger = logging.getLogger(__name__)


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
    established_precision = precision_field(_("established: known to"))
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
    source_url = models.URLField(_("source link"), blank=True)

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        constraints = [
            not_negative_check(
                "trade_target_usd", "commission_trade_target_not_negative", _("The trade target cannot be negative.")
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
        errors = date_precision_errors(self, "established")
        try:
            check_both_or_neither(
                self, "trade_target_usd", "trade_target_year", _("A trade target needs both an amount and a year.")
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)


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
    established_precision = precision_field(_("established: known to"))
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
    source_url = models.URLField(_("source link"), blank=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "order", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnership:workinggroup-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = date_precision_errors(self, "established")
        if errors:
            raise ValidationError(errors)


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
    start_date_precision = precision_field(_("start date: known to"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while in office."))
    end_date_precision = precision_field(_("end date: known to"))
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True)

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
        errors = date_precision_errors(self, "start_date", "end_date")
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
