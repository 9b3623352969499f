"""The `demo` filter of the pages that add projects up: home, reports, map (see PortfolioFilter)."""

from partnership.filters import DemoFilter
from partnership.lists import filter_errors

from ..filters import PortfolioFilter


class DemoScope:
    """A view mixin: `self.portfolio`, the request's PortfolioFilter, bound and checked.

    `demo_scoped(projects)` gives the projects it selects; `demo_errors()` the (label, messages) of a
    value it could not use, for the page to say so with status 400.
    """

    def demo_filter(self, projects):
        self.portfolio = PortfolioFilter(self.request.GET, queryset=projects)
        return self.portfolio

    def demo_errors(self):
        return [] if self.portfolio.is_valid() else filter_errors(self.portfolio)

    def demo_choice(self):
        return self.portfolio.form.cleaned_data.get("demo", "") if self.portfolio.is_valid() else ""

    def demo_scoped(self, queryset, field="demo"):
        """`queryset` (projects, or their children through `field`) limited to the chosen kind."""
        return DemoFilter(field).filter(queryset, self.demo_choice())
