from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Joint initiatives")

    def ready(self):
        from diplomacy_portal.exports import register_export_section

        from .exports import my_initiatives_data

        register_export_section("initiatives", my_initiatives_data)

        from citizens.services.mail import register_composer, register_delivery_listener

        from .services.invitations import COMPOSER, compose_meeting_emails, record_delivery

        # Meeting e-mails are stored in the outbox first and written just before they are sent;
        # an invitation is "sent" or "failed" as its e-mail in the outbox is.
        register_composer(COMPOSER, compose_meeting_emails)
        register_delivery_listener(record_delivery)

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from diplomacy_portal import fragments

        from .models import Initiative, Meeting, Membership

        def changed(**kwargs):
            fragments.changed("initiatives")

        def meeting_changed(**kwargs):
            fragments.changed("meetings")

        # The public calendar feeds list meetings.
        for signal in (post_save, post_delete):
            signal.connect(
                meeting_changed, sender=Meeting, weak=False, dispatch_uid=f"meeting-{signal}"
            )

        # The public list shows each initiative's cities and number of members.
        for model in (Initiative, Membership):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{model}-{signal}")
        m2m_changed.connect(
            changed, sender=Initiative.cities.through, weak=False, dispatch_uid="initiative-cities"
        )
