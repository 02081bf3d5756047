"""The signed-in reader, read in one query with what the middleware and the navigation ask of
them on every page: roles, permissions, whether two-factor authentication is set up and how many
notices are unread. Django would otherwise ask for each in a query of its own (up to six)."""

from allauth.account import auth_backends
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

_READER_SQL = None


def _reader_sql() -> str:
    """The query, written out once: composing it with the ORM on every request cost more than
    the queries it replaces."""
    from citizens.models import Notification

    global _READER_SQL
    if _READER_SQL is None:
        user = get_user_model()
        tables = {
            name: connection.ops.quote_name(model._meta.db_table)
            for name, model in {
                "user": user,
                "user_groups": user.groups.through,
                "user_permissions": user.user_permissions.through,
                "group": Group,
                "group_permissions": Group.permissions.through,
                "permission": Permission,
                "content_type": ContentType,
                "authenticator": Authenticator,
                "notification": Notification,
            }.items()
        }
        permission = (
            "SELECT ct.app_label || '.' || p.codename FROM {permission} p "
            "JOIN {content_type} ct ON ct.id = p.content_type_id "
        )
        _READER_SQL = (
            "SELECT u.*, "
            "ARRAY(SELECT g.name FROM {group} g JOIN {user_groups} ug ON ug.group_id = g.id "
            "WHERE ug.user_id = u.id) AS reader_roles, "
            f"ARRAY({permission} JOIN {{user_permissions}} up ON up.permission_id = p.id "
            "WHERE up.user_id = u.id) AS reader_user_perms, "
            f"ARRAY({permission} JOIN {{group_permissions}} gp ON gp.permission_id = p.id "
            "JOIN {user_groups} ug ON ug.group_id = gp.group_id "
            "WHERE ug.user_id = u.id) AS reader_group_perms, "
            "EXISTS(SELECT FROM {authenticator} a WHERE a.user_id = u.id AND a.type = %s) "
            "AS reader_has_totp, "
            "(SELECT count(*) FROM {notification} n WHERE n.recipient_id = u.id "
            "AND n.read_at IS NULL) AS reader_unread "
            "FROM {user} u WHERE u.id = %s"
        ).format(**tables)
    return _READER_SQL


def _reader(user_id):
    found = list(
        get_user_model()._default_manager.raw(
            _reader_sql(), [Authenticator.Type.TOTP.value, user_id]
        )
    )
    return found[0] if found else None


class ReaderMixin:
    def get_user(self, user_id):
        user = _reader(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        # The caches citizens.roles and Django's ModelBackend look for. A superuser's
        # permissions are all of them, which Django works out itself when asked.
        user._role_names = frozenset(user.reader_roles)
        if not user.is_superuser:
            user._user_perm_cache = set(user.reader_user_perms)
            user._group_perm_cache = set(user.reader_group_perms)
            user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user


def has_totp(user) -> bool:
    """Whether the user has an authenticator app set up."""
    if hasattr(user, "reader_has_totp"):
        return user.reader_has_totp
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def unread_count(user) -> int:
    """How many of the user's notifications are unread."""
    if hasattr(user, "reader_unread"):
        return user.reader_unread
    return user.notifications.filter(read_at__isnull=True).count()


class ModelBackend(ReaderMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(ReaderMixin, auth_backends.AuthenticationBackend):
    """allauth's: signs in with an e-mail address."""
