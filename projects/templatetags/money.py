"""The money section of a project's page and of a report, from projects/selectors.py."""

from django import template
from django.utils.translation import gettext as _

from partnership import charts

from .. import selectors

register = template.Library()

CHART_SERIES = (("budget", "bar--budget"), ("commitment", "bar--committed"), ("disbursement", "bar--disbursed"))


@register.simple_tag
def project_money(project):
    """Budgets and published transactions of a project per year, their chart and the transactions."""
    figures = selectors.project_money(project)
    names = {"budget": _("Budget"), "commitment": _("Committed"), "disbursement": _("Disbursed")}
    figures["chart"] = charts.grouped_bar_chart(
        [
            {"label": str(row["year"]), "values": [row[column]["usd"] for column, _css in CHART_SERIES]}
            for row in figures["rows"]
        ],
        [(names[column], css) for column, css in CHART_SERIES],
        title=_("Budget, committed and disbursed by year"),
        desc=_(
            "US-dollar equivalents of %(project)s's budgets and published transactions per year; the table gives the figures."
        )
        % {"project": project.title},
    )
    return figures


@register.simple_tag
def money_report(projects):
    """USD totals of budgets, commitments and disbursements by year for the projects of a report
    (on a past day, those published then: their budgets and transactions as recorded now)."""
    return {"rows": selectors.money_totals(projects, "year"), "totals": selectors.money_overall(projects)}
