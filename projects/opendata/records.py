"""What both exports read: the published projects with every relation a record needs, the
publisher's identity, and each translated text in every language it has."""

import re

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch

from partnership.models import Commission

from ..models import (
    Budget,
    Document,
    Indicator,
    IndicatorValue,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Publication,
    Result,
    Transaction,
)

# Characters XML 1.0 cannot carry (control characters other than tab, newline and return).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text):
    """Text as it may go into XML or JSON: no control characters, no surrounding blanks."""
    return NOT_XML.sub("", str(text or "")).strip()


def for_export(queryset=None):
    """Published projects with what a record reads, in code order: a fixed number of queries."""
    queryset = Project.objects.all() if queryset is None else queryset
    return (
        queryset.published()
        .select_related("working_group__commission")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ProjectParticipant.objects.select_related("organisation__country").order_by(
                    "role", "organisation__name", "pk"
                ),
            ),
            Prefetch("locations", queryset=ProjectLocation.objects.select_related("country").order_by("pk")),
            "sectors",
            Prefetch(
                "documents", queryset=Document.objects.filter(published=True).order_by("pk"), to_attr="public_documents"
            ),
            Prefetch("budgets", queryset=budgets_with_force().order_by("period_start", "pk")),
            Prefetch(
                "transactions",
                queryset=Transaction.objects.filter(publication=Publication.PUBLISHED)
                .select_related("provider__country", "receiver__country")
                .order_by("date", "pk"),
                to_attr="public_transactions",
            ),
            Prefetch("results", queryset=Result.objects.order_by("order", "pk")),
            Prefetch("results__indicators", queryset=Indicator.objects.order_by("order", "pk")),
            Prefetch(
                "results__indicators__values",
                queryset=IndicatorValue.objects.filter(publication=Publication.PUBLISHED).order_by("period_start"),
                to_attr="public_values",
            ),
        )
        .order_by("code")
    )


def budgets_with_force():
    """Every budget, each marked `in_force` when no revised budget replaces it (`current()`'s rule)."""
    return Budget.objects.annotate(in_force=Exists(Budget.objects.current().filter(pk=OuterRef("pk"))))


def languages():
    return [code for code, _name in settings.LANGUAGES]


def translations(record, field):
    """[(language, text)] of a translated field, for every language that has a text."""
    found = [(lang, clean(getattr(record, f"{field}_{lang}", ""))) for lang in languages()]
    found = [(lang, text) for lang, text in found if text]
    if not found and clean(getattr(record, field, "")):
        found = [(settings.LANGUAGE_CODE, clean(getattr(record, field)))]
    return found


def joined_translations(record, fields, separator=", "):
    """[(language, "a, b")] of several translated fields joined, for every language with any."""
    found = []
    for lang in languages():
        parts = [clean(getattr(record, f"{field}_{lang}", "")) for field in fields]
        text = separator.join(part for part in parts if part)
        if text:
            found.append((lang, text))
    return found


class Publisher:
    """Who publishes the exports: settings first, else the site's default commission."""

    def __init__(self):
        commission = None
        self.name = settings.OPEN_DATA_PUBLISHER_NAME
        if not self.name:
            commission = Commission.objects.default()
            self.name = commission.name if commission is not None else "Partnership tracker"
        self.iati_ref = settings.IATI_REPORTING_ORG_REF
        self.iati_type = settings.IATI_REPORTING_ORG_TYPE
        self.license = settings.OPEN_DATA_LICENSE
        self.oc4ids_prefix = settings.OC4IDS_PROJECT_ID_PREFIX

    def activity_identifier(self, project):
        return f"{self.iati_ref}-{project.code}"

    def project_identifier(self, project):
        return f"{self.oc4ids_prefix}{project.code}"
