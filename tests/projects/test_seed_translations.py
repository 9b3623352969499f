"""The seeded facts read in Russian, Kazakh and Uzbek, from data/translations/<language>.json."""

import json

import pytest
from django.core.management import call_command
from django.utils import translation
from modeltranslation.translator import translator

from partnership.models import Meeting
from projects.seeding import translations
from projects.seeding.facts import DATA

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = ("ru", "kk", "uz")


def seeded_fields():
    """(record, field) for every non-empty English translatable field of every seeded record."""
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for record in model.objects.all():
            for field in fields:
                if getattr(record, f"{field}_en", None):
                    yield record, field


@pytest.fixture
def seeded():
    call_command("seed", verbosity=0)


def test_every_language_file_names_only_facts_that_exist():
    """A key that matches no fact (a typo, a renamed slug) would silently translate nothing."""
    facts = json.loads(DATA.read_text(encoding="utf-8"))
    for language in OTHER_LANGUAGES:
        texts = translations.read(language)
        assert texts, f"no translations for {language}"
        for section, key in translations.ROW_KEYS.items():
            known = {key(row) for row in facts[section]}
            assert set(texts.get(section, {})) <= known, (language, section, set(texts[section]) - known)
        for name, (section, nested, key) in translations.NESTED_KEYS.items():
            known = {key(row, item) for row in facts[section] for item in row.get(nested, [])}
            assert set(texts.get(name, {})) <= known, (language, name, set(texts[name]) - known)
        for glossary, (section, nested, field) in translations.GLOSSARIES.items():
            rows = facts[section]
            items = [item for row in rows for item in row[nested]] if nested else rows
            assert set(texts.get(glossary, {})) <= {item[field] for item in items}, (language, glossary)


def test_at_least_95_percent_of_seeded_text_is_translated_into_each_language(seeded):
    fields = list(seeded_fields())
    assert len(fields) > 100  # the seed's names, titles, summaries, mandates and directive texts
    for language in OTHER_LANGUAGES:
        missing = [f"{type(r).__name__} {r.pk}.{f}" for r, f in fields if not getattr(r, f"{f}_{language}")]
        share = 1 - len(missing) / len(fields)
        assert share >= 0.95, f"{language}: {share:.1%} translated; missing {missing}"


def test_uzbek_text_uses_the_modifier_letters_not_quotes(seeded):
    for record, field in seeded_fields():
        text = getattr(record, f"{field}_uz") or ""
        assert not set(text) & set("'‘’`"), f"{type(record).__name__} {record.pk}.{field}_uz: {text}"


def test_a_translated_meeting_reads_in_russian_without_the_fallback_mark(client, seeded):
    meeting = Meeting.objects.get(slug="khiva-informal-summit-2024")
    assert meeting.title_ru and meeting.title_ru != meeting.title_en
    with translation.override("ru"):
        path = meeting.get_absolute_url()
    body = client.get(path).content.decode()
    assert meeting.title_ru in body
    assert meeting.title_en not in body


def test_merge_adds_each_language_and_glossary_phrase_and_leaves_the_rest_in_english(tmp_path):
    (tmp_path / "ru.json").write_text(
        json.dumps(
            {
                "meetings": {"m": {"title": "Встреча", "summary": ""}},
                "regions": {"Turkestan region": "Туркестанская область"},
                "positions": {"Prime Minister": "Премьер-министр"},
            }
        ),
        encoding="utf-8",
    )
    facts = {
        "commission": {"name": "C"},
        "meetings": [{"slug": "m", "title": "Meeting", "summary": "S"}, {"slug": "other", "title": "Other"}],
        "co_chairs": [{"position": "Prime Minister"}],
        "projects": [{"code": "P", "locations": [{"region": "Turkestan region", "place": "Shymkent"}]}],
    }
    merged = translations.merge(facts, directory=tmp_path)
    assert merged["meetings"][0]["title_ru"] == "Встреча"
    assert "summary_ru" not in merged["meetings"][0]  # empty text keeps the English fallback
    assert "title_ru" not in merged["meetings"][1]
    assert merged["co_chairs"][0]["position_ru"] == "Премьер-министр"
    assert merged["projects"][0]["locations"][0]["region_ru"] == "Туркестанская область"
    assert "place_ru" not in merged["projects"][0]["locations"][0]
    assert not any(key.endswith(("_kk", "_uz")) for key in merged["meetings"][0])  # no files for them here
