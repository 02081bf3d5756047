"""The signed-in reader, read with what the middleware and the navigation ask of them on every
page: roles, permissions, whether two-factor authentication is set up and how many notices are
unread. Django would otherwise ask for each in a query of its own (up to six).

A request's session and its reader come in one query (read_session), prepared once per database
connection: planning it took three times as long as running it. Web processes keep what it read
(citizens/session_cache.py)."""

import functools
from contextvars import ContextVar

from allauth.account import auth_backends
from allauth.mfa.models import Authenticator
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_started
from django.db import connections
from django.dispatch import receiver

from diplomacy_portal.prepared import PreparedQuery

# What a reader row holds after the user's own columns, in this order.
EXTRAS = (
    "reader_roles",
    "reader_user_perms",
    "reader_group_perms",
    "reader_has_totp",
    "reader_unread",
)

_statements: dict[str, str] = {}
# The reader the session's query read, until the authentication backend asks for them.
_kept: ContextVar = ContextVar("citizens_kept_reader", default=None)


def _statement(kind: str, connection) -> str:
    """The query, written out once: composing it with the ORM on every request cost more than
    the queries it replaces. "by_id" reads a user; "session" a session and its user (if any)."""
    if kind in _statements:
        return _statements[kind]
    from .models import Notification, Session

    user = get_user_model()
    quote = connection.ops.quote_name
    tables = {
        name: quote(model._meta.db_table)
        for name, model in {
            "session": Session,
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
    columns = ", ".join(f"u.{quote(field.column)}" for field in user._meta.concrete_fields)
    permission = (
        "SELECT ct.app_label || '.' || p.codename FROM {permission} p "
        "JOIN {content_type} ct ON ct.id = p.content_type_id "
    )
    reader = (
        f"{columns}, "
        "ARRAY(SELECT g.name FROM {group} g JOIN {user_groups} ug ON ug.group_id = g.id "
        "WHERE ug.user_id = u.id), "
        f"ARRAY({permission} JOIN {{user_permissions}} up ON up.permission_id = p.id "
        "WHERE up.user_id = u.id), "
        f"ARRAY({permission} JOIN {{group_permissions}} gp ON gp.permission_id = p.id "
        "JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = u.id), "
        "EXISTS(SELECT FROM {authenticator} a WHERE a.user_id = u.id AND a.type = {totp}), "
        "(SELECT count(*) FROM {notification} n WHERE n.recipient_id = u.id "
        "AND n.read_at IS NULL)"
    )
    if kind == "by_id":
        sql = f"SELECT {reader} FROM {{user}} u WHERE u.id = %s"
        totp = "%s"
    else:
        # Parameters: the session key and the time now ($1, $2), the authenticator type ($3).
        sql = (
            f"SELECT s.session_data, s.expire_date, {reader} FROM {{session}} s "
            "LEFT JOIN {user} u ON u.id = s.user_id WHERE s.session_key = $1 AND s.expire_date > $2"
        )
        totp = "$3"
    _statements[kind] = sql.format(**tables, totp=totp)
    return _statements[kind]


@functools.cache
def pk_index() -> int:
    """Where the user's primary key is in a reader row."""
    user = get_user_model()
    return user._meta.concrete_fields.index(user._meta.pk)


def reader_from(row, using: str):
    """The user in a reader row, with the row's extras set on them: a new one each time."""
    user = get_user_model()
    count = len(user._meta.concrete_fields)
    reader = user.from_db(
        using, [field.attname for field in user._meta.concrete_fields], row[:count]
    )
    for name, value in zip(EXTRAS, row[count:], strict=True):
        setattr(reader, name, value)
    return reader


_read_session = PreparedQuery(
    "citizens_read_session",
    "text, timestamptz, text",
    lambda connection: _statement("session", connection),
)


def read_session(using: str, session_key: str, now):
    """(session data, expiry, the signed-in reader's row or None), or None for no such session.
    The row holds no mutable values: it may be kept and shared (reader_from makes the user)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        _read_session.execute(cursor, connection, [session_key, now, Authenticator.Type.TOTP.value])
        row = cursor.fetchone()
    if row is None:
        return None
    session_data, expire_date, user_row = row[0], row[1], row[2:]
    if user_row[pk_index()] is None:
        return session_data, expire_date, None
    return (
        session_data,
        expire_date,
        tuple(tuple(value) if isinstance(value, list) else value for value in user_row),
    )


def keep_reader(user) -> None:
    """Hand the reader read with the session to the authentication backend of this request."""
    _kept.set(user)


@receiver(request_started, dispatch_uid="citizens_forget_kept_reader")
def _forget_kept_reader(**kwargs):
    _kept.set(None)


def _reader(user_id):
    kept = _kept.get()
    if kept is not None and str(kept.pk) == str(user_id):
        _kept.set(None)
        return kept
    connection = connections[get_user_model().objects.db]
    with connection.cursor() as cursor:
        cursor.execute(_statement("by_id", connection), [Authenticator.Type.TOTP.value, user_id])
        row = cursor.fetchone()
    return None if row is None else reader_from(row, connection.alias)


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
