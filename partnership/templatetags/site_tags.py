"""Template helpers of the public site: untranslated-content notes, money and percentages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, npgettext, pgettext
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


# Russian takes the genitive singular after a fraction ("5,6 миллиарда"), the form of 2–4; Kazakh
# and Uzbek nouns do not change after a number, and English "billion" has one form after a number.
# So 2 picks the right form for a fraction in every site language.
FRACTION_COUNT = 2
MILLION = Decimal(10**6)
BILLION = Decimal(10**9)


def _number(value, decimals=0):
    """A number with the language's decimal separator and thousands grouping ("1 234,5" in ru)."""
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


def _scaled(value):
    """`value` in billions or millions to one decimal: (rounded figure, scale) or (None, None)."""
    for scale, larger in ((BILLION, None), (MILLION, BILLION)):
        if abs(value) >= scale:
            figure = (value / scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if larger is not None and abs(figure) * scale >= larger:  # 999.96 million is 1 billion
                return Decimal(1).copy_sign(value), larger
            return figure, scale
    return None, None


@register.filter
def money(value, currency="USD"):
    """An amount with its currency in words of the language: "5.6 billion USD",
    "5,6 миллиарда долларов США", "5,6 миллиард АҚШ доллары", "5,6 milliard AQSH dollari".

    From a million up the figure is rounded to one decimal with "million" or "billion"; below a
    million the full figure is shown (as `exact_money`). `currency` "" shows the figure alone
    (the label says USD); a currency other than USD follows as its ISO code ("27 миллиардов KZT").

    Plural forms come from the catalogs through npgettext, which chooses the form from an integer:
    a whole figure ("21 billion") is passed as is; a fraction ("5.6 billion") has no integer of
    its own, so FRACTION_COUNT stands in for it (see there for why 2 is right in every language).
    """
    if value in (None, ""):
        return "—"
    value = Decimal(value)
    figure, scale = _scaled(value)
    if figure is None:
        return exact_money(value, currency)
    whole = figure == figure.to_integral_value()
    count = int(abs(figure)) if whole else FRACTION_COUNT
    number = _number(figure, 0 if whole else 1)
    if scale == BILLION:
        text = npgettext("amount", "%(amount)s billion", "%(amount)s billion", count) % {"amount": number}
    else:
        text = npgettext("amount", "%(amount)s million", "%(amount)s million", count) % {"amount": number}
    if currency == "USD":
        # After "billion"/"million" the currency does not depend on the figure ("долларов США").
        return pgettext("after billion or million", "%(amount)s USD") % {"amount": text}
    return f"{text} {currency}".strip()


@register.filter
def money_or_unknown(value, priced):
    """`money` of a total, or "no figure in US dollars" when none of its projects has one (`priced`
    is their count): a total of nothing known is not zero."""
    return money(value) if priced else _("no figure in US dollars")


@register.filter
def exact_money(value, currency="USD"):
    """A whole amount with grouping per language: "51,923,077 USD", "51 923 077 долларов США".

    For USD the currency's words agree with the figure (ru "21 доллар США", "22 доллара США");
    `currency` "" shows the figure alone; any other currency follows as its ISO code.
    """
    if value in (None, ""):
        return "—"
    whole = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    number = _number(whole)
    if currency == "USD":
        return npgettext("whole amount", "%(amount)s USD", "%(amount)s USD", abs(whole)) % {"amount": number}
    return f"{number} {currency}".strip()


@register.filter
def percent(value):
    """A whole percentage with the language's grouping: "45%"."""
    if value in (None, ""):
        return "—"
    return f"{_number(round(float(value)))}%"


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
