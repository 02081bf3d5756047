from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # drf-spectacular learns how the API's tokens are sent from this extension.
        from . import schema  # noqa: F401
