"""The seeded facts in other languages: data/translations/<language>.json, merged into the fact rows.

Each file maps a fact's natural key (as facts.json names it) to its text in that language, e.g.
`"meetings": {"khiva-informal-summit-2024": {"title": "…"}}`, a directive's follow-up by
`"<meeting>/<order>@<date>"`; repeated phrases (co-chair positions,
regions and places of project locations) are kept once, as glossaries from the English text. A key
left out keeps the English fallback, which the pages mark "not yet translated".
"""

import json
from pathlib import Path

from django.conf import settings

DIRECTORY = Path(__file__).resolve().parent / "data" / "translations"

# facts.json section -> how a row of it is named in a translation file.
ROW_KEYS = {
    "countries": lambda row: row["code"],
    "sectors": lambda row: row["slug"],
    "working_groups": lambda row: row["slug"],
    "people": lambda row: row["full_name"],
    "meetings": lambda row: row["slug"],
    "directives": lambda row: f"{row['meeting']}/{row['order']}",
    "agreements": lambda row: row["slug"],
    "organisations": lambda row: row["name"],
    "projects": lambda row: row["code"],
}
# Rows nested in another section's rows: name -> (section, nested list, key from the row and the item).
NESTED_KEYS = {
    "follow_ups": ("directives", "follow_ups", lambda row, item: f"{row['meeting']}/{row['order']}@{item['date']}"),
}
# Phrases translated once wherever they occur: glossary name -> (section, nested list or None, field).
GLOSSARIES = {
    "positions": ("co_chairs", None, "position"),
    "regions": ("projects", "locations", "region"),
    "places": ("projects", "locations", "place"),
}


def languages():
    """The site's languages other than the default one, which facts.json is written in."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return [code for code, _name in settings.LANGUAGES if code != default]


def read(language, directory=DIRECTORY):
    path = Path(directory) / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def add_language(row, texts, language):
    """Copy `texts` ({field: text}) into `row` as `<field>_<language>`, leaving empty texts out."""
    for field, text in texts.items():
        if text:
            row[f"{field}_{language}"] = text


def merge(facts, directory=DIRECTORY):
    """Return `facts` with every translated field added to its row as `<field>_<language>`."""
    for language in languages():
        texts = read(language, directory)
        add_language(facts["commission"], texts.get("commission", {}), language)
        for section, key in ROW_KEYS.items():
            section_texts = texts.get(section, {})
            for row in facts.get(section, []):
                add_language(row, section_texts.get(key(row), {}), language)
        for name, (section, nested, key) in NESTED_KEYS.items():
            nested_texts = texts.get(name, {})
            for row in facts.get(section, []):
                for item in row.get(nested, []):
                    add_language(item, nested_texts.get(key(row, item), {}), language)
        for glossary, (section, nested, field) in GLOSSARIES.items():
            words = texts.get(glossary, {})
            for row in facts.get(section, []):
                for item in row.get(nested, []) if nested else [row]:
                    if item.get(field) in words:
                        add_language(item, {field: words[item[field]]}, language)
    return facts
