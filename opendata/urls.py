from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "opendata"

urlpatterns = [
    path("api/v1/cities/", views.CityList.as_view(), name="api-city-list"),
    path("api/v1/cities/<slug:slug>/", views.CityDetail.as_view(), name="api-city-detail"),
    path("api/v1/initiatives/", views.InitiativeList.as_view(), name="api-initiative-list"),
    path(
        "api/v1/initiatives/<slug:slug>/",
        views.InitiativeDetail.as_view(),
        name="api-initiative-detail",
    ),
    path("api/v1/meetings/", views.MeetingList.as_view(), name="api-meeting-list"),
    path("api/v1/meetings/<int:pk>/", views.MeetingDetail.as_view(), name="api-meeting-detail"),
    path("api/v1/agreements/", views.AgreementList.as_view(), name="api-agreement-list"),
    path(
        "api/v1/agreements/<int:pk>/",
        views.AgreementDetail.as_view(),
        name="api-agreement-detail",
    ),
    path("api/v1/proposals/", views.ProposalList.as_view(), name="api-proposal-list"),
    path("api/v1/proposals/<int:pk>/", views.ProposalDetail.as_view(), name="api-proposal-detail"),
    path("api/v1/figures/", views.Figures.as_view(), name="api-figures"),
    path("api/v1/dashboard/cities/", views.DashboardCities.as_view(), name="api-dashboard-cities"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", views.api_docs, name="api-docs"),
    re_path(r"^api/", views.NotThere.as_view(), name="api-not-found"),
    path("me/api-tokens/", views.token_list, name="token-list"),
    path("me/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
