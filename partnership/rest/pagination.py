"""Pagination with a bounded page size: `page_size` above the maximum is a 400 naming it, not
silently clamped, so that a client never believes it has every row when it has not."""

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500
WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
PAGE_NUMBER = re.compile(r"^[0-9]{1,100}$")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not WHOLE_NUMBER.match(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "1")
        if not PAGE_NUMBER.match(raw) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("A whole number from 1.")]})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            pages = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            raise exceptions.NotFound(
                {self.page_query_param: [_("Past the end: the last page is %(pages)d.") % {"pages": pages}]}
            ) from None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = [f'<{url}>; rel="{rel}"' for rel, url in (("next", response.data["next"]),) if url]
        links += [f'<{url}>; rel="{rel}"' for rel, url in (("prev", response.data["previous"]),) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = _(
                    "Rows per page, 1 to %(max)d (default %(default)d); more is a 400, not a silent cut."
                ) % {"max": self.max_page_size, "default": self.page_size}
        return parameters
