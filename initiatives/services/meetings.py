"""Scheduling, changing and cancelling meetings; invitees hear of each change by e-mail."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Notification, OutgoingEmail, User
from citizens.services import mail
from citizens.services.notifications import notify
from diplomacy_portal import l10n

from ..access import can_manage_initiative, can_manage_meeting, may_schedule
from ..models import Initiative, Invitation, Meeting
from . import InitiativeError, follows
from .invitations import SEATED, meeting_context, promote_from_waiting_list, write_meeting_emails

# Far beyond any real meeting, and within what the database and Python's dates hold in every
# time zone (a date near the year 9999 overflows once converted to UTC).
MAX_CAPACITY = 100_000
MAX_AHEAD = datetime.timedelta(days=10 * 365)

# Changes that calendar programs show, so invitees are sent an update with a higher SEQUENCE:
# the agenda is the event's description, and often comes after the invitation.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "timezone", "place", "online_link", "agenda")
TIME_FIELDS = ("starts_at", "ends_at")
DETAILS = (*CALENDAR_FIELDS, "kind", "capacity", "reminder_leads")


def meeting_problems(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    timezone_name: str,
    capacity: int | None,
    place: str,
    online_link: str,
    check_past: bool = True,
) -> list[tuple[str, str]]:
    """What is wrong with a meeting's details, as (field, message); empty when all is well."""
    problems = []
    if timezone_name not in zoneinfo.available_timezones():
        problems.append(("timezone", _("Choose a time zone from the list.")))
    if ends_at <= starts_at:
        problems.append(("end_time", _("The meeting must end after it starts.")))
    if check_past and starts_at <= timezone.now():
        problems.append(("date", _("The meeting cannot start in the past.")))
    if starts_at > timezone.now() + MAX_AHEAD:
        problems.append(("date", _("A meeting can be scheduled at most ten years ahead.")))
    if capacity is not None and capacity < 1:
        problems.append(("capacity", _("Capacity must be at least 1, or empty for no limit.")))
    if capacity is not None and capacity > MAX_CAPACITY:
        problems.append(
            (
                "capacity",
                _("Capacity can be at most %(limit)s.") % {"limit": l10n.digits(MAX_CAPACITY)},
            )
        )
    if not place and not online_link:
        problems.append(("place", _("Give a place, an online link, or both.")))
    return problems


def _check(details: dict, *, check_past: bool = True) -> None:
    problems = meeting_problems(
        starts_at=details["starts_at"],
        ends_at=details["ends_at"],
        timezone_name=details["timezone"],
        capacity=details.get("capacity"),
        place=details.get("place", ""),
        online_link=details.get("online_link", ""),
        check_past=check_past,
    )
    if problems:
        raise InitiativeError(problems[0][1])


@transaction.atomic
def schedule_meeting(
    *,
    organiser: User,
    initiative: Initiative | None = None,
    city: Model | None = None,
    details: dict,
) -> Meeting:
    """Schedule a meeting of an initiative or with a city; nobody is invited yet."""
    if (initiative is None) == (city is None):
        raise InitiativeError(_("A meeting belongs to an initiative or to a sister city."))
    if initiative is not None and not can_manage_initiative(organiser, initiative):
        raise InitiativeError(_("You do not coordinate this initiative."))
    if city is not None and not may_schedule(organiser):
        raise InitiativeError(_("You may not schedule meetings."))
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise TypeError(f"Unknown meeting details: {', '.join(sorted(unknown))}")
    _check(details)
    meeting = Meeting.objects.create(
        initiative=initiative, city=city, organiser=organiser, **details
    )
    follows.meeting_scheduled(meeting)
    return meeting


@transaction.atomic
def update_meeting(*, meeting: Meeting, actor: User, details: dict) -> Meeting:
    """Change a meeting; a change of time, place or agenda is sent to invitees with a higher
    SEQUENCE, and those who accepted are asked to confirm a new time."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_manage_meeting(actor, meeting):
        raise InitiativeError(_("You do not organise this meeting."))
    if meeting.is_cancelled:
        raise InitiativeError(_("A cancelled meeting cannot be changed."))
    moved = details["starts_at"] != meeting.starts_at
    _check(details, check_past=moved)
    accepted = meeting.invitations.filter(state__in=SEATED).count()
    capacity = details.get("capacity")
    if capacity is not None and capacity < accepted:
        raise InitiativeError(
            _("%(count)s people have accepted already; the capacity cannot be lower.")
            % {"count": l10n.digits(accepted)}
        )
    changed = [name for name in details if details[name] != getattr(meeting, name)]
    for name in changed:
        setattr(meeting, name, details[name])
    calendar_change = any(name in CALENDAR_FIELDS for name in changed)
    if calendar_change:
        meeting.sequence += 1
    meeting.save()
    if any(name in TIME_FIELDS for name in changed):
        _ask_to_confirm_new_time(meeting, started_moved="starts_at" in changed)
    if calendar_change:
        _send_to_invitees(
            meeting,
            Notification.Kind.MEETING_CHANGED,
            delay=settings.MEETING_UPDATE_DELAY_SECONDS,
        )
    if "capacity" in changed:
        promote_from_waiting_list(meeting=meeting)
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor: User) -> Meeting:
    """Cancel a meeting; whoever was sent the invitation is sent a METHOD:CANCEL."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_manage_meeting(actor, meeting):
        raise InitiativeError(_("You do not organise this meeting."))
    if meeting.is_cancelled:
        raise InitiativeError(_("This meeting is already cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _send_to_invitees(meeting, Notification.Kind.MEETING_CANCELLED)
    return meeting


def _ask_to_confirm_new_time(meeting: Meeting, *, started_moved: bool) -> None:
    """Those who had accepted confirm the new time (keeping their seat meanwhile); a new start
    re-arms each invitee's reminder for it."""
    meeting.invitations.filter(state=Invitation.State.ACCEPTED).update(
        state=Invitation.State.RECONFIRM
    )
    if started_moved:
        meeting.invitations.filter(reminder_sent_at__isnull=False).update(reminder_sent_at=None)


def _send_to_invitees(meeting: Meeting, kind: str, *, delay: int = 0) -> None:
    """Tell the invitees of a change: in their inbox at once, and by e-mail with the calendar's
    new version after `delay`; once cancelled, only those the invitation reached.

    An e-mail still waiting is replaced by the new one, so edits within the delay reach each
    invitee as one update, showing the meeting as it is when it is sent."""
    # E-mails about the meeting still waiting in the outbox are taken back: the new version
    # replaces them. One a worker is sending now stays, and counts as received.
    waiting = meeting.invitations.filter(email__status=OutgoingEmail.Status.QUEUED)
    mail.withdraw_emails(email_ids=list(waiting.values_list("email_id", flat=True)))
    owed = meeting.invitations.exclude(state=Invitation.State.FAILED)
    notify(
        recipients=User.objects.filter(invitations__in=owed),
        kind=kind,
        context=meeting_context(meeting),
        url=meeting.get_absolute_url(),
        email=False,
    )
    if meeting.is_cancelled:
        owed = owed.filter(Q(sent_at__isnull=False) | Q(email__isnull=False))
    write_meeting_emails(meeting=meeting, invitations=owed, delay=delay)
