"""Template helpers of the public site: untranslated-content notes, money and percentages."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _own_value_missing(obj, field):
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return False
    own = getattr(obj, f"{field}_{language}", None)
    return not own and bool(getattr(obj, field, ""))


@register.simple_tag
def untranslated(obj, field):
    """A quiet note where the current language's own text is missing and English shows instead."""
    if obj is None or not _own_value_missing(obj, field):
        return ""
    return format_html('<span class="untranslated">{}</span>', _("not yet translated"))


@register.filter
def fallback_lang(obj, field):
    """`lang="en"` when the text shown is the English fallback, so screen readers switch voice."""
    if obj is not None and _own_value_missing(obj, field):
        return format_html(' lang="{}"', settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    return ""


@register.filter
def money(value, currency="USD"):
    """An amount with its currency: full figures below a million, '1.2 billion' above."""
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    text = intword(int(value)) if abs(value) >= 1_000_000 else intcomma(int(round(value)))
    return f"{text} {currency}".strip()


@register.filter
def exact_money(value, currency="USD"):
    if value in (None, ""):
        return "—"
    return f"{intcomma(int(round(Decimal(value))))} {currency}".strip()


@register.filter
def percent(value):
    if value in (None, ""):
        return "—"
    return f"{round(float(value))}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """<link rel="alternate" hreflang> to this page in every language, for search engines."""
    from django.urls import translate_url

    request = context.get("request")
    if request is None or request.resolver_match is None:
        return ""
    path = request.get_full_path()
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((code, request.build_absolute_uri(translate_url(path, code))) for code, _name in settings.LANGUAGES),
    )


@register.filter
def on_precision(value, precision="day"):
    """A date no more precise than it is known: "2019", "June 2019" or the full date, per language."""
    from partnership.dates import precise_date

    return precise_date(value, precision)


@register.filter
def on_precision_iso(value, precision="day"):
    """The <time datetime> value to the same precision: "2019", "2019-06" or "2019-06-21"."""
    from partnership.dates import precise_iso

    return precise_iso(value, precision)
