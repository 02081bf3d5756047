"""Coordinators writing to an initiative's members or a meeting's invitees from their desk."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Notification, User
from citizens.services.notifications import notify

from ..access import can_manage_initiative, can_manage_meeting
from ..models import Initiative, Invitation, Meeting, MemberMessage, Membership
from . import InitiativeError
from .invitations import meeting_context

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_BODY = 10_000
# Invitees who said no, or whose address refused the invitation, are not written to.
NOT_WRITTEN_TO = [Invitation.State.DECLINED, Invitation.State.FAILED]


def recipients(*, initiative: Initiative | None = None, meeting: Meeting | None = None):
    """Who a message reaches: the initiative's members, or the meeting's invitees who have not
    declined (active accounts only)."""
    people = User.objects.filter(is_active=True)
    if meeting is not None:
        invited = meeting.invitations.exclude(state__in=NOT_WRITTEN_TO)
        return people.filter(pk__in=invited.values("invitee_id"))
    return people.filter(
        pk__in=initiative.memberships.filter(state=Membership.State.ACCEPTED).values("user_id")
    )


def _rate_key(sender: User) -> str:
    return f"desk-messages:{sender.pk}:{timezone.now():%Y%m%d%H}"


def sent_this_hour(sender: User) -> int:
    # With Redis away the count reads as none: the form's key still stops a second send.
    return cache.get(_rate_key(sender)) or 0


def _count_sent(sender: User) -> None:
    key = _rate_key(sender)
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # the key vanished (Redis away or emptied): nothing to count on
        pass


def _check(*, sender: User, subject: str, body: str, key: uuid.UUID) -> None:
    """Refuse an empty or enormous message, one sent already, or one over the hour's limit."""
    if not subject or not body:
        raise InitiativeError(_("Give the message a subject and a text."))
    if len(subject) > MAX_SUBJECT or len(body) > MAX_BODY:
        raise InitiativeError(_("The message is too long."))
    if MemberMessage.objects.filter(key=key).exists():
        raise InitiativeError(_("This message was sent already."))
    if sent_this_hour(sender) >= settings.DESK_MESSAGES_PER_HOUR:
        raise InitiativeError(
            _("You have sent the most messages allowed in an hour. Please try again later.")
        )


@transaction.atomic
def write_to_people(
    *,
    sender: User,
    subject: str,
    body: str,
    key: uuid.UUID,
    initiative: Initiative | None = None,
    meeting: Meeting | None = None,
) -> MemberMessage:
    """Send a coordinator's message to the members or invitees, each in their inbox and by
    e-mail in their language's frame; the same form's key never sends twice."""
    if (initiative is None) == (meeting is None):
        raise TypeError("Write to an initiative's members or to a meeting's invitees.")
    if meeting is not None:
        meeting = Meeting.objects.select_related("initiative", "city").get(pk=meeting.pk)
        allowed = can_manage_meeting(sender, meeting)
    else:
        allowed = can_manage_initiative(sender, initiative)
    if not allowed:
        raise InitiativeError(_("You may only write to people of your own initiatives."))
    subject, body = subject.strip(), body.strip()
    _check(sender=sender, subject=subject, body=body, key=key)
    people = list(recipients(initiative=initiative, meeting=meeting))
    if not people:
        raise InitiativeError(_("Nobody would receive this message."))
    try:
        with transaction.atomic():
            message = MemberMessage.objects.create(
                initiative=meeting.initiative if meeting is not None else initiative,
                meeting=meeting,
                sender=sender,
                subject=subject,
                body=body,
                recipients=len(people),
                key=key,
            )
    except IntegrityError:
        raise InitiativeError(_("This message was sent already.")) from None
    notify(
        recipients=people,
        kind=Notification.Kind.MEMBERS_MESSAGE,
        context=message_context(initiative=initiative, meeting=meeting, subject=subject, body=body),
        url=(meeting or initiative).get_absolute_url(),
    )
    transaction.on_commit(lambda: _count_sent(sender))
    logger.info("%s wrote to %s people: message %s", sender.pk, len(people), message.pk)
    return message


def message_context(
    *, initiative: Initiative | None, meeting: Meeting | None, subject: str, body: str
) -> dict:
    """What the message's notification needs (its text is rendered in each reader's language)."""
    text = {"subject": subject, "body": body}
    if meeting is None:
        return {**text, "host": initiative.title_en, "host_fa": initiative.title_fa, "meeting": ""}
    host = meeting.initiative or meeting.city
    if meeting.initiative_id:
        english, persian = host.title_en, host.title_fa
    else:
        english, persian = host.name_en, host.name_fa
    return {**text, "host": english, "host_fa": persian, "meeting": meeting.title}


# A coordinator's reminder is a short word, not a letter.
MAX_NOTE = 1000


def remindable(meeting: Meeting):
    """The invitations a coordinator may remind by hand: sent, and not declined or refused."""
    return (
        meeting.invitations.exclude(state__in=[*NOT_WRITTEN_TO, Invitation.State.PENDING])
        .filter(invitee__is_active=True)
        .select_related("invitee")
        .order_by("invitee__first_name", "invitee__last_name", "invitee__email")
    )


@transaction.atomic
def remind_invitees(
    *, sender: User, meeting: Meeting, invitation_ids: list[int], note: str, key: uuid.UUID
) -> MemberMessage:
    """Remind the chosen invitees of a meeting with the coordinator's own note, as a meeting
    reminder (each person's choice for reminders says how it reaches them); once per form."""
    meeting = Meeting.objects.select_related("initiative", "city").get(pk=meeting.pk)
    if not can_manage_meeting(sender, meeting):
        raise InitiativeError(_("You may only write to people of your own initiatives."))
    if meeting.is_cancelled or meeting.ends_at <= timezone.now():
        raise InitiativeError(_("This meeting is cancelled or over."))
    note = note.strip()
    if not note:
        raise InitiativeError(_("Write a short message for the reminder."))
    if len(note) > MAX_NOTE:
        raise InitiativeError(_("The message is too long."))
    chosen = list(remindable(meeting).filter(pk__in=invitation_ids))
    if not chosen or len(chosen) != len(set(invitation_ids)):
        raise InitiativeError(_("Choose who to remind among this meeting's invitees."))
    subject = _("Reminder: %(meeting)s") % {"meeting": meeting.title}
    _check(sender=sender, subject=subject, body=note, key=key)
    try:
        with transaction.atomic():
            message = MemberMessage.objects.create(
                initiative=meeting.initiative,
                meeting=meeting,
                sender=sender,
                subject=subject,
                body=note,
                recipients=len(chosen),
                key=key,
            )
    except IntegrityError:
        raise InitiativeError(_("This message was sent already.")) from None
    notify(
        recipients=[invitation.invitee for invitation in chosen],
        kind=Notification.Kind.MEETING_REMINDER,
        context={**meeting_context(meeting), "note": note},
        url=meeting.get_absolute_url(),
    )
    transaction.on_commit(lambda: _count_sent(sender))
    logger.info("%s reminded %s invitees of meeting %s", sender.pk, len(chosen), meeting.pk)
    return message
