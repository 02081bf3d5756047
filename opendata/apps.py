from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        # drf-spectacular learns how the API's tokens are sent from this extension.
        from diplomacy_portal.exports import register_export_section

        from . import schema  # noqa: F401
        from .exports import my_api_tokens_data

        register_export_section("api_tokens", my_api_tokens_data)
