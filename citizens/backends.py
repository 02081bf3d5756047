"""Django's ModelBackend, with each person's roles and permissions kept in the cache (Redis)
between their requests.

Every signed-in page asks who the reader may be: the two-factor middleware and the navigation
read their roles, a staff page checks a permission, and ModelBackend reads the permissions with
two queries. Roles change rarely (staff give and take them in the admin), so one cache entry
holds all three answers, stamped with the person's *access version* and the portal-wide one.
Any change to a person's groups or permissions gives that person a new version, and any change
to a group (its name is the role, its permissions what the role may do) a new portal-wide one;
the next request in any process then finds the stamp stale and reads the database. A new version
is written at once and again once the change is committed, so a request that read the database
before the commit cannot leave an old answer under the new version: a role taken away counts on
the very next request, as it did without the cache.

Superusers and inactive people are read as ModelBackend reads them (their flags come with the
user's own row on every request).
"""

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction

# Beyond the versions, a kept entry lasts this long: the bound on an old answer if Redis lost a
# new version (while it was unreachable, or evicted) and the entry survived it.
ENTRY_SECONDS = 10 * 60
EVERYONE = "access-version:everyone"
FIRST_VERSION = "first"


@dataclass(frozen=True)
class Access:
    versions: tuple[str, str]
    roles: frozenset[str]
    user_permissions: frozenset[str]
    group_permissions: frozenset[str]


def _version_key(user_id) -> str:
    return f"access-version:{user_id}"


def _entry_key(user_id) -> str:
    return f"access:{user_id}"


def kept_access(user) -> Access:
    """The user's roles and permissions, read from the database only when their kept entry is
    missing or stamped with an old version. One round trip to Redis when it is kept."""
    version_key, entry_key = _version_key(user.pk), _entry_key(user.pk)
    # The versions are read before the database, so an answer is never newer than its stamp.
    # A version never given (or lost with the cache) is the first one: any change gives a new.
    asked = time.monotonic()
    found = cache.get_many([EVERYONE, version_key, entry_key])
    # A cache that took its whole timeout to answer (Redis frozen) is not asked again now: one
    # more wait for nothing. Down, it answers at once; working and empty, it keeps the entry.
    waited_out = time.monotonic() - asked >= settings.REDIS_CACHE_TIMEOUT
    versions = (found.get(EVERYONE, FIRST_VERSION), found.get(version_key, FIRST_VERSION))
    entry = found.get(entry_key)
    if entry is not None and entry.versions == versions:
        return entry
    plain = ModelBackend()
    entry = Access(
        versions=versions,
        roles=frozenset(user.groups.values_list("name", flat=True)),
        user_permissions=frozenset(plain.get_user_permissions(user)),
        group_permissions=frozenset(plain.get_group_permissions(user)),
    )
    if not waited_out:
        cache.set(entry_key, entry, timeout=ENTRY_SECONDS)
    return entry


class KeptAccessBackend(ModelBackend):
    """ModelBackend answering from the kept entry (see the module's docstring)."""

    @staticmethod
    def _kept(user_obj, obj) -> bool:
        return (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
        )

    def get_user_permissions(self, user_obj, obj=None):
        if self._kept(user_obj, obj):
            return set(user_obj.access.user_permissions)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if self._kept(user_obj, obj):
            return set(user_obj.access.group_permissions)
        return super().get_group_permissions(user_obj, obj)


def _renew(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, timeout=None))


def renew_access_of(user_id) -> None:
    """A person's groups or own permissions changed."""
    _renew(_version_key(user_id))


def renew_everyones_access() -> None:
    """A group changed (its name, its permissions, its members from the group's side) or a
    permission went: every kept entry is stale."""
    _renew(EVERYONE)


def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of a user's groups or permissions, from either side."""
    if not action.startswith("post_"):
        return
    if reverse and sender is not Group.permissions.through:
        # From the group's or the permission's side (group.user_set.add(...)): the people
        # touched are pk_set, or everyone after a clear.
        if pk_set:
            for user_id in pk_set:
                renew_access_of(user_id)
        else:
            renew_everyones_access()
    elif sender is Group.permissions.through:
        renew_everyones_access()
    else:
        renew_access_of(instance.pk)


def group_or_permission_changed(sender, **kwargs):
    """A group renamed or deleted, a permission deleted."""
    if sender in (Group, Permission):
        renew_everyones_access()
