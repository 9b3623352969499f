"""The base of every public list: filtered by a FilterSet, paginated, and explaining bad input.

A query-string value a filter cannot use gives the list page with status 400 naming each one;
a page number that is not a number or past the end gives the list page with status 404 saying
how many pages there are. Either page links back to a list that works.
"""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from django_filters.views import FilterView


def filter_errors(filterset):
    """(label, messages) pairs naming each query-string value a FilterSet could not use."""
    return [
        (filterset.filters[name].label if name in filterset.filters else name, messages)
        for name, messages in filterset.errors.items()
    ]


class PageNotInList(Exception):
    """A page number that is not a page of the list, with the message that says so."""

    def __init__(self, number, paginator):
        self.count = paginator.count
        self.message = _("There is no page “%(page)s” in this list; it has %(pages)s page(s).") % {
            "page": number,
            "pages": paginator.num_pages,
        }
        super().__init__(self.message)


class FilteredListView(FilterView):
    """A public list: `filterset_class` over `get_queryset()`, `paginate_by` rows a page.

    The context has `filterset`, `page` (also `page_obj`), `count` and the rows under
    `object_list` and `context_object_name`; on bad input, `errors` or `page_error` instead.
    """

    paginate_by = 30
    paginated = True

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        errors = self.input_errors()
        if errors:
            return self.explain(400, errors=errors)
        self.object_list = self.filterset.qs
        try:
            context = self.get_context_data()
        except PageNotInList as exc:
            return self.page_not_found(exc)
        return self.render_to_response(context)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound (FilterView leaves an empty query string unbound), so is_valid() means valid.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def input_errors(self):
        return [] if self.filterset.is_valid() else filter_errors(self.filterset)

    def explain(self, status, **context):
        """The list page without rows, saying what was wrong with the request."""
        self.object_list = self.filterset.queryset.none()
        self.paginated = False
        return self.render_to_response(self.get_context_data(**context), status=status)

    def page_not_found(self, exc, **context):
        return self.explain(404, page_error=exc.message, count=exc.count, **context)

    def get_paginate_by(self, queryset):
        return self.paginate_by if self.paginated else None

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg) or 1
        try:
            page = paginator.page(number)
        except InvalidPage as exc:
            raise PageNotInList(number, paginator) from exc
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filterset=self.filterset, **kwargs)
        if context.get("page_obj") is not None:
            context.setdefault("page", context["page_obj"])
            context.setdefault("count", context["paginator"].count)
        return context
