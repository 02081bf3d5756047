import uuid
from pathlib import Path

from django.conf import settings
from django.conf.global_settings import LANGUAGES as WORLD_LANGUAGES
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from diplomacy_portal.vocabulary import CooperationField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class ReminderLead(models.IntegerChoices):
    """How long before a meeting its reminder comes, in hours."""

    HOUR = 1, _("1 hour before")
    DAY = 24, _("1 day before")
    TWO_DAYS = 48, _("2 days before")


def default_reminder_leads() -> list[int]:
    # One reminder the day before, as the portal always did.
    return [ReminderLead.DAY]


class User(AbstractUser):
    """A person with an account; signs in with their e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and e-mails use this language."),
    )
    diplomat_since = models.DateTimeField(_("citizen diplomat since"), null=True, blank=True)
    # How each topic of notices reaches this person (NoticeTopic -> Delivery); a topic not
    # named here is e-mailed at once.
    # Database defaults too: the benchmark's data set and notify_many() write rows in SQL.
    notice_delivery = models.JSONField(
        _("how notices reach me"),
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("hour of the daily digest"),
        default=18,
        db_default=18,
        validators=[MaxValueValidator(23)],
        help_text=_("In the portal's time zone."),
    )
    # How long before each meeting this person is reminded (ReminderLead hours); empty: never.
    reminder_leads = ArrayField(
        models.PositiveSmallIntegerField(choices=ReminderLead.choices),
        verbose_name=_("reminded before meetings"),
        default=default_reminder_leads,
        # The benchmark's data set writes people in SQL.
        db_default=models.Value([24], output_field=ArrayField(models.PositiveSmallIntegerField())),
        blank=True,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]
        indexes = [
            # The diplomats, a part of every account: counted on the dashboard, matched to
            # invitations.
            models.Index(
                fields=["diplomat_since"],
                name="user_active_diplomats",
                condition=models.Q(diplomat_since__isnull=False, is_active=True),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the portal names this person to others: the name they gave, else their address."""
        return self.get_full_name() or self.email

    @property
    def is_diplomat(self) -> bool:
        return self.diplomat_since is not None

    @property
    def language(self) -> str:
        """The language to write to this person in."""
        return self.preferred_language or settings.LANGUAGE_CODE

    @cached_property
    def access(self):
        """This person's roles and permissions, kept in the cache between requests
        (citizens.backends) and read once per user object: the middleware, the navigation, the
        permission checks and the view of one request ask in turn."""
        # Imported here: Django's backends module needs this model to exist first.
        from .backends import kept_access

        return kept_access(self)

    @property
    def role_names(self) -> frozenset[str]:
        """The names of this person's roles (citizens.roles)."""
        return self.access.roles


class OutgoingEmail(models.Model):
    """An e-mail the portal owes someone (a notice, or a meeting's invitation, update or
    cancellation): stored first, then sent by a worker exactly once; the one outbox."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    reply_to = models.EmailField(_("reply to"), blank=True)
    # A meeting's calendar entry (RFC 5545) and its iTIP method, REQUEST or CANCEL; calendar
    # programs act on the method named on the part.
    calendar = models.TextField(_("calendar file"), blank=True)
    calendar_method = models.CharField(_("calendar method"), max_length=10, blank=True)
    # The one-click way out of this kind of e-mail (RFC 8058), if it has one.
    unsubscribe_url = models.URLField(
        _("unsubscribe link"), max_length=500, blank=True, default="", db_default=""
    )
    # Set when another app writes this e-mail's content just before it is sent (a meeting's
    # thousands of invitations are stored at once, then written a chunk at a time); empty once
    # written. See citizens.services.mail.register_composer.
    composer = models.CharField(_("written by"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the sweep may queue it again if no worker has sent it by then (broker lost it).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outgoingemail_due",
                condition=models.Q(status="queued"),
            )
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class NoticeTopic(models.TextChoices):
    """What a notice is about, as people choose how each reaches them."""

    APPLICATION = "application", _("My application")
    INITIATIVES = "initiatives", _("Initiative news")
    MEETINGS = "meetings", _("Meeting changes")
    REMINDERS = "reminders", _("Meeting reminders")
    PROPOSALS = "proposals", _("Proposals and actions")
    CITY_ALERTS = "city_alerts", _("Alerts about the sister cities")


class Delivery(models.TextChoices):
    AT_ONCE = "now", _("E-mail at once")
    DIGEST = "digest", _("In a daily digest e-mail")
    INBOX = "inbox", _("In the inbox only")


class Digest(models.Model):
    """The daily e-mail gathering one person's notices that chose the digest; one a day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    email = models.OneToOneField(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            # Two beats, or a sweep run twice, still send one digest a day.
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_a_day")
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.day}"


class Notification(models.Model):
    """An entry in someone's inbox; its e-mail, if any, is an OutgoingEmail sent by a worker.

    The text is rendered from `kind` and `context` when shown, so it follows the reader's
    current language (templates/notifications/<kind>_*.txt). A notification that names another
    person (`about`) keeps that name under the context key "applicant", which is erased with
    that person's account.
    """

    class Kind(models.TextChoices):
        APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
        APPLICATION_RECEIVED = "application_received", _("Application received")
        APPLICATION_APPROVED = "application_approved", _("Application approved")
        APPLICATION_REJECTED = "application_rejected", _("Application rejected")
        APPLICATION_NEEDS_CHANGES = "application_needs_changes", _("Changes requested")
        MEMBERSHIP_REQUESTED = "membership_requested", _("Request to join an initiative")
        MEMBERSHIP_ACCEPTED = "membership_accepted", _("Joined an initiative")
        MEMBERSHIP_DECLINED = "membership_declined", _("Request to join declined")
        MEETING_INVITATION = "meeting_invitation", _("Meeting invitation")
        MEETING_CHANGED = "meeting_changed", _("Meeting changed")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
        WAITLIST_PROMOTED = "waitlist_promoted", _("A seat became free")
        WAITLISTED = "waitlisted", _("On a waiting list")
        CITY_FADING = "city_fading", _("A sister city is fading")
        AGREEMENT_EXPIRING = "agreement_expiring", _("An agreement is expiring")
        AGREEMENT_EXPIRED = "agreement_expired", _("An agreement has expired")
        MEMBERS_MESSAGE = "members_message", _("Message from a coordinator")
        PROPOSAL_ACCEPTED = "proposal_accepted", _("Proposal accepted")
        PROPOSAL_DECLINED = "proposal_declined", _("Proposal declined")
        PROPOSAL_CHANGES_REQUESTED = (
            "proposal_changes_requested",
            _("Changes to a proposal requested"),
        )

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    context = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    email = models.OneToOneField(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notification",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Waiting for its recipient's next digest (they chose one for its topic), then in it.
    awaits_digest = models.BooleanField(_("awaits the digest"), default=False, db_default=False)
    digest = models.ForeignKey(
        Digest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["recipient"],
                name="notification_awaits_digest",
                condition=models.Q(awaits_digest=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id}"


class Education(models.TextChoices):
    SCHOOL = "school", _("Secondary school")
    DIPLOMA = "diploma", _("High-school diploma")
    ASSOCIATE = "associate", _("Associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


def _random_name(folder: str, filename: str) -> str:
    # A stored name says nothing about the person and cannot be guessed.
    return f"applications/{folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def upload_cv(application, filename: str) -> str:
    return _random_name("cv", filename)


def upload_photo(application, filename: str) -> str:
    return _random_name("photo", filename)


class DiplomatApplication(models.Model):
    """A citizen's application to become a citizen diplomat; one per person.

    Status changes only through citizens.services.applications, which logs each one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_CHANGES = "needs_changes", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    full_name_fa = models.CharField(_("full name in Persian"), max_length=150, blank=True)
    full_name_latin = models.CharField(_("full name in Latin letters"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    district = models.PositiveSmallIntegerField(_("city district"), null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=150, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    fields_of_expertise = ArrayField(
        models.CharField(max_length=20, choices=CooperationField.choices),
        verbose_name=_("fields of expertise"),
        default=list,
        blank=True,
    )
    # Named, not imported: citizens know no other app (docs/architecture.md).
    preferred_cities = models.ManyToManyField(
        "sistercities.SisterCity",
        blank=True,
        related_name="applications",
        verbose_name=_("preferred sister cities"),
    )
    motivation = models.TextField(
        _("motivation"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours a month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    # Documents are addressed by this, not the primary key: their addresses cannot be guessed.
    public_id = models.UUIDField(
        _("documents' address"), default=uuid.uuid4, unique=True, editable=False
    )
    cv = models.FileField(_("CV (PDF)"), upload_to=upload_cv, blank=True, max_length=200)
    photo = models.FileField(_("photo"), upload_to=upload_photo, blank=True, max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("diplomat application")
        verbose_name_plural = _("diplomat applications")
        permissions = [("decide_application", _("Can approve, reject or return applications"))]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue"),
            # The review queue's order (newest submission first, drafts last) and its pages: of
            # the waiting ones, as it opens, and of every status.
            models.Index(
                F("status"),
                F("submitted_at").desc(nulls_last=True),
                F("id").desc(),
                name="application_queue_newest",
            ),
            models.Index(
                F("submitted_at").desc(nulls_last=True),
                F("id").desc(),
                name="application_queue_order",
            ),
        ]

    def __str__(self):
        return self.display_name or f"#{self.pk}"

    @property
    def display_name(self) -> str:
        return self.full_name_latin or self.full_name_fa or (self.user.email if self.user else "")

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.NEEDS_CHANGES)


class LanguageSkill(models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        INTERMEDIATE = "intermediate", _("Intermediate")
        FLUENT = "fluent", _("Fluent")
        NATIVE = "native", _("Native")

    # Django's own list of languages, whose names Django translates.
    LANGUAGE_CHOICES = [
        (code, _(name))
        for code, name in WORLD_LANGUAGES
        if "-" not in code or code.startswith("zh")
    ]

    application = models.ForeignKey(
        DiplomatApplication, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("languages spoken")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "language"], name="one_level_per_language"
            )
        ]
        indexes = [models.Index(fields=["language"], name="languageskill_language")]

    def __str__(self):
        return f"{self.get_language_display()} ({self.get_level_display()})"


class ApplicationStatusChange(models.Model):
    """One move of an application's status: who, when, from, to, and the notes.

    Written once by the transition service and never changed: a database trigger refuses
    updates and deletes (migration 0004), except clearing the actor of a deleted account.
    """

    application = models.ForeignKey(
        DiplomatApplication, on_delete=models.PROTECT, related_name="history"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=DiplomatApplication.Status.choices
    )
    to_status = models.CharField(_("to"), max_length=20, choices=DiplomatApplication.Status.choices)
    note_to_applicant = models.TextField(_("note to the applicant"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
