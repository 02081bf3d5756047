import uuid
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citizens.models import ReminderLead
from diplomacy_portal.vocabulary import CooperationField


def _in_language(english: str, persian: str) -> str:
    """The text in the current language, else in the other one."""
    if get_language() == "fa":
        return persian or english
    return english or persian


class Initiative(models.Model):
    """A joint project with one or more sister cities, run by a coordinator with members."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    cities = models.ManyToManyField(
        "sistercities.SisterCity", related_name="initiatives", verbose_name=_("sister cities")
    )
    field = models.CharField(_("field"), max_length=20, choices=CooperationField.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_initiatives",
        verbose_name=_("coordinator"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="initiative_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["status", "field"], name="initiative_filters"),
            # The list's order, so a page is read from the index rather than sorted.
            models.Index(fields=["title_en", "id"], name="initiative_list_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative-detail", args=[self.slug])

    @property
    def title(self) -> str:
        return _in_language(self.title_en, self.title_fa)

    @property
    def description(self) -> str:
        return _in_language(self.description_en, self.description_fa)

    @property
    def description_language(self) -> str:
        """The language `description` is written in, for the page's `lang` attribute."""
        if get_language() == "fa":
            return "fa" if self.description_fa or not self.description_en else "en"
        return "en" if self.description_en or not self.description_fa else "fa"


class InitiativeChange(models.Model):
    """One change of an initiative made in the portal: who, when, and each field's old and new
    value. Written once by the service that made the change, never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="history", verbose_name=_("initiative")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # {field: [old, new]}, values as text (cities by their slugs), so the record stays readable
    # after the cities or the choices change.
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative change")
        verbose_name_plural = _("initiative history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.initiative} · {self.get_action_display()}"

    def changed_fields(self) -> list[str]:
        """The names of what changed, as the initiative's fields are called."""
        fields = [getattr(Initiative, name, None) for name in self.changes]
        return [str(field.field.verbose_name) for field in fields if hasattr(field, "field")]


class Membership(models.Model):
    """A diplomat's place in an initiative: asked for, then accepted or declined; left later."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("initiative"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("citizen diplomat"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="one_membership_per_person")
        ]
        indexes = [models.Index(fields=["initiative", "state"], name="membership_by_state")]

    def __str__(self):
        return f"{self.user} · {self.initiative} ({self.get_state_display()})"


def _meeting_uid() -> str:
    return f"meeting-{uuid.uuid4()}"


class Meeting(models.Model):
    """A meeting of an initiative or with a sister city; its invitations go to calendars.

    `sequence` is the iCalendar SEQUENCE: it grows with every change invitees must hear of.
    """

    class Kind(models.TextChoices):
        BOARD = "board", _("Decision-making board meeting")
        WORKING_SESSION = "working_session", _("Working session")
        PUBLIC_EVENT = "public_event", _("Public event")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("initiative"),
    )
    city = models.ForeignKey(
        "sistercities.SisterCity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("sister city"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Tehran")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=_meeting_uid)
    # The coordinator may fix when every invitee is reminded (ReminderLead hours; empty: no
    # reminder); null leaves it to each person's own choice.
    reminder_leads = ArrayField(
        models.PositiveSmallIntegerField(choices=ReminderLead.choices),
        verbose_name=_("reminders for invitees"),
        null=True,
        blank=True,
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False, city__isnull=True)
                | Q(initiative__isnull=True, city__isnull=False),
                name="meeting_of_an_initiative_or_a_city",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_it_starts"
            ),
        ]
        indexes = [
            # Upcoming meetings (initiative pages, reminders) are read by status and start.
            models.Index(fields=["status", "starts_at"], name="meeting_upcoming"),
            # A sister city's meetings, directly or through its initiatives, latest first (the
            # dashboards' health of every city).
            models.Index(fields=["city", "starts_at"], name="meeting_by_city"),
            models.Index(fields=["initiative", "starts_at"], name="meeting_by_initiative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:meeting-detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def host_name(self) -> str:
        """What the meeting belongs to: the initiative's title or the city's name."""
        return self.initiative.title if self.initiative_id else self.city.name


class Invitation(models.Model):
    """One person invited to one meeting: stored first, delivered by a worker, then answered.

    Each e-mail about the meeting (invitation, update or cancellation) is a row of the outbox
    (citizens.OutgoingEmail); `email` is the latest, `sequence_sent` the calendar SEQUENCE it
    carries. `sent_at` and the state "sent" or "failed" follow the outbox's delivery.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Not sent yet")
        SENT = "sent", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        TENTATIVE = "tentative", _("Maybe")
        WAITLISTED = "waitlisted", _("On the waiting list")
        # Had accepted, then the meeting moved: the seat stays theirs until they answer again.
        RECONFIRM = "reconfirm", _("Needs re-confirmation")
        FAILED = "failed", _("Could not be delivered")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("invitee"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    email = models.ForeignKey(
        "citizens.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sequence_sent = models.PositiveIntegerField(_("calendar sequence sent"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "invitee"], name="one_invitation_per_person")
        ]
        indexes = [
            models.Index(fields=["meeting", "state"], name="invitation_by_state"),
            models.Index(
                fields=["meeting"],
                name="invitation_reminder_due",
                condition=Q(reminder_sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.invitee} → {self.meeting} ({self.get_state_display()})"

    @property
    def answer(self) -> str:
        """The invitee's answer as the RSVP buttons name it ('' when none yet)."""
        return {
            self.State.ACCEPTED: "accept",
            self.State.WAITLISTED: "accept",
            self.State.DECLINED: "decline",
            self.State.TENTATIVE: "maybe",
        }.get(self.state, "")

    @property
    def needs_reconfirmation(self) -> bool:
        return self.state == self.State.RECONFIRM


class SentReminder(models.Model):
    """A reminder that went to one invitee, for one lead before one start of the meeting.

    The start is kept so a moved meeting is reminded afresh for its new time, while the
    unique constraint keeps two beats, or a rerun, from reminding anyone twice."""

    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("invitation"),
    )
    lead_hours = models.PositiveSmallIntegerField(_("hours before"), choices=ReminderLead.choices)
    starts_at = models.DateTimeField(_("for the start at"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "lead_hours", "starts_at"], name="one_reminder_per_lead"
            )
        ]

    def __str__(self):
        return f"{self.invitation_id} {self.lead_hours}h {self.starts_at:%Y-%m-%d %H:%M}"


class MemberMessage(models.Model):
    """A message a coordinator wrote to an initiative's members or a meeting's invitees: the
    record of what was sent, to how many, by whom. Each recipient's copy is in their inbox and
    the outbox.

    `key` comes with the form the message was written in: a second press of "Send", or the same
    request replayed, carries the same key, which the unique constraint refuses.
    """

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("initiative"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("meeting"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    recipients = models.PositiveIntegerField(_("recipients"))
    key = models.UUIDField(_("form key"), unique=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to members")
        verbose_name_plural = _("messages to members")
        constraints = [
            # To an initiative's members, or to a meeting's invitees (a meeting held with a
            # city has no initiative).
            models.CheckConstraint(
                condition=Q(initiative__isnull=False) | Q(meeting__isnull=False),
                name="member_message_has_an_audience",
            )
        ]
        indexes = [
            models.Index(fields=["initiative", "-sent_at"], name="member_message_by_initiative"),
            models.Index(fields=["meeting", "-sent_at"], name="member_message_by_meeting"),
        ]

    def __str__(self):
        return self.subject


class CalendarFeed(models.Model):
    """A diplomat's private calendar feed: whoever has the token's URL can read it.

    The token is kept as is (not hashed) so the person can see their link again on /me/;
    resetting it replaces it, and the old URL stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("initiatives:calendar-feed", args=[self.token])


class CalendarReply(models.Model):
    """An e-mail read from the calendar reply mailbox (iMIP, RFC 6047): an invitee's calendar
    program answering an invitation. Every one read is kept, with what the portal did with it,
    so staff can see answers that changed nothing and why."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Answer recorded")
        DUPLICATE = "duplicate", _("Already read")
        NOT_A_REPLY = "not_a_reply", _("No calendar answer in it")
        MALFORMED = "malformed", _("Calendar file unreadable")
        COUNTER = "counter", _("Proposes another time")
        UNKNOWN_MEETING = "unknown_meeting", _("No such meeting")
        STRANGER = "stranger", _("Not invited")
        FORGED = "forged", _("Sender is not the invitee")
        OUTDATED = "outdated", _("Answers an earlier version")
        REFUSED = "refused", _("Refused by the meeting's rules")

    message_id = models.CharField(_("message ID"), max_length=998, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    method = models.CharField(_("calendar method"), max_length=20, blank=True)
    uid = models.CharField(_("calendar UID"), max_length=255, blank=True)
    attendee = models.CharField(_("attendee"), max_length=320, blank=True)
    answer = models.CharField(_("answer"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    detail = models.TextField(_("detail"), blank=True)
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendar_replies",
        verbose_name=_("invitation"),
    )
    raw = models.TextField(_("message as received"))

    class Meta:
        verbose_name = _("calendar answer")
        verbose_name_plural = _("calendar answers")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["outcome", "received_at"], name="calendar_reply_outcome")]

    def __str__(self):
        return f"{self.sender} ({self.get_outcome_display()})"


class Follow(models.Model):
    """An e-mail address that follows a sister city or an initiative without an account: told of
    its public meetings once the address is confirmed (double opt-in), until it stops.

    Only the address and its language are kept; stopping deletes the row."""

    email = models.EmailField(_("e-mail address"))
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("initiative"),
    )
    city = models.ForeignKey(
        "sistercities.SisterCity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("sister city"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False, city__isnull=True)
                | Q(initiative__isnull=True, city__isnull=False),
                name="follow_of_an_initiative_or_a_city",
            ),
            models.UniqueConstraint(
                fields=["email", "initiative"],
                condition=Q(initiative__isnull=False),
                name="one_follow_per_address_and_initiative",
            ),
            models.UniqueConstraint(
                fields=["email", "city"],
                condition=Q(city__isnull=False),
                name="one_follow_per_address_and_city",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def target(self):
        return self.initiative if self.initiative_id else self.city
