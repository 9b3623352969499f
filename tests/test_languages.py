"""The interface in four languages: sort labels, amounts with plural forms, local dates and numbers,
complete catalogs and one Uzbek apostrophe."""

import datetime
import gettext
import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from partnership.templatetags.site_tags import exact_money, money, percent
from tests import factories as f
from tests.helpers import url

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["ru", "kk", "uz"]


def options(body, select_id):
    """The labels of a <select>'s options, as a reader sees them."""
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select #{select_id}"
    return [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


# --- sort labels -----------------------------------------------------------------------------

DIRECTORY_SORT = {
    "en": ["Title (A–Z)", "Title (Z–A)", "Investment (largest first)", "Last updated (newest first)"],
    "ru": ["Название (А–Я)", "Название (Я–А)", "Инвестиции (сначала крупные)", "Последнее обновление (сначала новые)"],
    "kk": ["Атауы (А–Я)", "Атауы (Я–А)", "Инвестиция (алдымен көбі)", "Соңғы жаңарту (алдымен жаңасы)"],
    "uz": ["Nomi (A–Z)", "Nomi (Z–A)", "Investitsiya (avval yiriklari)", "Soʻnggi yangilanish (avval yangilari)"],
}


@pytest.mark.parametrize("lang", DIRECTORY_SORT)
def test_directory_sort_labels_are_in_the_page_language(client, db, lang):
    body = client.get(url("projects:project-list", lang)).content.decode()
    labels = options(body, "id_ordering")
    assert len(labels) == 15  # the default order and seven fields both ways
    for label in DIRECTORY_SORT[lang]:
        assert label in labels
    if lang != "en":
        with translation.override("en"):
            english = options(client.get(url("projects:project-list", "en")).content.decode(), "id_ordering")
        untranslated = set(labels[1:]) & set(english[1:])
        assert not untranslated, f"English sort labels on the {lang} page: {untranslated}"


API_SORT = {
    "en": ("Date (ascending)", "Date (descending)"),
    "ru": ("Дата (по возрастанию)", "Дата (по убыванию)"),
    "kk": ("(өсу ретімен)", "(кему ретімен)"),
    "uz": ("(oʻsish tartibida)", "(kamayish tartibida)"),
}


def test_api_sort_labels_follow_the_reader_language(db):
    """The API's ordering choices in each language one after the other: the FilterSet is built
    once, so a label fixed when it was built would show in every language."""
    from partnership.api import MeetingViewSet
    from partnership.rest.filtering import FilterBackend

    filterset_class = FilterBackend().get_filterset_class(MeetingViewSet(), MeetingViewSet.queryset)
    for lang, (ascending, descending) in API_SORT.items():
        with translation.override(lang):
            labels = [str(label) for _value, label in filterset_class().form.fields["ordering"].choices]
        assert any(label.endswith(ascending) for label in labels), (lang, labels)
        assert any(label.endswith(descending) for label in labels), (lang, labels)


def test_api_schema_describes_sort_options_in_the_asked_language(api, db):
    """The interactive API docs list each sort value with its label, in the language asked for."""
    body = api.get("/api/schema/", {"lang": "ru", "format": "json"}).content.decode()
    assert "Дата (по убыванию)" in body
    assert "Date (descending)" not in body


# --- amounts ---------------------------------------------------------------------------------

BILLION = Decimal(10**9)
MONEY = {
    "en": ["1 billion USD", "2 billion USD", "5 billion USD", "21 billion USD", "5.6 billion USD", "1.5 million USD"],
    "ru": [
        "1 миллиард долларов США",
        "2 миллиарда долларов США",
        "5 миллиардов долларов США",
        "21 миллиард долларов США",
        "5,6 миллиарда долларов США",
        "1,5 миллиона долларов США",
    ],
    "kk": [
        "1 миллиард АҚШ доллары",
        "2 миллиард АҚШ доллары",
        "5 миллиард АҚШ доллары",
        "21 миллиард АҚШ доллары",
        "5,6 миллиард АҚШ доллары",
        "1,5 миллион АҚШ доллары",
    ],
    "uz": [
        "1 milliard AQSH dollari",
        "2 milliard AQSH dollari",
        "5 milliard AQSH dollari",
        "21 milliard AQSH dollari",
        "5,6 milliard AQSH dollari",
        "1,5 million AQSH dollari",
    ],
}
AMOUNTS = [BILLION, 2 * BILLION, 5 * BILLION, 21 * BILLION, Decimal("5600000000"), Decimal("1500000")]


@pytest.mark.parametrize("lang", MONEY)
def test_money_words_and_plural_forms(lang):
    with translation.override(lang):
        assert [money(amount) for amount in AMOUNTS] == MONEY[lang]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["27 billion KZT", "5.6 billion", "1 billion USD", "750,000 USD"]),
        ("ru", ["27 миллиардов KZT", "5,6 миллиарда", "1 миллиард долларов США", "750\xa0000 долларов США"]),
        ("kk", ["27 миллиард KZT", "5,6 миллиард", "1 миллиард АҚШ доллары", "750\xa0000 АҚШ доллары"]),
        ("uz", ["27 milliard KZT", "5,6 milliard", "1 milliard AQSH dollari", "750\xa0000 AQSH dollari"]),
    ],
)
def test_money_other_currencies_bare_figures_rounding_up_and_small_amounts(lang, expected):
    """Another currency keeps its ISO code, "" shows the figure alone, 999.96 million rounds up to
    one billion (not "1000 million"), below a million the full figure."""
    with translation.override(lang):
        shown = [
            money(27 * BILLION, "KZT"),
            money(Decimal("5600000000"), ""),
            money(Decimal("999960000")),
            money(750000),
        ]
    assert shown == expected
    assert money(None) == money("") == "—"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["21 USD", "22 USD", "51,923,077 USD", "27,000,000,000 KZT", "1,234", "46%"]),
        (
            "ru",
            [
                "21 доллар США",
                "22 доллара США",
                "51\xa0923\xa0077 долларов США",
                "27\xa0000\xa0000\xa0000 KZT",
                "1\xa0234",
                "46%",
            ],
        ),
        (
            "kk",
            [
                "21 АҚШ доллары",
                "22 АҚШ доллары",
                "51\xa0923\xa0077 АҚШ доллары",
                "27\xa0000\xa0000\xa0000 KZT",
                "1\xa0234",
                "46%",
            ],
        ),
        (
            "uz",
            [
                "21 AQSH dollari",
                "22 AQSH dollari",
                "51\xa0923\xa0077 AQSH dollari",
                "27\xa0000\xa0000\xa0000 KZT",
                "1\xa0234",
                "46%",
            ],
        ),
    ],
)
def test_exact_money_and_percent_per_language(lang, expected):
    with translation.override(lang):
        shown = [
            exact_money(21),
            exact_money(22),
            exact_money(Decimal("51923076.9")),
            exact_money(27 * BILLION, "KZT"),
            exact_money(1234, ""),
            percent(45.6),
        ]
    assert shown == expected


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("en", "4.4 billion USD"),
        ("ru", "4,4 миллиарда долларов США"),
        ("kk", "4,4 миллиард АҚШ доллары"),
        ("uz", "4,4 milliard AQSH dollari"),
    ],
)
def test_trade_page_writes_the_turnover_in_the_page_language(client, db, lang, phrase):
    f.TradeFigureFactory(year=2023, turnover_usd=Decimal("4400000000"))
    body = html.unescape(client.get(url("partnership:trade", lang)).content.decode())
    assert phrase in body
    assert "2023" in body and "2\xa0023" not in body and "2,023" not in body  # years are never grouped


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "April 5, 2024"),
        ("ru", "5 апреля 2024 г."),
        ("kk", "2024 жылғы 5 сәуір"),
        ("uz", "2024-yil 5-aprel"),
    ],
)
def test_dates_on_pages_use_the_local_format(client, db, lang, shown):
    meeting = f.MeetingFactory(date=datetime.date(2024, 4, 5))
    with translation.override(lang):
        pages = [url("partnership:meeting-list", lang), meeting.get_absolute_url()]
    for page in pages:
        body = html.unescape(client.get(page).content.decode())
        assert shown in body, page


@pytest.mark.parametrize("lang", ["kk", "uz"])
def test_kazakh_and_uzbek_formats_for_numbers_and_input(lang):
    from django.utils import formats

    with translation.override(lang):
        assert formats.number_format(Decimal("1234567.5"), 1, force_grouping=True) == "1\xa0234\xa0567,5"
        assert formats.date_format(datetime.date(2024, 7, 5), "SHORT_DATE_FORMAT") == "05.07.2024"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        inputs = formats.get_format("DATE_INPUT_FORMATS")
        assert inputs[0] == "%d.%m.%Y" and "%Y-%m-%d" in inputs
        year_month = formats.date_format(datetime.date(2024, 7, 5), "YEAR_MONTH_FORMAT")
    assert year_month == {"kk": "2024 жылғы шілде", "uz": "2024-yil iyul"}[lang]


# --- catalogs --------------------------------------------------------------------------------


def _unquote(line):
    return line[line.index('"') + 1 : line.rindex('"')].encode("latin-1", "backslashreplace").decode("unicode_escape")


def po_entries(lang):
    """Each entry of a catalog (obsolete ones left out): context, msgid, msgstr forms and flags."""
    entries, entry, field = [], None, None
    for raw in (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry is not None and not line.startswith("#~"):
                entries.append(entry)
                entry = None
            continue
        if entry is None:
            entry = {"ctx": None, "id": "", "plural": None, "str": {}, "flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt"):
            field, entry["ctx"] = "ctx", _unquote(line)
        elif line.startswith("msgid_plural"):
            field, entry["plural"] = "plural", _unquote(line)
        elif line.startswith("msgid"):
            field, entry["id"] = "id", _unquote(line)
        elif line.startswith("msgstr"):
            index = int(line[7]) if line.startswith("msgstr[") else 0
            field = ("str", index)
            entry["str"][index] = _unquote(line)
        elif line.startswith('"'):
            if isinstance(field, tuple):
                entry["str"][field[1]] += _unquote(line)
            else:
                entry[field] = (entry[field] or "") + _unquote(line)
    return [e for e in entries if e["id"]]


def test_the_catalog_parser_reads_what_it_tests():
    """The parser below finds the entries, contexts and plural forms the other tests check."""
    entries = {(e["ctx"], e["id"]): e for e in po_entries("ru")}
    assert len(entries) > 700
    assert entries[(None, "Title (A–Z)")]["str"] == {0: "Название (А–Я)"}
    assert entries[("amount", "%(amount)s billion")]["str"][2] == "%(amount)s миллиардов"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_interface_string_is_translated(lang):
    missing = [
        e["id"]
        for e in po_entries(lang)
        if "fuzzy" in e["flags"] or not e["str"] or not all(text.strip() for text in e["str"].values())
    ]
    assert not missing, f"{lang}: {len(missing)} untranslated or fuzzy, first {missing[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_matches_the_po_file(lang):
    """The .mo the site loads says what the .po says (compilemessages was run after the last edit)."""
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for e in po_entries(lang):
        key = f"{e['ctx']}\x04{e['id']}" if e["ctx"] else e["id"]
        if e["plural"] is None:
            found = catalog.get(key)
            if found != e["str"][0]:
                stale.append(e["id"])
        elif any(catalog.get((key, n)) != text for n, text in e["str"].items()):
            stale.append(e["id"])
    assert not stale, f"{lang}: the .mo is out of date for {stale[:5]}"


WRONG_APOSTROPHES = re.compile(r"['‘’`]|[oOgG]ʼ")


def test_uzbek_uses_one_apostrophe():
    """ʻ (U+02BB) in oʻ and gʻ, ʼ (U+02BC) for the tutuq belgisi; never ' ‘ ’ ` nor oʼ/gʼ."""
    wrong = [
        text
        for e in po_entries("uz")
        if e["id"]
        for text in e["str"].values()
        if WRONG_APOSTROPHES.search(re.sub(r"<[^>]*>", "", text))
    ]
    assert not wrong, wrong[:5]
    assert any("oʻ" in text for e in po_entries("uz") for text in e["str"].values())
