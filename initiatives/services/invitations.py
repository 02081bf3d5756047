"""Inviting people to meetings, delivering the invitations in chunks, answers and reminders."""

import logging
import queue
import threading
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Notification, User
from citizens.services.notifications import notify, notify_many
from diplomacy_portal.mail import due_for_sweep, is_permanent_failure, retry_delay
from diplomacy_portal.queue import enqueue_on_commit
from sistercities.models import SisterCity

from .. import emails
from ..access import can_manage_meeting
from ..models import Invitation, Meeting, Membership
from . import InitiativeError

logger = logging.getLogger(__name__)
State = Invitation.State

ANSWERS = {"accept": State.ACCEPTED, "decline": State.DECLINED, "maybe": State.TENTATIVE}
REMINDED = [State.SENT, State.ACCEPTED, State.TENTATIVE]


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

    Each new invitee finds it in their inbox at once; the e-mails go out in the background.
    """
    from ..tasks import send_meeting_invitations

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
        enqueue_on_commit(send_meeting_invitations, meeting.pk)
    return len(new)


def _insert_invitations(*, meeting: Meeting, people: QuerySet[User], invited_by: User) -> list:
    """Invitations for those of `people` not invited yet, owed their e-mail; their ids.

    One INSERT ... SELECT: a model instance per invitee made a 10,000-strong invitation take
    seconds. The unique constraint has the last word on who is new."""
    people_sql, params = (
        people.exclude(invitations__meeting=meeting).values("pk").distinct().query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Invitation._meta.db_table} (meeting_id, invitee_id, state, "
            "invited_by_id, created_at, delivery_due_at, attempts, last_error) "
            f"SELECT %s, person.id, %s, %s, %s, %s, 0, '' FROM ({people_sql}) AS person (id) "
            "ON CONFLICT DO NOTHING RETURNING invitee_id",
            [meeting.pk, State.PENDING, invited_by.pk, timezone.now(), due_for_sweep(), *params],
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
    *, field: str = "", language: str = "", city: SisterCity | None = None
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
    city: SisterCity | None = None,
) -> int:
    """Invite every citizen diplomat with the field, language and preferred city given."""
    if not (field or language or city):
        raise InitiativeError(_("Choose a field, a language or a city to invite by."))
    people = matching_diplomats(field=field, language=language, city=city)
    return invite_people(meeting=meeting, people=people, invited_by=invited_by)


def queue_invitation_chunks(*, meeting_id: int) -> int:
    """Queue one delivery task per chunk of the meeting's owed e-mails; return the chunks."""
    from ..tasks import send_invitation_chunk

    owed = list(
        Invitation.objects.filter(meeting_id=meeting_id, delivery_due_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.INVITATION_CHUNK_SIZE
    chunks = [owed[start : start + size] for start in range(0, len(owed), size)]
    for chunk in chunks:
        enqueue_on_commit(send_invitation_chunk, meeting_id, chunk)
    return len(chunks)


def deliver_invitation_chunk(*, meeting_id: int, invitation_ids: list[int]) -> int | None:
    """Send the owed e-mails of a chunk over one SMTP connection and mark them sent in bulk.

    Returns seconds to wait before trying the rest again after a temporary failure, else None.
    A chunk delivered twice sends nothing twice: rows are claimed under a lock, and only those
    still owed an e-mail are sent.
    """
    with transaction.atomic():
        # A shared lock on the meeting: chunks of it go out side by side, but a change to it
        # waits until they are done, so none is marked sent with an outdated version.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM initiatives_meeting WHERE id = %s FOR SHARE", [meeting_id]
            )
            if cursor.fetchone() is None:
                return None
        meeting = Meeting.objects.select_related(
            "initiative__coordinator", "city", "organiser"
        ).get(pk=meeting_id)
        claimed = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("invitee")
            .filter(pk__in=invitation_ids, meeting_id=meeting_id, delivery_due_at__isnull=False)
            .order_by("pk")
        )
        if not claimed:
            return None
        sent, refused, failure = _send_chunk(claimed, meeting)
        _record_sent(sent, meeting)
        _record_refused(refused)
        rest = [i for i in claimed if i not in sent and i not in refused]
        if failure is not None and rest:  # a time limit may strike once all went out
            return _record_failure(rest, failure)
    return None


def _send_chunk(invitations: list[Invitation], meeting: Meeting):
    """Send each invitation's e-mail, over INVITATION_SMTP_CONNECTIONS connections side by side:
    SMTP answers each command before the next is sent, so over one connection this worker and
    the server spend much of their time waiting on each other."""
    sent, refused = [], {}
    mail = emails.MeetingMail(meeting)
    try:
        # Built here, in the task's own thread and transaction, before any is sent.
        owed = queue.SimpleQueue()
        for invitation in invitations:
            owed.put((invitation, mail.message(invitation)))
    except Exception as exc:  # recorded on the rows, then retried or given up
        return sent, refused, exc
    failures, stop = [], threading.Event()

    def deliver(done: threading.Event):
        smtp = get_connection()
        try:
            smtp.open()
            while not stop.is_set():
                try:
                    invitation, message = owed.get_nowait()
                except queue.Empty:
                    return
                try:
                    smtp.send_messages([message])
                except Exception as exc:  # one address refused for good, or the server away
                    if not is_permanent_failure(exc):
                        raise
                    refused[invitation] = exc
                    continue
                sent.append(invitation)
        except Exception as exc:  # every sender stops; the rows not sent are retried
            failures.append(exc)
            stop.set()
        finally:
            try:
                smtp.close()
            finally:
                done.set()

    # Waited for by events, not Thread.join(): on Python 3.11 a join interrupted by the time
    # limit marks a thread that is still sending as stopped, and a second join returns at once,
    # before the message in hand is recorded.
    finished = [
        threading.Event()
        for _ in range(min(settings.INVITATION_SMTP_CONNECTIONS, len(invitations)))
    ]
    for n, done in enumerate(finished):
        threading.Thread(target=deliver, args=(done,), name=f"invitations-{meeting.pk}-{n}").start()
    try:
        for done in finished:
            done.wait()
    except Exception as exc:  # the task's time limit: what was sent is recorded, the rest retried
        failures.append(exc)
        stop.set()
        for done in finished:
            done.wait()  # each stops after the message in hand
    return sent, refused, (failures[0] if failures else None)


def _record_sent(sent: list[Invitation], meeting: Meeting) -> None:
    if not sent:
        return
    ids = [invitation.pk for invitation in sent]
    now = timezone.now()
    Invitation.objects.filter(pk__in=ids).update(
        sequence_sent=meeting.sequence,
        sent_at=Coalesce("sent_at", now),
        delivery_due_at=None,
        attempts=0,
        last_error="",
    )
    Invitation.objects.filter(pk__in=ids, state=State.PENDING).update(state=State.SENT)


def _record_refused(refused: dict) -> None:
    for invitation, exc in refused.items():
        logger.error("Invitation %s to %s refused: %s", invitation.pk, invitation.invitee, exc)
        Invitation.objects.filter(pk=invitation.pk).update(
            delivery_due_at=None, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        # An answer already given stays; only an invitation that never arrived is failed.
        Invitation.objects.filter(pk=invitation.pk, state=State.PENDING).update(state=State.FAILED)


def _record_failure(rest: list[Invitation], exc: Exception) -> int | None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = max(invitation.attempts for invitation in rest) + 1
    ids = [invitation.pk for invitation in rest]
    if attempts >= settings.MAIL_MAX_ATTEMPTS:
        logger.error("Giving up on %s invitations after %s attempts: %s", len(ids), attempts, exc)
        Invitation.objects.filter(pk__in=ids).update(
            attempts=attempts, last_error=error, delivery_due_at=None
        )
        Invitation.objects.filter(pk__in=ids, state=State.PENDING).update(state=State.FAILED)
        return None
    delay = retry_delay(attempts)
    Invitation.objects.filter(pk__in=ids).update(
        attempts=attempts, last_error=error, delivery_due_at=due_for_sweep(delay)
    )
    return delay


def queue_due_invitations(*, limit: int = 5000) -> int:
    """Queue again the invitation e-mails no worker has sent in time (the broker lost them)."""
    from ..tasks import send_invitation_chunk

    now = timezone.now()
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(delivery_due_at__lte=now)
            .order_by("delivery_due_at")
            .values_list("pk", "meeting_id")[:limit]
        )
        Invitation.objects.filter(pk__in=[pk for pk, _meeting in due]).update(
            delivery_due_at=due_for_sweep()
        )
        by_meeting = defaultdict(list)
        for pk, meeting_id in due:
            by_meeting[meeting_id].append(pk)
        size = settings.INVITATION_CHUNK_SIZE
        for meeting_id, ids in by_meeting.items():
            for start in range(0, len(ids), size):
                enqueue_on_commit(send_invitation_chunk, meeting_id, ids[start : start + size])
    return len(due)


def seats_left(meeting: Meeting) -> int | None:
    """Free seats (None: no limit)."""
    if meeting.capacity is None:
        return None
    taken = meeting.invitations.filter(state=State.ACCEPTED).count()
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
    had_seat = invitation.state == State.ACCEPTED
    now = timezone.now()
    if answer == "accept":
        if invitation.state not in (State.ACCEPTED, State.WAITLISTED):
            free = seats_left(meeting)
            if free is None or free > 0:
                invitation.state = State.ACCEPTED
            else:
                invitation.state = State.WAITLISTED
                invitation.waitlisted_at = now
    else:
        invitation.state = ANSWERS[answer]
        invitation.waitlisted_at = None
    invitation.responded_at = now
    invitation.save(update_fields=["state", "waitlisted_at", "responded_at"])
    if had_seat and invitation.state != State.ACCEPTED:
        promote_from_waiting_list(meeting=meeting)
    return invitation


def promote_from_waiting_list(*, meeting: Meeting) -> list[Invitation]:
    """Give free seats to those waiting, first come first served; each is told."""
    free = seats_left(meeting)
    waiting = meeting.invitations.select_for_update().filter(state=State.WAITLISTED)
    waiting = waiting.order_by("waitlisted_at", "pk").select_related("invitee")
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


def send_due_reminders(*, limit: int = 1000) -> int:
    """Remind those who accepted or have not answered, once, before the meeting starts."""
    now = timezone.now()
    horizon = now + timedelta(hours=settings.MEETING_REMINDER_HOURS)
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__initiative", "meeting__city", "invitee")
            .filter(
                reminder_sent_at__isnull=True,
                state__in=REMINDED,
                meeting__status=Meeting.Status.SCHEDULED,
                meeting__starts_at__gt=now,
                meeting__starts_at__lte=horizon,
            )
            .order_by("meeting__starts_at", "pk")[:limit]
        )
        # Claimed and told in one transaction: a second run finds them reminded already.
        Invitation.objects.filter(pk__in=[i.pk for i in due]).update(reminder_sent_at=now)
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
