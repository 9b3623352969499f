"""Downloads of a report: an XLSX workbook and a PDF, in the language of the page.

A report describes itself as an `Export`: its title, as-of date, address, notes and `Table`s (the
same figures its page shows, taken from the page's context). `download()` turns that into a
workbook with one sheet per table and a sheet of sources and notes, or renders the report's own
template through WeasyPrint with the print stylesheet. A second report type (the changes report)
plugs in the same way: `format = format_field()` on its form, `{% include
"projects/_report_downloads.html" %}` in its template (links, and the error for a bad format),
and, when the form asks for a format, `download()` with its own `Export` of its tables.

The PDF is made without any network access: stylesheets and images come from the static files
on disk (`LocalFetcher`), and every other address is refused.
"""

import datetime
import functools
import io
import logging
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def format_field():
    """The optional `format` of a report's address: empty for the page, else a download."""
    return forms.ChoiceField(
        label=gettext_lazy("Download format"),
        required=False,
        choices=[("", "—"), ("xlsx", "XLSX"), ("pdf", "PDF")],
        error_messages={"invalid_choice": gettext_lazy("Choose xlsx or pdf.")},
    )


# --- what a report hands over -------------------------------------------------------------------

# Kinds of column and how a spreadsheet shows them; "percent" values are given as 0–100.
NUMBER_FORMATS = {
    "count": "#,##0",
    "usd": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass
class Column:
    heading: str
    kind: str = "text"
    width: int = 16


@dataclass
class Cell:
    """A value whose kind differs from its column's (a summary's mixed figures)."""

    value: object
    kind: str


@dataclass
class Table:
    title: str
    columns: list
    rows: list
    note: str = ""


@dataclass
class Export:
    title: str
    subject: str
    stem: str  # the file name without its extension
    as_of: datetime.date
    url: str  # the report's page, as a reader can open it
    tables: list
    notes: list = field(default_factory=list)  # (label, text) pairs for the sources sheet


def download(request, fmt, export, *, template_name, context):
    """The report as an XLSX or PDF attachment."""
    if fmt == "xlsx":
        body = xlsx_bytes(export)
    else:
        body = pdf_bytes(request, template_name, context | {"pdf": True, "export": export})
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export.stem}.{fmt}"'
    return response


def page_url(request):
    """The address of the page a download was asked from, without the `format` parameter."""
    query = request.GET.copy()
    query.pop("format", None)
    return request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))


def demo_notice(request, context):
    """The page's demo-data notice as plain text, empty when no demo project is counted."""
    return " ".join(strip_tags(render_to_string("includes/_demo_notice.html", context, request=request)).split())


def sources_note():
    return _(
        "Figures are published by the commission's secretariat from reports of the working groups. "
        "Amounts in other currencies are converted to US dollars at the recorded exchange rate."
    )


# --- the progress report ------------------------------------------------------------------------


def progress_report(request, view, context):
    """The `Export` of a ReportView page: the same figures and lists as its context."""
    subject, as_of, totals, figures = context["subject"], context["as_of"], context["totals"], context["figures"]
    directives = context["directives"]
    scope = view.scope.replace("_", "-")
    projects, usd = _("Projects"), _("Investment (USD)")
    tables = [
        Table(
            _("Summary"),
            [Column(_("Figure"), width=36), Column(_("Value"), "count", 20)],
            [
                [_("As of"), Cell(as_of, "date")],
                [_("Projects"), Cell(totals["count"], "count")],
                [usd, Cell(totals["usd"], "usd")],
                [_("Projects without an exchange rate"), Cell(totals["unpriced"], "count")],
                [_("Jobs planned"), Cell(totals["jobs_planned"], "count")],
                [_("Jobs created"), Cell(totals["jobs_created"], "count")],
                [_("Task weight done"), Cell(figures["progress"], "percent")],
                [_("Overdue tasks"), Cell(figures["overdue_tasks"], "count")],
                [_("Behind schedule"), Cell(figures["behind_schedule"], "count")],
                [_("Overdue directives"), Cell(directives["overdue"], "count")],
            ],
            demo_notice(request, context),
        ),
        _breakdown(_("By status"), _("Status"), context["by_status"], totals),
        _breakdown(_("By delivery confidence"), _("Delivery confidence"), context["by_confidence"], totals),
        Table(
            _("Investment by sector"),
            [Column(_("Sector"), width=36), Column(projects, "count"), Column(usd, "usd", 20)],
            [[row["label"], row["count"], row["usd"]] for row in context["by_sector"]],
            _("A project in two sectors counts in each, so the rows can add up to more than the total."),
        ),
        Table(
            _("Progress distribution"),
            [Column(_("Progress"), width=24), Column(projects, "count")],
            [[row["label"], row["count"]] for row in context["distribution"]],
        ),
        Table(
            _("Progress by working group"),
            [Column(_("Working group"), width=48), Column(_("Task weight done"), "percent", 18)],
            [[row["label"], row["value"]] for row in context["by_group"]],
        ),
        Table(
            _("Investment by participant country"),
            [Column(_("Country"), width=30), Column(projects, "count"), Column(usd, "usd", 20)]
            + [Column(_("Share"), "percent")],
            [[row["name"], row["count"], row["usd"], row["percent"]] for row in context["by_participant_country"]]
            + [[_("Total"), None, totals["usd"], 100 if totals["usd"] else None]],
            _(
                "Each project's US-dollar equivalent split by its participants' shares; what no share covers is unallocated."
            ),
        ),
        Table(
            _("Lists"),
            [Column(_("List"), width=40), Column(_("Count"), "count"), Column(_("Address"), width=60)],
            [[link["title"], link["count"], request.build_absolute_uri(link["url"])] for link in context["lists"]],
            _("Each list is a page of its own, with its filters and a CSV download."),
        ),
        Table(
            _("Directives by state"),
            [Column(_("State"), width=30), Column(_("Directives"), "count")],
            [[row["label"], row["count"]] for row in context["directive_rows"]]
            + [[_("of which overdue"), directives["overdue"]], [_("Total"), directives["total"]]],
        ),
    ]
    notes = [(_("Demo data"), demo_notice(request, context))] if context.get("demo_count") else []
    return Export(
        title=_("Progress report"),
        subject=str(subject),
        stem=f"report-{scope}-{slugify(subject.slug)}-{as_of.isoformat()}",
        as_of=as_of,
        url=page_url(request),
        tables=tables,
        notes=notes,
    )


def _breakdown(title, heading, rows, totals):
    return Table(
        title,
        [Column(heading, width=28), Column(_("Projects"), "count"), Column(_("Investment (USD)"), "usd", 20)],
        [[row["label"], row["count"], row["usd"]] for row in rows] + [[_("Total"), totals["count"], totals["usd"]]],
    )


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


# --- the changes report -------------------------------------------------------------------------


def changes_report(request, view, context):
    """The `Export` of a ChangesView page: one sheet per section, the lines as the page lists them."""
    subject, start, end = context["subject"], context["start"], context["end"]
    project, title = _("Project"), _("Title")
    kinds = {
        "tasks": (
            [Column(project, width=14), Column(_("Task"), width=48), Column(_("Due"), "date", 12)]
            + [Column(_("Completed"), "date", 12)],
            lambda row: [row["project_code"], row["label"], row["due_date"], row["completed_date"]],
        ),
        "directives": (
            [Column(_("Directive"), width=60), Column(_("Meeting"), "date", 12)]
            + [Column(_("Before"), width=16), Column(_("After"), width=16)],
            lambda row: [row["label"], row["meeting_date"], row.get("old_status_label", ""), row["status_label"]],
        ),
        "investment": (
            [Column(project, width=14), Column(title, width=48), Column(_("Before (USD)"), "usd", 18)]
            + [Column(_("After (USD)"), "usd", 18), Column(_("Change (USD)"), "usd", 18)],
            lambda row: [row["code"], row["label"], row["old_usd"], row["usd"], row["usd_change"]],
        ),
        "confidence": (
            [Column(project, width=14), Column(title, width=48), Column(_("Before"), width=18)]
            + [Column(_("After"), width=18)],
            lambda row: [row["code"], row["label"], row["old_confidence_label"], row["confidence_label"]],
        ),
        "status": (
            [Column(project, width=14), Column(title, width=48), Column(_("Before"), width=18)]
            + [Column(_("After"), width=18), Column(_("Investment (USD)"), "usd", 18)],
            lambda row: [row["code"], row["label"], row["old_status_label"], row["status_label"], row["usd"]],
        ),
    }
    kind_of = {
        "tasks_completed": "tasks",
        "tasks_overdue": "tasks",
        "directives_opened": "directives",
        "directives_closed": "directives",
        "investment": "investment",
        "confidence_moves": "confidence",
    }
    limit_note = _("Only the first %(limit)s are listed.") % {"limit": context["line_limit"]}
    counts = Table(
        _("Summary"),
        [Column(_("Figure"), width=40), Column(_("Value"), "count", 20)],
        [[_("From"), Cell(start, "date")], [_("To"), Cell(end, "date")]]
        + [[section["title"], Cell(section["count"], "count")] for section in context["sections"]]
        + [
            [_("Investment added (USD)"), Cell(context["report"]["usd_added"], "usd")],
            [_("Investment withdrawn (USD)"), Cell(context["report"]["usd_withdrawn"], "usd")],
        ],
    )
    tables = [counts]
    for section in context["sections"]:
        columns, line = kinds[kind_of.get(section["key"], "status")]
        cut = limit_note if section["count"] > len(section["rows"]) else ""
        tables.append(Table(str(section["title"]), columns, [line(row) for row in section["rows"]], cut))
    demo_counted = context.get("demo_choice") != "real" and any(
        row.get("demo") for section in context["sections"] for row in section["rows"]
    )
    notes = [(_("Window"), _("From %(start)s to %(end)s, both days included.") % {"start": start, "end": end})]
    if demo_counted:
        notes.append((_("Demo data"), _("Some of these projects are fictional, entered to demonstrate the tracker.")))
    scope = view.scope.replace("_", "-")
    slug = getattr(subject, "slug", "") or "all"
    return Export(
        title=_("What changed"),
        subject=str(subject) if subject is not None else "",
        stem=f"changes-{scope}-{slugify(slug)}-{start.isoformat()}-{end.isoformat()}",
        as_of=end,
        url=page_url(request),
        tables=tables,
        notes=notes,
    )
