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
    """The user's roles: none for a visitor who is not signed in."""
    return user.role_names if user.is_authenticated else frozenset()


def has_role(user, role: str) -> bool:
    return user.is_superuser or role in role_names(user)


def is_privileged(user) -> bool:
    """Whoever can see more than their own data: staff, officials, coordinators."""
    return (
        user.is_staff
        or user.is_superuser
        or bool(role_names(user) & {CITY_OFFICIALS, INITIATIVE_COORDINATORS})
    )


# Staff and coordinators review citizens' proposals in the admin, and decide them there.
PROPOSAL_REVIEW = [
    "proposals.view_proposal",
    "proposals.decide_proposal",
    "proposals.view_proposalstatuschange",
]

# What each role may do in the admin, kept here in one place and applied to the groups after
# every migrate (and after a test flushes the database), like Django's own permissions.
ROLE_PERMISSIONS = {
    MUNICIPAL_STAFF: [
        "citizens.view_diplomatapplication",
        "citizens.decide_application",
        "citizens.view_applicationstatuschange",
        "citizens.view_languageskill",
        "citizens.view_notification",
        "citizens.view_outgoingemail",
        "citizens.view_user",
        "sistercities.view_sistercity",
        "sistercities.change_sistercity",
        "sistercities.view_contactlog",
        "sistercities.add_contactlog",
        "sistercities.change_contactlog",
        "sistercities.view_agreement",
        "sistercities.add_agreement",
        "sistercities.change_agreement",
        "sistercities.view_dashboard",
        "initiatives.view_initiative",
        "initiatives.change_initiative",
        *[
            f"initiatives.view_{model}"
            for model in ("meeting", "membership", "invitation", "calendarreply")
        ],
        *PROPOSAL_REVIEW,
    ],
    CITY_OFFICIALS: ["sistercities.view_dashboard"],
    # Coordinators run their own initiatives in the admin (it shows them only theirs). Meetings
    # and invitations change only through the portal's pages, whose services send the calendar
    # updates, so the admin only shows them.
    INITIATIVE_COORDINATORS: [
        "initiatives.view_initiative",
        "initiatives.add_initiative",
        "initiatives.change_initiative",
        *[
            f"initiatives.view_{model}"
            for model in ("meeting", "membership", "invitation", "calendarreply")
        ],
        *PROPOSAL_REVIEW,
    ],
}


def sync_role_permissions(**kwargs) -> None:
    """Give each role group exactly the permissions listed above (those that exist yet)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from .backends import renew_everyones_access

    # Every migrate (each deploy) also starts the kept roles afresh (citizens.backends).
    renew_everyones_access()

    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
