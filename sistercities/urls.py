from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from . import views
from .models import SisterCity


class CitySlugConverter(SlugConverter):
    """A slug no longer than a city's can be: a longer one is no address, and never becomes a
    cache key (the pages of a city are kept under their slug)."""

    regex = f"[-a-zA-Z0-9_]{{1,{SisterCity._meta.get_field('slug').max_length}}}"


register_converter(CitySlugConverter, "city")

app_name = "sistercities"

urlpatterns = [
    path("cities/", views.city_list, name="city-list"),
    path("cities/<city:slug>/", views.city_detail, name="city-detail"),
    path("cities/<city:slug>/follow/", views.city_follow, name="city-follow"),
    path(
        "agreements/<uuid:public_id>/document/",
        views.agreement_document,
        name="agreement-document",
    ),
    path("cities/<city:slug>/meetings.ics", views.city_meetings_feed, name="city-meetings-feed"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/tables/<slug:table>.<str:file_format>",
        views.dashboard_export,
        name="dashboard-export",
    ),
    path("dashboard/cities/<city:slug>/", views.dashboard_city, name="dashboard-city"),
    path(
        "dashboard/cities/<city:slug>/tables/<slug:table>.<str:file_format>",
        views.dashboard_city_export,
        name="dashboard-city-export",
    ),
]
