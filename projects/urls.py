"""Public pages of the portfolio (inside the language prefix)."""

from django.urls import path

from . import feeds, views

app_name = "projects"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<slug:slug>/feed/", feeds.ProjectUpdatesFeed(), name="project-feed"),
    path("map/", views.ProjectMapView.as_view(), name="project-map"),
    path("reports/", views.ReportView.as_view(), name="report"),
    path("commissions/<slug:slug>/reports/", views.ReportView.as_view(), name="report"),
    path(
        "reports/working-groups/<slug:slug>/",
        views.ReportView.as_view(scope="working_group"),
        name="report-workinggroup",
    ),
    path("reports/sectors/<slug:slug>/", views.ReportView.as_view(scope="sector"), name="report-sector"),
    path("updates/feed/", feeds.UpdatesFeed(), name="update-feed"),
    path("working-groups/<slug:slug>/feed/", feeds.WorkingGroupUpdatesFeed(), name="workinggroup-feed"),
]
urlpatterns += views.changes.urlpatterns  # the changes reports (projects/views/changes.py)
urlpatterns += views.report_lists.urlpatterns  # the reports' long lists (projects/views/report_lists.py)
