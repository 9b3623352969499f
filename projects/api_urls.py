"""The API: /api/v1/ resources, the OpenAPI schema and its documentation pages.

URL names are `api:<model>-list` and `api:<model>-detail`, as DRF's router makes them;
`api:api-root` is /api/v1/ itself, the list of every resource.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from partnership import api as commission_api
from partnership.rest.errors import api_not_found
from partnership.rest.viewsets import Router

from . import api, api_changes, api_money, api_opendata, api_results

app_name = "api"


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from this site's static files, its start-up script a separate file (strict CSP)."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


router = Router(use_regex_path=True)
router.register("countries", commission_api.CountryViewSet)
router.register("commissions", commission_api.CommissionViewSet)
router.register("sectors", commission_api.SectorViewSet)
router.register("working-groups", commission_api.WorkingGroupViewSet)
router.register("co-chairs", commission_api.CoChairViewSet)
router.register("people", commission_api.PersonViewSet)
router.register("meetings", commission_api.MeetingViewSet)
router.register("directives", commission_api.DirectiveViewSet)
router.register("directive-follow-ups", commission_api.DirectiveFollowUpViewSet)
router.register("agreements", commission_api.AgreementViewSet)
router.register("trade-figures", commission_api.TradeFigureViewSet)
router.register("portfolio-figures", commission_api.PortfolioFigureViewSet)
router.register("events", commission_api.EventViewSet)
router.register("organisations", api.OrganisationViewSet)
router.register("projects", api.ProjectViewSet)
router.register("tasks", api.TaskViewSet)
router.register("progress-updates", api.ProgressUpdateViewSet)
router.register("documents", api.DocumentViewSet)
router.register("exchange-rates", api.ExchangeRateViewSet)
router.register("summary", api.SummaryViewSet, basename="summary")
router.register("money/summary", api.MoneySummaryViewSet, basename="money-summary")
router.register("changes", api_changes.ChangesViewSet, basename="changes")
router.register("budgets", api_money.BudgetViewSet)
router.register("transactions", api_money.TransactionViewSet)
router.register("results", api_results.ResultViewSet)
router.register("indicators", api_results.IndicatorViewSet)
router.register("indicator-values", api_results.IndicatorValueViewSet)
router.register("indicators-on-track", api_results.IndicatorTrackViewSet, basename="indicators-on-track")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Open-data exports (projects/api_opendata.py): file names end in .xml and .json.
    path("v1/iati/activities.xml", api_opendata.IATIActivities.as_view(), name="iati-activities"),
    re_path(r"^v1/iati/activities/(?P<code>[^/]+)\.xml$", api_opendata.IATIActivity.as_view(), name="iati-activity"),
    path("v1/oc4ids/projects.json", api_opendata.OC4IDSProjects.as_view(), name="oc4ids-projects"),
    re_path(r"^v1/oc4ids/projects/(?P<code>[^/]+)\.json$", api_opendata.OC4IDSProject.as_view(), name="oc4ids-project"),
    path("v1/", include(router.urls)),
    # Any other address under /api/ gets a JSON 404, never the site's HTML page.
    re_path(r"^[\s\S]*$", api_not_found),
]
