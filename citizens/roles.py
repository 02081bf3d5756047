"""The programme's roles are Django groups, created by a migration (citizens 0002)."""

from django.utils.translation import gettext_lazy as _

MUNICIPAL_STAFF = "Municipal staff"
CITY_OFFICIALS = "City officials"
INITIATIVE_COORDINATORS = "Initiative coordinators"

ROLES = {
    MUNICIPAL_STAFF: _("Municipal staff"),
    CITY_OFFICIALS: _("City officials"),
    INITIATIVE_COORDINATORS: _("Initiative coordinators"),
}


def role_names(user) -> frozenset[str]:
    """The user's roles, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, role: str) -> bool:
    return user.is_superuser or role in role_names(user)
