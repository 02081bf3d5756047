from django.urls import path

from . import views

app_name = "sistercities"

urlpatterns = [
    path("cities/", views.city_list, name="city-list"),
    path("cities/<slug:slug>/", views.city_detail, name="city-detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/tables/<slug:table>.<str:file_format>",
        views.dashboard_export,
        name="dashboard-export",
    ),
    path("dashboard/cities/<slug:slug>/", views.dashboard_city, name="dashboard-city"),
    path(
        "dashboard/cities/<slug:slug>/tables/<slug:table>.<str:file_format>",
        views.dashboard_city_export,
        name="dashboard-city-export",
    ),
]
