"""What both exports read: the published projects with every relation a record needs, the
publisher's identity, and each translated text in every language it has."""

import gc
import re
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Exists, OuterRef
from django.dispatch import receiver

from partnership.models import Commission

from ..models import Budget, Project

# Characters XML 1.0 cannot carry (control characters other than tab, newline and return).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text):
    """Text as it may go into XML or JSON: no control characters, no surrounding blanks."""
    if not text:
        return ""
    return NOT_XML.sub("", str(text)).strip()


@contextmanager
def no_cycle_collection():
    """Pause Python's cycle collector while a file is made.

    A file of 1,000 projects makes a few hundred thousand rows, dicts and nodes that all live
    until it is written; the collector would walk them again and again as they pile up (a third
    of the file's time) and find nothing, as they hold no cycles: reference counting frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def for_export(queryset=None):
    """Published projects in code order, with their working group and commission; the rest of
    what a record reads comes in a fixed number of queries per file (related.attach)."""
    queryset = Project.objects.all() if queryset is None else queryset
    return queryset.published().select_related("working_group__commission").order_by("code")


def budgets_with_force():
    """Every budget, each marked `in_force` when no revised budget replaces it (`current()`'s rule)."""
    return Budget.objects.annotate(in_force=Exists(Budget.objects.current().filter(pk=OuterRef("pk"))))


@cache
def languages():
    """The site's language codes (read once; tests that change LANGUAGES clear it)."""
    return tuple(code for code, _name in settings.LANGUAGES)


@receiver(setting_changed)
def forget_languages(*, setting, **kwargs):
    if setting == "LANGUAGES":
        languages.cache_clear()
        localised_names.cache_clear()
        english_first.cache_clear()


@cache
def localised_names(field):
    """[(language, attribute)] of a translated field."""
    return tuple((lang, f"{field}_{lang}") for lang in languages())


@cache
def english_first(field):
    """The attributes of a translated field, English first, then the other languages in order."""
    names = dict(localised_names(field))
    return tuple(names.pop(lang) for lang in ["en", *names] if lang in names)


def translations(record, field):
    """[(language, text)] of a translated field, for every language that has a text."""
    found = [(lang, clean(getattr(record, name, ""))) for lang, name in localised_names(field)]
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
