"""The files of a report download: an XLSX workbook and a PDF, from a report's `Export`.

The workbook has one sheet per table (numbers as numbers, dates as dates) and a sheet of sources
and notes. The PDF is the report's own template rendered for print by WeasyPrint, made without
any network access: stylesheets and images come from the static files on disk (`LocalFetcher`),
and every other address is refused.
"""

import functools
import io
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.translation import gettext as _

from .report_exports import NUMBER_FORMATS, Cell, sources_note

# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes(export):
    """A workbook: one sheet per table, then the sources and notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    names = set()
    for table in export.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, names))
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=_text(column.heading))
            cell.font = bold
            if column.kind != "text":
                cell.alignment = Alignment(horizontal="right")
            sheet.column_dimensions[cell.column_letter].width = column.width
        for row_number, row in enumerate(table.rows, start=2):
            for index, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
                kind = value.kind if isinstance(value, Cell) else column.kind
                value = value.value if isinstance(value, Cell) else value
                _write(sheet.cell(row=row_number, column=index), value, kind)
        sheet.freeze_panes = "A2"
        if table.note:
            _write(sheet.cell(row=len(table.rows) + 3, column=1), table.note, "text")

    sheet = workbook.create_sheet(_sheet_name(_("Sources and notes"), names))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    generated = timezone.localtime().replace(tzinfo=None, microsecond=0)
    rows = [
        (_("Report"), f"{export.title}: {export.subject}", "text"),
        (_("As of"), export.as_of, "date"),
        (_("Generated at"), generated, "datetime"),
        (_("Address of this report"), export.url, "text"),
        *[(label, text, "text") for label, text in export.notes],
        (_("Sources"), sources_note(), "text"),
        (_("Open data (API)"), _site_root(export.url) + "api/v1/", "text"),
    ]
    rows += [(table.title, table.note, "text") for table in export.tables if table.note]
    for row_number, (label, value, kind) in enumerate(rows, start=1):
        _write(sheet.cell(row=row_number, column=1), label, "text").font = bold
        cell = _write(sheet.cell(row=row_number, column=2), value, kind)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if label == _("Address of this report"):
            cell.hyperlink = export.url
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _site_root(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _write(cell, value, kind):
    """Put a value in a cell as what it is: numbers as numbers, dates as dates, text as text."""
    if value is None or value == "":
        cell.value = None
    elif kind == "percent":
        cell.value = float(value) / 100
    elif kind in ("count", "usd", "date", "datetime"):
        cell.value = value
    else:
        cell.value = _text(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _text(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _sheet_name(title, taken):
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    name = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip("' ")[:31].strip()
    candidate, n = name or "Sheet", 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name[: 31 - len(str(n)) - 1]} {n}"
    taken.add(candidate.lower())
    return candidate


# --- PDF ----------------------------------------------------------------------------------------


@functools.cache
def local_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Static files from disk, for the site's own address only; anything else is refused."""

        def __init__(self, base_url, **kwargs):
            super().__init__(**kwargs)
            self.base = urlsplit(base_url)

        def fetch(self, url, headers=None):
            path = static_path(url, self.base)
            if path is None:
                raise ValueError(f"Only the site's static files are used in a PDF, not {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    return LocalFetcher


def static_path(url, base):
    """The file on disk behind a static address of this site, or None."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    try:
        collected = Path(safe_join(settings.STATIC_ROOT, name))
        found = collected if collected.is_file() else finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and Path(found).is_file() else None


@functools.cache
def chart_style():
    """The site stylesheet's rules for the SVG charts, as a <style> the charts can carry.

    WeasyPrint draws an inline SVG with the styles inside it only, and without CSS variables, so
    the PDF's charts get their rules from site.css (the one place that defines their colours)
    with each variable replaced by its value, and the PDF's font.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(Path(finders.find("css/site.css")).read_text(), True, True)
    variables = {}
    kept = []
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        if selector == ":root":
            for item in tinycss2.parse_blocks_contents(rule.content, True, True):
                if item.type == "declaration" and item.name.startswith("--"):
                    variables[item.name] = tinycss2.serialize(item.value).strip()
        elif re.search(r"\.(chart|bar|map)", selector):
            kept.append(f"{selector} {{{tinycss2.serialize(rule.content)}}}")
    css = "\n".join(kept) + '\ntext { font-family: "DejaVu Sans", sans-serif !important; }'
    return re.sub(r"var\((--[\w-]+)\)", lambda match: variables.get(match[1], "currentColor"), css)


def pdf_bytes(request, template_name, context):
    """The report's own page rendered for print, as a PDF."""
    from weasyprint import CSS, HTML

    # WeasyPrint reports every screen-only rule it skips (SVG paint, media features) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    html = render_to_string(template_name, context, request=request)
    html = re.sub(r"(<svg\b[^>]*>)", lambda match: f"{match[1]}<style>{chart_style()}</style>", html)
    base_url = request.build_absolute_uri("/")
    fetcher = local_fetcher_class()(base_url)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher, media_type="print")
    pdf_css = CSS(filename=finders.find("css/pdf.css"), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[pdf_css])
