"""Public pages of the commission side: the commission, working groups, meetings and more.

This app never imports `projects`: a working group's or an agreement's projects are reached
through reverse relations, whose managers carry the portfolio's queryset methods
(`published()`, `with_figures()`), so drafts stay out here too.
"""

from django.apps import apps
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from . import charts
from .filters import DirectiveFilter, MeetingFilter
from .models import Agreement, CoChair, Commission, Directive, Event, Meeting, TradeFigure, WorkingGroup
from .templatetags.site_tags import money

PUBLISHED = "published"


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
    """The commission the site is about (the first one, when several are recorded)."""
    return Commission.objects.order_by("pk").first()


def published_projects():
    """Published projects, by model name: this app does not import the portfolio app."""
    return apps.get_model("projects", "Project").objects.published()


def filter_errors(filterset):
    """(label, messages) pairs naming each query-string value a FilterSet could not use."""
    return [
        (filterset.filters[name].label if name in filterset.filters else name, messages)
        for name, messages in filterset.errors.items()
    ]


def paginate(request, queryset, per_page):
    """A page of `queryset`, or a 404 page that says why when the page number is wrong."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(
            _("There is no page “%(page)s” in this list; it has %(pages)s page(s).")
            % {"page": request.GET.get("page"), "pages": paginator.num_pages}
        ) from exc


class CommissionView(TemplateView):
    template_name = "partnership/commission_detail.html"

    def get_context_data(self, **kwargs):
        commission = Commission.objects.prefetch_related("countries", "working_groups").order_by("pk").first()
        if commission is None:
            raise Http404(_("No commission has been recorded yet."))
        chairs = CoChair.objects.filter(commission=commission).select_related("person", "country")
        return super().get_context_data(
            commission=commission,
            current_chairs=chairs.current(),
            past_chairs=chairs.past(),
            agreements=commission.agreements.all()[:10],
            meetings=commission.meetings.all()[:5],
            latest_trade=commission.trade_figures.order_by("-year").first(),
            totals=published_projects().filter(working_group__commission=commission).totals(),
            **kwargs,
        )


class WorkingGroupListView(ListView):
    template_name = "partnership/workinggroup_list.html"
    context_object_name = "groups"

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
        return super().get_context_data(portfolio=rows, **kwargs)


class WorkingGroupDetailView(DetailView):
    template_name = "partnership/workinggroup_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        return WorkingGroup.objects.select_related("commission").prefetch_related("sectors")

    def get_context_data(self, **kwargs):
        group = self.object
        chairs = group.co_chairs.select_related("person", "country")
        projects = group.projects.published()
        return super().get_context_data(
            current_chairs=chairs.current(),
            past_chairs=chairs.past(),
            projects=projects.with_figures().prefetch_related("sectors").order_by("code"),
            totals=projects.totals(),
            directives=group.directives.select_related("meeting").order_by("-meeting__date", "order"),
            directive_counts=group.directives.state_counts(),
            meetings=group.meetings.all()[:10],
            **kwargs,
        )


class MeetingListView(ListView):
    template_name = "partnership/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = MeetingFilter(self.request.GET, queryset=Meeting.objects.prefetch_related("working_groups"))
        return self.filterset.qs if self.filterset.is_valid() else Meeting.objects.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, kinds=Meeting.Kind.choices, **kwargs)

    def render_to_response(self, context, **kwargs):
        if not self.filterset.is_valid():
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


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


class DirectiveListView(TemplateView):
    """The directives tracker: every decision with its state, overdue ones marked."""

    template_name = "partnership/directive_list.html"

    def get(self, request, *args, **kwargs):
        queryset = Directive.objects.select_related("meeting").prefetch_related("working_groups")
        filterset = DirectiveFilter(request.GET, queryset=queryset.order_by("-meeting__date", "order", "pk"))
        context = self.get_context_data(
            filterset=filterset,
            counts=Directive.objects.state_counts(),
            statuses=Directive.Status.choices,
            groups=WorkingGroup.objects.all(),
            today=timezone.localdate(),
        )
        if not filterset.is_valid():
            context["errors"] = filter_errors(filterset)
            return self.render_to_response(context, status=400)
        context["page"] = paginate(request, filterset.qs, 50)
        return self.render_to_response(context)


class AgreementListView(ListView):
    template_name = "partnership/agreement_list.html"
    context_object_name = "agreements"
    queryset = Agreement.objects.all()


class AgreementDetailView(DetailView):
    template_name = "partnership/agreement_detail.html"
    context_object_name = "agreement"
    queryset = Agreement.objects.select_related("commission")

    def get_context_data(self, **kwargs):
        return super().get_context_data(projects=self.object.projects.published().order_by("code"), **kwargs)


class TradeView(TemplateView):
    template_name = "partnership/trade.html"

    def get_context_data(self, **kwargs):
        commission = main_commission()
        if commission is None:
            raise Http404(_("No commission has been recorded yet."))
        figures = list(
            TradeFigure.objects.filter(commission=commission).select_related("reporting_country").order_by("year")
        )
        target = commission.trade_target_usd
        rows = [
            {
                "year": figure.year,
                "value": figure.turnover_usd,
                "text": money(figure.turnover_usd).replace(" USD", ""),
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


class EventListView(TemplateView):
    template_name = "partnership/event_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        events = Event.objects.published()
        upcoming = events.upcoming(today)
        return super().get_context_data(
            upcoming=upcoming.order_by("start_date"),
            past=paginate(self.request, events.exclude(pk__in=upcoming.values("pk")).order_by("-start_date"), 30),
            **kwargs,
        )


class EventDetailView(DetailView):
    template_name = "partnership/event_detail.html"
    context_object_name = "event"
    queryset = Event.objects.published()
