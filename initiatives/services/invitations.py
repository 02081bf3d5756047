"""Inviting people to meetings, their e-mails in the outbox, answers and reminders."""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, Model, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Notification, OutgoingEmail, ReminderLead, User
from citizens.services import mail as mail_service
from citizens.services.notifications import notify, notify_many

from .. import emails
from ..access import can_manage_meeting
from ..models import Invitation, Meeting, Membership, SentReminder
from . import InitiativeError

logger = logging.getLogger(__name__)
State = Invitation.State

ANSWERS = {"accept": State.ACCEPTED, "decline": State.DECLINED, "maybe": State.TENTATIVE}
REMINDED = [State.SENT, State.ACCEPTED, State.TENTATIVE, State.RECONFIRM]
# Who holds a seat: one who accepted keeps it while asked to confirm a new time.
SEATED = [State.ACCEPTED, State.RECONFIRM]
# The outbox's name for the meeting e-mails this module writes (compose_meeting_emails).
COMPOSER = "meeting"


def meeting_context(meeting: Meeting) -> dict:
    """What notifications about a meeting need (the text is rendered in the reader's language)."""
    initiative = meeting.initiative
    return {
        "meeting_id": meeting.pk,
        "meeting": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "host": initiative.title_en if initiative else meeting.city.name_en,
        "host_fa": initiative.title_fa if initiative else meeting.city.name_fa,
    }


def diplomats() -> QuerySet[User]:
    return User.objects.filter(diplomat_since__isnull=False, is_active=True)


@transaction.atomic
def invite_people(*, meeting: Meeting, people: QuerySet[User], invited_by: User) -> int:
    """Invite each of `people` once, however often asked; return how many are new.

    Each new invitee finds it in their inbox at once; the e-mails are stored in the outbox
    with the invitations and go out in the background.
    """
    # The meeting's row lock makes two presses of the button queue one after the other.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_manage_meeting(invited_by, meeting):
        raise InitiativeError(_("You do not organise this meeting."))
    if meeting.is_cancelled:
        raise InitiativeError(_("This meeting was cancelled; nobody can be invited to it."))
    if meeting.ends_at <= timezone.now():
        raise InitiativeError(_("This meeting is over."))
    outsiders = [person.email for person in people.exclude(pk__in=diplomats())[:5]]
    if outsiders:
        raise InitiativeError(
            _("Only citizen diplomats can be invited. Not a citizen diplomat: %(people)s.")
            % {"people": ", ".join(outsiders)}
        )
    new = _insert_invitations(meeting=meeting, people=people, invited_by=invited_by)
    if new:
        # The invitation e-mail, with its calendar file, is sent below, not the notice's.
        notify_many(
            recipient_ids=new,
            kind=Notification.Kind.MEETING_INVITATION,
            context=meeting_context(meeting),
            url=meeting.get_absolute_url(),
        )
        write_meeting_emails(
            meeting=meeting, invitations=meeting.invitations.filter(invitee_id__in=new)
        )
    return len(new)


def _insert_invitations(*, meeting: Meeting, people: QuerySet[User], invited_by: User) -> list:
    """Invitations for those of `people` not invited yet; their invitees' ids.

    One INSERT ... SELECT: a model instance per invitee made a 10,000-strong invitation take
    seconds. The unique constraint has the last word on who is new."""
    people_sql, params = (
        people.exclude(invitations__meeting=meeting).values("pk").distinct().query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Invitation._meta.db_table} (meeting_id, invitee_id, state, "
            "invited_by_id, created_at) "
            f"SELECT %s, person.id, %s, %s, %s FROM ({people_sql}) AS person (id) "
            "ON CONFLICT DO NOTHING RETURNING invitee_id",
            [meeting.pk, State.PENDING, invited_by.pk, timezone.now(), *params],
        )
        return [invitee for (invitee,) in cursor.fetchall()]


def invite_members(*, meeting: Meeting, invited_by: User) -> int:
    """Invite every member of the meeting's initiative."""
    if meeting.initiative_id is None:
        raise InitiativeError(_("This meeting belongs to no initiative, so it has no members."))
    members = User.objects.filter(
        memberships__initiative_id=meeting.initiative_id,
        memberships__state=Membership.State.ACCEPTED,
    )
    return invite_people(meeting=meeting, people=members, invited_by=invited_by)


def matching_diplomats(
    *, field: str = "", language: str = "", city: Model | None = None
) -> QuerySet[User]:
    """Citizen diplomats by what their approved application says."""
    people = diplomats()
    if field:
        people = people.filter(application__fields_of_expertise__contains=[field])
    if language:
        people = people.filter(application__languages__language=language)
    if city is not None:
        people = people.filter(application__preferred_cities=city)
    return people.distinct()


def invite_matching(
    *,
    meeting: Meeting,
    invited_by: User,
    field: str = "",
    language: str = "",
    city: Model | None = None,
) -> int:
    """Invite every citizen diplomat with the field, language and preferred city given."""
    if not (field or language or city):
        raise InitiativeError(_("Choose a field, a language or a city to invite by."))
    people = matching_diplomats(field=field, language=language, city=city)
    return invite_people(meeting=meeting, people=people, invited_by=invited_by)


def write_meeting_emails(
    *, meeting: Meeting, invitations: QuerySet[Invitation], delay: int = 0
) -> int:
    """Store in the outbox an e-mail for each of `invitations` (invitation, update or
    cancellation), sent after `delay` seconds; return how many. Each is written as the meeting
    then is, a chunk at a time just before it is sent (compose_meeting_emails), so a request
    inviting thousands stores only their addresses."""
    owed = list(invitations.order_by("pk").values_list("pk", "invitee__email"))
    written = mail_service.queue_emails(
        emails=[OutgoingEmail(to=address, composer=COMPOSER) for _pk, address in owed],
        delay=delay,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Invitation._meta.db_table} AS invitation SET email_id = written.email_id "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS written (id, email_id) "
            "WHERE invitation.id = written.id",
            [[pk for pk, _address in owed], [email.pk for email in written]],
        )
    return len(owed)


def compose_meeting_emails(outgoing: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Write the content of stored meeting e-mails as each meeting now is; return those no
    longer owed (the meeting was deleted, or a newer e-mail replaced them)."""
    invitations = {
        invitation.email_id: invitation
        for invitation in Invitation.objects.filter(email__in=outgoing).select_related(
            "invitee", "meeting__initiative__coordinator", "meeting__city", "meeting__organiser"
        )
    }
    mails, gone = {}, []
    for email in outgoing:
        invitation = invitations.get(email.pk)
        if invitation is None:
            gone.append(email)
            continue
        if invitation.meeting_id not in mails:
            mails[invitation.meeting_id] = emails.MeetingMail(invitation.meeting)
        written = mails[invitation.meeting_id].message(invitation)
        for field in (
            "subject",
            "body_text",
            "body_html",
            "reply_to",
            "calendar",
            "calendar_method",
        ):
            setattr(email, field, getattr(written, field))
    for meeting_id, mail in mails.items():
        Invitation.objects.filter(meeting_id=meeting_id, email__in=outgoing).update(
            sequence_sent=mail.meeting.sequence
        )
    return gone


def record_delivery(*, sent: list[int], failed: list[int]) -> None:
    """The outbox sent or gave up these e-mails: their invitations were delivered or failed
    (an answer already given stays)."""
    if sent:
        Invitation.objects.filter(email_id__in=sent).update(
            sent_at=Coalesce("sent_at", Now()),
            state=Case(When(state=State.PENDING, then=Value(State.SENT)), default=F("state")),
        )
    if failed:
        Invitation.objects.filter(email_id__in=failed, state=State.PENDING).update(
            state=State.FAILED
        )


def seats_left(meeting: Meeting) -> int | None:
    """Free seats (None: no limit)."""
    if meeting.capacity is None:
        return None
    taken = meeting.invitations.filter(state__in=SEATED).count()
    return max(meeting.capacity - taken, 0)


@transaction.atomic
def respond(*, invitation: Invitation, answer: str) -> Invitation:
    """Record an invitee's answer; once the meeting is full, an acceptance joins the waiting
    list, and a seat given up goes to the first one waiting."""
    if answer not in ANSWERS:
        raise InitiativeError(_("Please answer accept, decline or maybe."))
    # The meeting's row lock lets one answer at a time count the seats: two people never
    # take the last one.
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if meeting.is_cancelled:
        raise InitiativeError(_("This meeting was cancelled."))
    if meeting.ends_at <= timezone.now():
        raise InitiativeError(_("This meeting is over; it takes no more answers."))
    had_seat = invitation.state in SEATED
    now = timezone.now()
    if answer == "accept":
        if had_seat:
            invitation.state = State.ACCEPTED
        elif invitation.state != State.WAITLISTED:
            free = seats_left(meeting)
            if free is None or free > 0:
                invitation.state = State.ACCEPTED
            else:
                invitation.state = State.WAITLISTED
                invitation.waitlisted_at = now
                _tell_waitlisted(meeting=meeting, invitation=invitation)
    else:
        invitation.state = ANSWERS[answer]
        invitation.waitlisted_at = None
    invitation.responded_at = now
    invitation.save(update_fields=["state", "waitlisted_at", "responded_at"])
    if had_seat and invitation.state != State.ACCEPTED:
        promote_from_waiting_list(meeting=meeting)
    return invitation


def _tell_waitlisted(*, meeting: Meeting, invitation: Invitation) -> None:
    # Told at once, not only when a seat frees up: the person must know they have no seat yet.
    notify(
        recipients=[invitation.invitee],
        kind=Notification.Kind.WAITLISTED,
        context=meeting_context(meeting),
        url=meeting.get_absolute_url(),
    )


def promote_from_waiting_list(*, meeting: Meeting) -> list[Invitation]:
    """Give free seats to those waiting, first come first served; each is told."""
    free = seats_left(meeting)
    waiting = waiting_list(meeting).select_for_update(of=("self",))
    promoted = list(waiting if free is None else waiting[:free])
    if not promoted:
        return []
    Invitation.objects.filter(pk__in=[i.pk for i in promoted]).update(state=State.ACCEPTED)
    notify(
        recipients=[invitation.invitee for invitation in promoted],
        kind=Notification.Kind.WAITLIST_PROMOTED,
        context=meeting_context(meeting),
        url=meeting.get_absolute_url(),
    )
    return promoted


@transaction.atomic
def move_up_waiting_list(*, invitation: Invitation, actor: User) -> Invitation:
    """Put someone waiting one place further up the meeting's waiting list."""
    # The meeting's row lock orders this with answers and promotions counting the same list.
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    if not can_manage_meeting(actor, meeting):
        raise InitiativeError(_("You do not organise this meeting."))
    waiting = list(waiting_list(meeting).select_for_update(of=("self",)))
    place = next((n for n, w in enumerate(waiting) if w.pk == invitation.pk), None)
    if place is None:
        raise InitiativeError(_("This person is not on the waiting list."))
    if place == 0:
        raise InitiativeError(_("This person is first on the waiting list already."))
    mover, ahead = waiting[place], waiting[place - 1]
    # The list is ordered by the time each was put on it: the two swap times, and when both
    # came at the same moment the mover goes a microsecond before.
    if mover.waitlisted_at == ahead.waitlisted_at:
        mover.waitlisted_at = ahead.waitlisted_at - timedelta(microseconds=1)
    else:
        mover.waitlisted_at, ahead.waitlisted_at = ahead.waitlisted_at, mover.waitlisted_at
    Invitation.objects.bulk_update([mover, ahead], ["waitlisted_at"])
    logger.info(
        "%s moved invitation %s up the waiting list of meeting %s", actor.pk, mover.pk, meeting.pk
    )
    return mover


@transaction.atomic
def offer_free_seats(*, meeting: Meeting, actor: User) -> list[Invitation]:
    """Give the meeting's free seats to those first on its waiting list, as an answer giving up
    a seat does; each is told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_manage_meeting(actor, meeting):
        raise InitiativeError(_("You do not organise this meeting."))
    if meeting.is_cancelled or meeting.ends_at <= timezone.now():
        raise InitiativeError(_("This meeting is cancelled or over."))
    if seats_left(meeting) == 0:
        raise InitiativeError(_("No seat is free: the meeting is full."))
    promoted = promote_from_waiting_list(meeting=meeting)
    if not promoted:
        raise InitiativeError(_("Nobody is on the waiting list."))
    logger.info("%s offered %s free seats of meeting %s", actor.pk, len(promoted), meeting.pk)
    return promoted


def waiting_list(meeting: Meeting) -> QuerySet[Invitation]:
    """Those waiting for a seat, first come first served."""
    return (
        meeting.invitations.filter(state=State.WAITLISTED)
        .select_related("invitee")
        .order_by("waitlisted_at", "pk")
    )


def send_due_reminders(*, limit: int = 1000, now: datetime | None = None) -> int:
    """Remind each invitee who has not declined once per lead of theirs (or the meeting's) that
    has come, for the meeting's current start; returns how many were reminded."""
    now = now or timezone.now()
    with transaction.atomic():
        due = defaultdict(list)  # invitation -> leads come and not yet reminded of
        for lead in ReminderLead.values:
            for invitation in _due_for(lead, now=now, limit=limit):
                due[invitation].append(lead)
        # Recorded and told in one transaction; the constraint refuses a second record.
        SentReminder.objects.bulk_create(
            SentReminder(invitation=i, lead_hours=lead, starts_at=i.meeting.starts_at)
            for i, leads in due.items()
            for lead in leads
        )
        Invitation.objects.filter(pk__in=[i.pk for i in due]).update(reminder_sent_at=now)
        # Leads that came together (say, invited an hour before, with 1 day and 1 hour chosen)
        # make one reminder, not several at once.
        by_meeting = defaultdict(list)
        for invitation in due:
            by_meeting[invitation.meeting].append(invitation.invitee)
        for meeting, people in by_meeting.items():
            notify(
                recipients=people,
                kind=Notification.Kind.MEETING_REMINDER,
                context=meeting_context(meeting),
                url=meeting.get_absolute_url(),
            )
    return len(due)


def _due_for(lead: int, *, now: datetime, limit: int) -> list[Invitation]:
    """Invitations whose reminder `lead` hours before the meeting's start has come and not been
    sent; locked, and those another beat holds are left to it."""
    chosen = Q(meeting__reminder_leads__contains=[lead]) | Q(
        meeting__reminder_leads__isnull=True, invitee__reminder_leads__contains=[lead]
    )
    sent = SentReminder.objects.filter(
        invitation=OuterRef("pk"), lead_hours=lead, starts_at=OuterRef("meeting__starts_at")
    )
    return list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("meeting__initiative", "meeting__city", "invitee")
        .filter(
            chosen,
            state__in=REMINDED,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(hours=lead),
        )
        .exclude(Exists(sent))
        .order_by("meeting__starts_at", "pk")[:limit]
    )


def my_invitation(*, meeting: Meeting, user: User) -> Invitation | None:
    if not user.is_authenticated:
        return None
    return meeting.invitations.filter(invitee=user).first()


def invitation_counts(meeting: Meeting) -> dict[str, int]:
    """How many invitations are in each state, every state present."""
    counts = dict.fromkeys(State.values, 0)
    rows = meeting.invitations.order_by().values_list("state").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts
