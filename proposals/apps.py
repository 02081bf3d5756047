from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from diplomacy_portal.exports import register_export_section

        from .exports import my_proposals_data

        register_export_section("proposals", my_proposals_data)
