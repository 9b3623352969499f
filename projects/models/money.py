"""A project's money: budgets per period and transactions, each with its stored USD equivalent.

Kinds and statuses follow the IATI 2.03 code lists (BudgetType, BudgetStatus, TransactionType);
`IATI_CODE` on each choice class maps them for the exports. The USD figures (`usd_rate`,
`amount_usd`) are filled by projects.stored_figures from the rate table at the value date, in the
transaction of the write and again whenever a rate of the currency changes; NULL when no rate is
known. Budgets are the project's working records; transactions are reviewed like progress
updates (an editor submits, the secretariat publishes).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.currencies import CURRENCY_CHOICES, ISO_4217, validate_currency
from partnership.models import TimeStamped, check_date_order, date_order_check

from .. import stored_figures
from ..querysets import BudgetQuerySet, TransactionQuerySet
from .base import Publication
from .portfolio import Organisation, Project

NOT_NEGATIVE = [MinValueValidator(0)]


def _usd_fields():
    return (
        models.DecimalField(
            _("units per US dollar"),
            max_digits=20,
            decimal_places=6,
            null=True,
            blank=True,
            editable=False,
            help_text=_("The rate at the value date; empty when no rate is known."),
        ),
        models.DecimalField(_("amount (USD)"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False),
    )


def _money_checks(prefix):
    return [
        models.CheckConstraint(
            condition=Q(amount__gte=0),
            name=f"{prefix}_amount_not_negative",
            violation_error_message=_("An amount cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(currency__in=sorted(ISO_4217)),
            name=f"{prefix}_currency_iso4217",
            violation_error_message=_("The currency must be an ISO 4217 code."),
        ),
    ]


class MoneyRecord(TimeStamped):
    """What budgets and transactions share: an amount in a currency on a value date, and its USD."""

    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="USD", validators=[validate_currency]
    )
    value_date = models.DateField(
        _("value date"),
        null=True,
        blank=True,
        help_text=_("The day whose exchange rate converts the amount; empty: the start of the period or the date."),
    )
    usd_rate, amount_usd = _usd_fields()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.value_date is None:
                self.value_date = self.default_value_date()
            moved_from = None
            if self.pk:
                moved_from = type(self).objects.filter(pk=self.pk).exclude(project=self.project_id).values("project")
                moved_from = moved_from.first()
            super().save(*args, **kwargs)
            stored_figures.refresh_money_usd(type(self).objects.filter(pk=self.pk))
            self.usd_rate, self.amount_usd = (
                type(self).objects.filter(pk=self.pk).values_list("usd_rate", "amount_usd").get()
            )
            stored_figures.refresh_project(self.project_id)
            if moved_from:
                stored_figures.refresh_project(moved_from["project"])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            project_id = self.project_id
            result = super().delete(*args, **kwargs)
            stored_figures.refresh_project(project_id)
            return result

    def default_value_date(self):
        raise NotImplementedError


class Budget(MoneyRecord):
    """The money planned for a project over one period of at most a year (IATI budget)."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REVISED = "revised", _("Revised")

    class Status(models.TextChoices):
        INDICATIVE = "indicative", _("Indicative")
        COMMITTED = "committed", _("Committed")

    IATI_KIND = {"original": "1", "revised": "2"}
    IATI_STATUS = {"indicative": "1", "committed": "2"}

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("project"))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.ORIGINAL,
        help_text=_("A revised budget replaces the original one for the same period start."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INDICATIVE)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    description = models.TextField(_("description"), blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["project", "period_start", "kind", "pk"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            *_money_checks("budget"),
            date_order_check("period_start", "period_end", "budget_period_order"),
        ]
        indexes = [models.Index(fields=["currency"], name="budget_currency")]

    def __str__(self):
        return f"{self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}: {self.amount} {self.currency}"

    def default_value_date(self):
        return self.period_start

    def clean(self):
        check_date_order(self, "period_start", "period_end")
        if self.period_start and self.period_end and self.period_end > _one_year_after(self.period_start):
            raise ValidationError(
                {
                    "period_end": _(
                        "A budget period is at most one year (IATI rule): end it by %(last)s or split it into years."
                    )
                    % {"last": _one_year_after(self.period_start).isoformat()}
                }
            )


def _one_year_after(day):
    """The last day of a one-year period starting on `day` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + 1) - datetime.timedelta(days=1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class Transaction(MoneyRecord):
    """Money that moved or was promised: incoming funds, a commitment, a disbursement or an expenditure."""

    class Kind(models.TextChoices):
        INCOMING_FUNDS = "incoming_funds", _("Incoming funds")
        COMMITMENT = "commitment", _("Commitment")
        DISBURSEMENT = "disbursement", _("Disbursement")
        EXPENDITURE = "expenditure", _("Expenditure")

    IATI_KIND = {"incoming_funds": "1", "commitment": "2", "disbursement": "3", "expenditure": "4"}

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transactions", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provided_transactions",
        verbose_name=_("provider"),
    )
    provider_name = models.CharField(
        _("provider (free text)"), max_length=255, blank=True, help_text=_("When the organisation is not recorded.")
    )
    receiver = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_transactions",
        verbose_name=_("receiver"),
    )
    receiver_name = models.CharField(
        _("receiver (free text)"), max_length=255, blank=True, help_text=_("When the organisation is not recorded.")
    )
    description = models.TextField(_("description"), blank=True)
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = TransactionQuerySet.as_manager()

    class Meta:
        ordering = ["project", "date", "pk"]
        get_latest_by = "date"
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            *_money_checks("transaction"),
            models.CheckConstraint(
                condition=Q(kind__in=["incoming_funds", "commitment", "disbursement", "expenditure"]),
                name="transaction_kind_known",
                violation_error_message=_("Unknown kind of transaction."),
            ),
        ]
        indexes = [
            models.Index(fields=["currency"], name="transaction_currency"),
            models.Index(fields=["project", "publication", "kind"], name="transaction_project_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}: {self.amount} {self.currency}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + f"#transaction-{self.pk}"

    def default_value_date(self):
        return self.date

    @property
    def provider_label(self):
        return self.provider.name if self.provider_id else self.provider_name

    @property
    def receiver_label(self):
        return self.receiver.name if self.receiver_id else self.receiver_name
