from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Joint initiatives")

    def ready(self):
        from diplomacy_portal.exports import register_export_section

        from .exports import my_initiatives_data

        register_export_section("initiatives", my_initiatives_data)
