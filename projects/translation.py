"""Fields the public reads, translatable per language by staff (English is the fallback).

Change history is registered here too, after translation (see partnership/translation.py).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Budget,
    Document,
    ExchangeRate,
    Indicator,
    IndicatorValue,
    Organisation,
    ProgressUpdate,
    Project,
    ProjectLocation,
    ProjectParticipant,
    Result,
    Task,
    Transaction,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "confidence_commentary")


@register(ProjectLocation)
class ProjectLocationTranslation(TranslationOptions):
    fields = ("region", "place")


@register(Task)
class TaskTranslation(TranslationOptions):
    fields = ("title",)


@register(ProgressUpdate)
class ProgressUpdateTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(Result)
class ResultTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title", "unit", "baseline_comment")


@register(IndicatorValue)
class IndicatorValueTranslation(TranslationOptions):
    fields = ("narrative", "comment")


for model in (Result, Indicator, IndicatorValue):
    simple_history.register(model)


@register(Budget)
class BudgetTranslation(TranslationOptions):
    fields = ("description",)


@register(Transaction)
class TransactionTranslation(TranslationOptions):
    fields = ("description",)


for model in (
    Organisation,
    ProjectParticipant,
    ProjectLocation,
    Task,
    ProgressUpdate,
    Document,
    ExchangeRate,
    Budget,
    Transaction,
):
    simple_history.register(model)
simple_history.register(Project, m2m_fields=[Project.sectors.field])
