"""Open-data exports of the published portfolio: IATI 2.03 activity XML and OC4IDS 0.9.5 JSON.

Real projects only unless `demo` asks otherwise (`demo=demo`: demo ones; `demo=` empty: all).
Files hold at most 250 records; `page` walks them, with next and prev in the Link header and
the number of records in X-Total-Count. Errors are the API's JSON shape.
"""

import re

import django_filters
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from partnership.filters import DemoFilter
from partnership.rest.viewsets import APIBehaviour

from .models import Project
from .opendata import codes, iati, oc4ids
from .opendata.records import Publisher, for_export

PAGE_NUMBER = re.compile(r"^[0-9]{1,9}$")

DEMO_PARAMETER = OpenApiParameter(
    "demo",
    str,
    enum=["real", "demo", ""],
    description="Real projects (`real`, the default when left out), demo ones (`demo`), or all (empty).",
)
PAGE_PARAMETER = OpenApiParameter(
    "page",
    int,
    description=f"Page of the file, from 1; each holds up to {codes.PAGE_SIZE:,} records. The Link header "
    "names the next and previous pages, X-Total-Count the number of records.",
)
CODE_PARAMETER = OpenApiParameter("code", str, OpenApiParameter.PATH, description="The project's code, e.g. KZUZ-001.")


class XMLRenderer(BaseRenderer):
    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class OC4IDSRenderer(JSONRenderer):
    """JSON without escaping non-Latin text (titles in Russian or Kazakh stay readable)."""

    ensure_ascii = False


class DemoOnly(django_filters.FilterSet):
    demo = DemoFilter()

    class Meta:
        model = Project
        fields = []


class ExportView(APIBehaviour, generics.GenericAPIView):
    """What both exports share: the choice of projects, pages, and the publisher."""

    http_method_names = ["get", "head", "options"]
    pagination_class = None
    filter_backends = []
    queryset = Project.objects.none()
    extra_query_params = ("demo",)

    def get_renderers(self):
        # OPTIONS describes the endpoint in JSON, whatever the file's format.
        if getattr(getattr(self, "request", None), "method", None) == "OPTIONS":
            return [JSONRenderer()]
        return super().get_renderers()

    def text_query_params(self):
        # ?demo= (empty) means all projects, as in the site's forms.
        return {"demo"}

    def projects(self):
        queryset = self.base_queryset()
        params = self.request.query_params
        if "demo" not in params:
            return queryset.filter(demo=False)
        choice = DemoOnly(data={"demo": params["demo"]}, queryset=queryset)
        if not choice.is_valid():
            raise exceptions.ValidationError(choice.errors)
        return choice.qs

    def base_queryset(self):
        return for_export()

    def context(self):
        return {
            "publisher": Publisher(),
            "absolute_url": self.request.build_absolute_uri,
            "uri": self.request.build_absolute_uri(),
        }


class ListExport(ExportView):
    extra_query_params = ("demo", "page")

    def page(self):
        """The projects of the page asked for, and the response headers that go with them."""
        raw = self.request.query_params.get("page", "1")
        if not PAGE_NUMBER.match(raw) or int(raw) < 1:
            raise exceptions.ValidationError({"page": [_("A whole number from 1.")]})
        paginator = Paginator(self.projects(), codes.PAGE_SIZE)
        number = int(raw)
        if number > paginator.num_pages:
            raise exceptions.NotFound(
                {"page": [_("Past the end: the last page is %(pages)d.") % {"pages": paginator.num_pages}]}
            )
        page = paginator.page(number)
        here = self.request.build_absolute_uri()
        links = []
        if page.has_next():
            links.append(f'<{replace_query_param(here, "page", number + 1)}>; rel="next"')
        if page.has_previous():
            links.append(f'<{replace_query_param(here, "page", number - 1)}>; rel="prev"')
        headers = {"X-Total-Count": str(paginator.count)}
        if links:
            headers["Link"] = ", ".join(links)
        return list(page.object_list), headers


class OneExport(ExportView):
    def project(self, code):
        project = self.projects().filter(code=code).first()
        if project is None:
            if "demo" not in self.request.query_params and self.base_queryset().filter(code=code, demo=True).exists():
                raise exceptions.NotFound(_("%(code)s is a demo project: ask with ?demo=demo.") % {"code": code})
            raise exceptions.NotFound(_("No published project has this code."))
        return project


IATI_RESPONSE = OpenApiResponse(OpenApiTypes.STR, description="An IATI 2.03 <iati-activities> XML document.")
OC4IDS_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT, description="An OC4IDS 0.9 project package (project-package-schema.json)."
)


class IATIActivities(ListExport):
    """IATI 2.03 activities of published projects with at least one planned or actual date."""

    name = "IATI activities"
    renderer_classes = [XMLRenderer]

    def base_queryset(self):
        return for_export().filter(iati.dated_q())

    @extend_schema(
        operation_id="iati_activities",
        summary="IATI 2.03 activity XML of published projects",
        description="Published real projects (demo ones when asked), 250 a file, ordered by code; "
        "each activity validates against the IATI 2.03 activity schema. Projects without any planned "
        "or actual date are left out (IATI needs one). Mappings: README, Open data.",
        tags=["open data"],
        parameters=[DEMO_PARAMETER, PAGE_PARAMETER],
        responses={(200, "application/xml"): IATI_RESPONSE},
    )
    def get(self, request, *args, **kwargs):
        projects, headers = self.page()
        return Response(iati.activities_document(projects, self.context()), headers=headers)


class IATIActivity(OneExport):
    """One published project as an IATI 2.03 activity (in an <iati-activities> file)."""

    name = "IATI activity"
    renderer_classes = [XMLRenderer]

    @extend_schema(
        operation_id="iati_activity",
        summary="One project as IATI 2.03 activity XML",
        description="A 404 for a draft, an unknown code, a project without any date, or a demo "
        "project unless `demo` asks for it.",
        tags=["open data"],
        parameters=[CODE_PARAMETER, DEMO_PARAMETER],
        responses={(200, "application/xml"): IATI_RESPONSE},
    )
    def get(self, request, code, *args, **kwargs):
        project = self.project(code)
        if not iati.has_dates(project):
            raise exceptions.NotFound(
                _("%(code)s has no planned or actual date yet, which an IATI activity needs.") % {"code": code}
            )
        return Response(iati.activities_document([project], self.context()))


class OC4IDSProjects(ListExport):
    """An OC4IDS project package of published projects."""

    name = "OC4IDS projects"
    renderer_classes = [OC4IDSRenderer]

    @extend_schema(
        operation_id="oc4ids_projects",
        summary="OC4IDS 0.9 project package of published projects",
        description="Published real projects (demo ones when asked), 250 a package, ordered by code; "
        "validates against the OC4IDS 0.9.5 project package schema. Mappings: README, Open data.",
        tags=["open data"],
        parameters=[DEMO_PARAMETER, PAGE_PARAMETER],
        responses={(200, "application/json"): OC4IDS_RESPONSE},
    )
    def get(self, request, *args, **kwargs):
        projects, headers = self.page()
        return Response(oc4ids.package(projects, self.context()), headers=headers)


class OC4IDSProject(OneExport):
    """One published project in an OC4IDS project package."""

    name = "OC4IDS project"
    renderer_classes = [OC4IDSRenderer]

    @extend_schema(
        operation_id="oc4ids_project",
        summary="One project as an OC4IDS 0.9 project package",
        description="A 404 for a draft, an unknown code, or a demo project unless `demo` asks for it.",
        tags=["open data"],
        parameters=[CODE_PARAMETER, DEMO_PARAMETER],
        responses={(200, "application/json"): OC4IDS_RESPONSE},
    )
    def get(self, request, code, *args, **kwargs):
        return Response(oc4ids.package([self.project(code)], self.context()))
