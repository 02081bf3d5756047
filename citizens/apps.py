from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizens")

    def ready(self):
        from allauth.account.forms import RequestReauthenticationCodeForm
        from django.contrib.auth.models import Group

        from . import backends
        from .models import User
        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="sync_role_permissions")
        # Roles and permissions kept in the cache get a new version when they change.
        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(backends.membership_changed, sender=through)
        for signal in (post_save, post_delete):
            signal.connect(backends.group_or_permission_changed)
        # allauth leaves this field without a label, so Django would show its name in English.
        RequestReauthenticationCodeForm.base_fields["recipient"].label = _("Send the code to")
