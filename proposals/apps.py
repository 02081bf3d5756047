from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from diplomacy_portal.exports import register_export_section

        from .exports import my_proposals_data

        register_export_section("proposals", my_proposals_data)

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from diplomacy_portal import fragments

        from .models import Proposal, Support

        def changed(**kwargs):
            fragments.changed("proposals")

        # A sister city's public page lists the proposals accepted for it, and the public list
        # shows each proposal with its count of supports.
        for model in (Proposal, Support):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{model}-{signal}")
        m2m_changed.connect(
            changed, sender=Proposal.cities.through, weak=False, dispatch_uid="proposal-cities"
        )
