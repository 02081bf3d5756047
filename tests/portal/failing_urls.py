"""The portal's URLs and one that fails, for the 500 page's tests."""

from django.urls import path

from diplomacy_portal.urls import handler500  # noqa: F401 (the portal's error pages)
from diplomacy_portal.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("A bug, for the test")


urlpatterns = [path("broken/", broken), *portal_urlpatterns]
