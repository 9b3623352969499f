"""A project's results on its page: each indicator with its progress bar and its published values."""

from django import template
from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partnership import charts
from projects.models import Indicator, IndicatorValue, Publication, Result

register = template.Library()


def value_text(indicator, value):
    """A value as the reader should see it: "Yes"/"No", "45 %" or "120 jobs"."""
    if value is None:
        return "—"
    if indicator.measure == Indicator.Measure.YES_NO:
        return _("Yes") if value else _("No")
    number = number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        return f"{number} %"
    return f"{number} {indicator.unit}".strip()


def progress_bar(indicator):
    """The SVG bar of one indicator's progress towards its target (percent), or None when there is none."""
    if indicator.progress is None:
        return None
    if indicator.measure == Indicator.Measure.YES_NO:
        text = _("done") if indicator.progress >= 100 else _("not yet")
    else:
        text = f"{indicator.progress:.0f} %"
    return charts.bar_chart(
        [
            {
                "label": _("Progress towards target"),
                "value": indicator.progress,
                "text": text,
                "css": f"bar--{indicator.track}",
            }
        ],
        title=_("%(indicator)s: progress towards target") % {"indicator": indicator.title},
        desc=_("%(progress)s of the way from the baseline to the target; %(elapsed).0f %% of the time has passed.")
        % {"progress": text, "elapsed": indicator.elapsed},
        max_value=100,
        width=320,
        css="chart--indicator",
    )


@register.simple_tag
def project_results(project, as_of=None):
    """The project's results with their indicators (annotated by `with_status`) and published values.

    Three queries whatever the number of results, indicators and values.
    """
    values = IndicatorValue.objects.filter(publication=Publication.PUBLISHED).select_related("evidence")
    indicators = Indicator.objects.with_status(as_of).prefetch_related(
        Prefetch("values", queryset=values, to_attr="public_values")
    )
    results = list(Result.objects.filter(project=project).prefetch_related(Prefetch("indicators", queryset=indicators)))
    for result in results:
        for indicator in result.indicators.all():
            indicator.bar = progress_bar(indicator)
            indicator.baseline_text = value_text(indicator, indicator.baseline_value)
            indicator.target_text = value_text(indicator, indicator.target_value)
            indicator.actual_text = value_text(indicator, indicator.actual)
            for value in indicator.public_values:
                value.text = (
                    value.narrative
                    if indicator.measure == Indicator.Measure.QUALITATIVE
                    else value_text(indicator, value.value)
                )
                value.evidence_public = value.evidence if value.evidence and value.evidence.published else None
    return results
