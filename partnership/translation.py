"""Fields the public reads, translatable per language by staff (English is the fallback).

Change history is registered here too, after translation, so that the historical tables keep
the text of every language (django-simple-history builds its table from the fields it sees).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    CoChair,
    Commission,
    Country,
    Directive,
    DirectiveFollowUp,
    Event,
    Meeting,
    Person,
    PortfolioFigure,
    Sector,
    TradeFigure,
    WorkingGroup,
)


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(Commission)
class CommissionTranslation(TranslationOptions):
    fields = ("name", "short_name", "mandate")


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ("name", "mandate")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("full_name", "bio")


@register(CoChair)
class CoChairTranslation(TranslationOptions):
    fields = ("position",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "place", "summary")


@register(Directive)
class DirectiveTranslation(TranslationOptions):
    fields = ("text",)


@register(DirectiveFollowUp)
class DirectiveFollowUpTranslation(TranslationOptions):
    fields = ("text",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "place", "description")


for model in (
    Country,
    Sector,
    Person,
    CoChair,
    Meeting,
    Directive,
    DirectiveFollowUp,
    Agreement,
    TradeFigure,
    PortfolioFigure,
    Event,
):
    simple_history.register(model)
simple_history.register(Commission, m2m_fields=[Commission.countries.field])
simple_history.register(WorkingGroup, m2m_fields=[WorkingGroup.sectors.field])
