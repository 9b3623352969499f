"""What a report download holds: a report described as an `Export` of `Table`s, in the language of the page.

A report describes itself as an `Export`: its title, as-of date, address, notes and `Table`s (the
same figures its page shows, taken from the page's context). `report_files` turns that into a
workbook with one sheet per table and a sheet of sources and notes, or renders the report's own
template through WeasyPrint with the print stylesheet; `report_delivery` serves the file, from
the cache when it can. A second report type (the changes report) plugs in the same way:
`format = format_field()` on its form, `{% include "projects/_report_downloads.html" %}` in its
template (links, and the error for a bad format), `ExportDelivery` among its view's bases and,
when the form asks for a format, `report_delivery.download()` with its own `Export` of its tables.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.template.loader import render_to_string
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


def page_url(request):
    """The address of the page a download was asked from, without the `format` parameter."""
    query = request.GET.copy()
    query.pop("format", None)
    return request.build_absolute_uri(request.path + (f"?{query.urlencode()}" if query else ""))


def demo_notice(request, context):
    """The page's demo-data notice as plain text, empty when no demo project is counted (without
    the page's link to the real projects only, which a file cannot follow)."""
    notice = render_to_string("includes/_demo_notice.html", {**context, "export": True}, request=request)
    return " ".join(strip_tags(notice).split())


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
