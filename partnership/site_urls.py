"""Public pages of the commission side (inside the language prefix)."""

from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    # /commission/ and /trade/ show the site's default commission (the same page, not a redirect);
    # each commission has its own pages under /commissions/<slug>/. A name shared by two patterns
    # reverses to the one whose arguments match.
    path("commission/", views.CommissionView.as_view(), name="commission-detail"),
    path("commissions/", views.CommissionListView.as_view(), name="commission-list"),
    path("commissions/<slug:slug>/", views.CommissionView.as_view(), name="commission-detail"),
    path("commissions/<slug:slug>/trade/", views.TradeView.as_view(), name="trade"),
    path("working-groups/", views.WorkingGroupListView.as_view(), name="workinggroup-list"),
    path("working-groups/<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="workinggroup-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("directives/", views.DirectiveListView.as_view(), name="directive-list"),
    path("directives/<int:pk>/", views.DirectiveDetailView.as_view(), name="directive-detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("trade/", views.TradeView.as_view(), name="trade"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
]
