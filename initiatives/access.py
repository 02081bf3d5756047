"""Who may manage what: coordinators their own initiatives, municipal staff everything."""

from django.db.models import Q, QuerySet

from citizens.roles import INITIATIVE_COORDINATORS, MUNICIPAL_STAFF, has_role

from .models import Initiative, Meeting


def sees_all(user) -> bool:
    """Municipal staff (and superusers) see and manage every initiative and meeting."""
    return user.is_authenticated and has_role(user, MUNICIPAL_STAFF)


def is_coordinator(user) -> bool:
    return user.is_authenticated and has_role(user, INITIATIVE_COORDINATORS)


def may_schedule(user) -> bool:
    """Coordinators schedule meetings of their initiatives or with a city; staff any."""
    return sees_all(user) or is_coordinator(user)


def can_manage_initiative(user, initiative: Initiative) -> bool:
    return sees_all(user) or (is_coordinator(user) and initiative.coordinator_id == user.pk)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    if meeting.initiative_id:
        return can_manage_initiative(user, meeting.initiative)
    # A meeting held directly with a city belongs to whoever scheduled it.
    return sees_all(user) or (is_coordinator(user) and meeting.organiser_id == user.pk)


def manageable_initiatives(user) -> QuerySet[Initiative]:
    if sees_all(user):
        return Initiative.objects.all()
    if is_coordinator(user):
        return Initiative.objects.filter(coordinator=user)
    return Initiative.objects.none()


def manageable_meetings(user) -> QuerySet[Meeting]:
    """The meetings of the user's initiatives and those they scheduled with a city; staff all."""
    if sees_all(user):
        return Meeting.objects.all()
    if is_coordinator(user):
        return Meeting.objects.filter(
            Q(initiative__coordinator=user) | Q(initiative__isnull=True, organiser=user)
        )
    return Meeting.objects.none()
