from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .models import ApiToken


class DashboardToken(BasePermission):
    """The dashboards' figures: with the token of someone who may read the dashboards now (a
    role taken away counts on the next request)."""

    message = _("The dashboards' figures need the API token of a city official or staff.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken) and request.user.has_perm(
            "sistercities.view_dashboard"
        )
