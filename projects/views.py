"""Public pages of the portfolio."""

from django.views.generic import TemplateView

from partnership.models import Commission

from .models import Project


class HomeView(TemplateView):
    template_name = "projects/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commissions=Commission.objects.prefetch_related("working_groups"),
            projects=Project.objects.published().for_directory(),
            totals=Project.objects.published().totals(),
            **kwargs,
        )
