from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self):
        from allauth.account.forms import RequestReauthenticationCodeForm

        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="sync_role_permissions")
        # allauth leaves this field without a label, so Django would show its name in English.
        RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Send the code to")
