"""Public pages of the commission side: the commission, working groups, meetings and more.

This app never imports `projects`: a working group's or an agreement's projects are reached
through reverse relations, whose managers carry the portfolio's queryset methods
(`published()`, `with_figures()`), so drafts stay out here too.
"""

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from . import charts
from .filters import (
    AgreementFilter,
    DemoOnlyFilter,
    DirectiveFilter,
    EventFilter,
    MeetingFilter,
    WorkingGroupFilter,
)
from .lists import FilteredListView, filter_errors
from .models import (
    Agreement,
    CoChair,
    Commission,
    Directive,
    Event,
    Meeting,
    PortfolioFigure,
    TradeFigure,
    WorkingGroup,
)
from .templatetags.site_tags import money


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def main_commission():
    """The commission the single-commission pages show (see CommissionQuerySet.default())."""
    return Commission.objects.default()


def commission_or_404(slug=None, queryset=None):
    """The commission with this slug, or the site's default commission when no slug is given."""
    queryset = Commission.objects.all() if queryset is None else queryset
    commission = queryset.filter(slug=slug).first() if slug else queryset.default()
    if commission is None:
        raise Http404(_("No commission has been recorded yet.") if not slug else _("No such commission."))
    return commission


def published_projects():
    """Published projects, by model name: this app does not import the portfolio app."""
    return apps.get_model("projects", "Project").objects.published()


class CommissionListView(ListView):
    template_name = "partnership/commission_list.html"
    context_object_name = "commissions"
    queryset = Commission.objects.prefetch_related("countries", "working_groups")


class CommissionView(TemplateView):
    """A commission's page; at /commission/ the site's default commission."""

    template_name = "partnership/commission_detail.html"

    def get_context_data(self, **kwargs):
        queryset = Commission.objects.prefetch_related("countries", "working_groups")
        commission = commission_or_404(self.kwargs.get("slug"), queryset)
        chairs = CoChair.objects.filter(commission=commission).select_related("person", "country")
        return super().get_context_data(
            commission=commission,
            current_chairs=chairs.current(),
            past_chairs=chairs.past(),
            agreements=commission.agreements.all()[:10],
            meetings=commission.meetings.all()[:5],
            latest_trade=commission.trade_figures.order_by("-year").first(),
            totals=published_projects().filter(working_group__commission=commission).totals(),
            portfolio=portfolio_series(commission),
            **kwargs,
        )


def portfolio_series(commission):
    """The official portfolio figures as a chart and a table, beside this tracker's own count of real projects."""
    figures = list(PortfolioFigure.objects.filter(commission=commission).order_by("date"))
    points = [
        {"date": figure.date, "value": figure.project_count, "text": figure.project_count, "label": figure.date_label()}
        for figure in figures
    ]
    return {
        "figures": figures,
        "chart": charts.series_chart(
            points,
            title=_("Joint projects in the official portfolio"),
            desc=_("The number of joint projects in the portfolio as officially reported on each date."),
        )
        if figures
        else "",
        "tracked": published_projects().filter(working_group__commission=commission, demo=False).count(),
    }


class WorkingGroupListView(FilteredListView):
    template_name = "partnership/workinggroup_list.html"
    context_object_name = "groups"
    filterset_class = WorkingGroupFilter
    paginate_by = None

    def get_queryset(self):
        return WorkingGroup.objects.select_related("commission").prefetch_related(
            "sectors",
            Prefetch(
                "co_chairs",
                queryset=CoChair.objects.current().select_related("person", "country"),
                to_attr="current_chairs",
            ),
        )

    def get_context_data(self, **kwargs):
        rows = {row["key"]: row for row in published_projects().totals_by("working_group")}
        demo_included = any(row["demo_count"] for row in rows.values())
        return super().get_context_data(portfolio=rows, demo_included=demo_included, **kwargs)


class WorkingGroupDetailView(DetailView):
    """A working group: its co-chairs, figures, the first of its projects (the rest are a link away in
    the directory), directives and meetings. `?demo=real` (or `demo`) counts that kind of project only."""

    template_name = "partnership/workinggroup_detail.html"
    context_object_name = "group"
    # A group can hold thousands of projects; the page lists this many and links to the directory.
    project_rows = 20

    def get_queryset(self):
        return WorkingGroup.objects.select_related("commission").prefetch_related("sectors")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.demo = DemoOnlyFilter(request.GET, queryset=self.object.projects.published())
        if not self.demo.is_valid():
            context = self.get_context_data(object=self.object, errors=filter_errors(self.demo))
            return self.render_to_response(context, status=400)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        group = self.object
        chairs = group.co_chairs.select_related("person", "country")
        valid = self.demo.is_valid()
        demo_choice = self.demo.form.cleaned_data.get("demo", "") if valid else ""
        projects = self.demo.qs if valid else group.projects.published().none()
        totals = projects.totals()
        query = {"working_group": group.slug, **({"demo": demo_choice} if demo_choice else {})}
        return super().get_context_data(
            current_chairs=chairs.current(),
            past_chairs=chairs.past(),
            projects=projects.with_figures().prefetch_related("sectors").order_by("code")[: self.project_rows],
            more_projects=max(totals["count"] - self.project_rows, 0),
            directory_url=reverse("projects:project-list") + "?" + urlencode(query),
            demo_choice=demo_choice,
            totals=totals,
            directives=group.directives.select_related("meeting").order_by("-meeting__date", "order"),
            directive_counts=group.directives.state_counts(),
            meetings=group.meetings.all()[:10],
            **kwargs,
        )


class MeetingListView(FilteredListView):
    template_name = "partnership/meeting_list.html"
    context_object_name = "meetings"
    filterset_class = MeetingFilter
    queryset = Meeting.objects.prefetch_related("working_groups")

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=Meeting.Kind.choices, **kwargs)


class MeetingDetailView(DetailView):
    template_name = "partnership/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.select_related("commission").prefetch_related(
            "working_groups",
            Prefetch(
                "directives",
                queryset=Directive.objects.prefetch_related(
                    "working_groups", Prefetch("projects", queryset=published_projects())
                ),
            ),
        )


class DirectiveDetailView(DetailView):
    """One directive: who carries it out, by when, its follow-up and the published projects behind it."""

    template_name = "partnership/directive_detail.html"
    context_object_name = "directive"

    def get_queryset(self):
        return Directive.objects.select_related("meeting").prefetch_related(
            "working_groups",
            "follow_ups",
            Prefetch("projects", queryset=published_projects().order_by("code")),
        )


class DirectiveListView(FilteredListView):
    """The directives tracker: every decision with its state, overdue ones marked."""

    template_name = "partnership/directive_list.html"
    filterset_class = DirectiveFilter
    paginate_by = 50
    queryset = (
        Directive.objects.select_related("meeting")
        .prefetch_related("working_groups")
        .order_by("-meeting__date", "order", "pk")
    )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=Directive.objects.state_counts(),
            statuses=Directive.Status.choices,
            groups=WorkingGroup.objects.all(),
            today=timezone.localdate(),
            **kwargs,
        )


class AgreementListView(FilteredListView):
    template_name = "partnership/agreement_list.html"
    context_object_name = "agreements"
    filterset_class = AgreementFilter
    paginate_by = 50
    queryset = Agreement.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=Agreement.Kind.choices, statuses=Agreement.Status.choices, **kwargs)


class AgreementDetailView(DetailView):
    template_name = "partnership/agreement_detail.html"
    context_object_name = "agreement"
    queryset = Agreement.objects.select_related("commission")

    def get_context_data(self, **kwargs):
        return super().get_context_data(projects=self.object.projects.published().order_by("code"), **kwargs)


class TradeView(TemplateView):
    template_name = "partnership/trade.html"

    def get_context_data(self, **kwargs):
        commission = commission_or_404(self.kwargs.get("slug"))
        figures = list(
            TradeFigure.objects.filter(commission=commission).select_related("reporting_country").order_by("year")
        )
        target = commission.trade_target_usd
        rows = [
            {
                "year": figure.year,
                "value": figure.turnover_usd,
                "text": money(figure.turnover_usd, ""),
                "estimate": figure.estimate,
            }
            for figure in figures
        ]
        target_text = (
            _("Target %(amount)s by %(year)s") % {"amount": money(target), "year": commission.trade_target_year}
            if target
            else ""
        )
        latest = figures[-1] if figures else None
        return super().get_context_data(
            commission=commission,
            figures=figures,
            latest=latest,
            share_of_target=(100 * latest.turnover_usd / target) if latest and target else None,
            chart=charts.trade_chart(
                rows,
                title=_("Trade turnover by year"),
                desc=_("Bilateral trade turnover in US dollars for each year, against the target."),
                target=target,
                target_text=target_text,
            ),
            **kwargs,
        )


class EventListView(FilteredListView):
    """Upcoming events, then past ones a page at a time; the same filters apply to both."""

    template_name = "partnership/event_list.html"
    filterset_class = EventFilter

    def get_queryset(self):
        events = Event.objects.published()
        return events.exclude(pk__in=events.upcoming(timezone.localdate()).values("pk")).order_by("-start_date")

    def get_context_data(self, **kwargs):
        upcoming = Event.objects.published().upcoming(timezone.localdate()).order_by("start_date")
        # On a 400 page neither list has rows.
        upcoming = self.filterset.filter_queryset(upcoming) if self.filterset.is_valid() else upcoming.none()
        context = super().get_context_data(upcoming=upcoming, kinds=Event.Kind.choices, **kwargs)
        context["past"] = context["page_obj"]
        return context


class EventDetailView(DetailView):
    template_name = "partnership/event_detail.html"
    context_object_name = "event"
    queryset = Event.objects.published()
