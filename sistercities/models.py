import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diplomacy_portal.vocabulary import CooperationField


class SisterCity(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVIVING = "reviving", _("Reviving")
        DORMANT = "dormant", _("Dormant")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fa = models.CharField(_("name (Persian)"), max_length=120)
    country_en = models.CharField(_("country (English)"), max_length=120)
    country_fa = models.CharField(_("country (Persian)"), max_length=120)
    country_code = models.CharField(
        _("country code"), max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. IT.")
    )
    established_year = models.PositiveSmallIntegerField(
        _("relation established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    status = models.CharField(
        _("relation status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    cooperation_fields = ArrayField(
        models.CharField(max_length=20, choices=CooperationField.choices),
        verbose_name=_("cooperation fields"),
        default=list,
        blank=True,
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    partner_contact_name = models.CharField(_("partner contact"), max_length=200, blank=True)
    partner_contact_email = models.EmailField(_("partner contact e-mail"), blank=True)
    partner_contact_public = models.BooleanField(
        _("show the partner contact publicly"), default=False
    )
    source = models.TextField(_("sources"), blank=True, help_text=_("Where the facts come from."))
    # Written by the daily fading check (sistercities.tasks), never typed: when the city was
    # first found without activity for CITY_FADING_AFTER_DAYS; cleared when activity returns.
    fading_since = models.DateTimeField(_("fading since"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sister city")
        verbose_name_plural = _("sister cities")
        ordering = ["name_en"]
        permissions = [("view_dashboard", _("Can view the officials' dashboards"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sistercities:city-detail", args=[self.slug])

    @property
    def name(self) -> str:
        return self.name_fa if get_language() == "fa" else self.name_en

    @property
    def country(self) -> str:
        return self.country_fa if get_language() == "fa" else self.country_en

    @property
    def description(self) -> str:
        """The description in the current language, else in the other one."""
        if get_language() == "fa":
            return self.description_fa or self.description_en
        return self.description_en or self.description_fa

    @property
    def description_language(self) -> str:
        """The language `description` is written in, for the page's `lang` attribute."""
        if get_language() == "fa":
            return "fa" if self.description_fa or not self.description_en else "en"
        return "en" if self.description_en or not self.description_fa else "fa"

    @property
    def cooperation_field_labels(self) -> list[str]:
        labels = dict(CooperationField.choices)
        # A code dropped from the choices later still shows, rather than breaking the page.
        return [labels.get(code, code) for code in self.cooperation_fields]

    @property
    def has_public_partner_contact(self) -> bool:
        return self.partner_contact_public and bool(
            self.partner_contact_name or self.partner_contact_email
        )

    @property
    def years_of_relation(self) -> int | None:
        """Calendar years since the relation was established (None when unknown)."""
        if self.established_year is None:
            return None
        return max(timezone.localdate().year - self.established_year, 0)


class ContactLog(models.Model):
    """A contact staff had with a partner city; it counts as the relation's activity."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        LETTER = "letter", _("Letter")
        AGREEMENT_RENEWED = "agreement_renewed", _("Agreement renewed")
        VIDEO_MEETING = "video_meeting", _("Video meeting")
        OTHER = "other", _("Other")

    city = models.ForeignKey(
        SisterCity, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("city")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("logged contact")
        verbose_name_plural = _("logged contacts")
        ordering = ["-date", "-created_at"]
        # The city's last activity is read per city and by date.
        indexes = [models.Index(fields=["city", "date"], name="contactlog_city_date")]

    def __str__(self):
        return f"{self.city} · {self.get_kind_display()} · {self.date}"

    def clean(self):
        # A logged contact has happened; a future date would make a fading relation look alive.
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A logged contact cannot be in the future.")})


def upload_agreement(agreement, filename: str) -> str:
    # A stored name the server makes: it says nothing of the agreement and cannot be guessed.
    return f"agreements/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class AgreementQuerySet(models.QuerySet):
    def with_state(self, today: datetime.date | None = None):
        """Each agreement with its `state`: the status staff set by hand, else the one its dates
        give (in force, expiring within AGREEMENT_RENEWAL_NOTICE_DAYS, expired), in SQL so
        that lists filter and count by it."""
        today = today or timezone.localdate()
        notice = today + datetime.timedelta(days=settings.AGREEMENT_RENEWAL_NOTICE_DAYS)
        Status = Agreement.Status
        return self.annotate(
            state=Case(
                When(~Q(status=""), then=F("status")),
                When(valid_until__isnull=True, then=Value(Status.IN_FORCE)),
                When(valid_until__lt=today, then=Value(Status.EXPIRED)),
                When(valid_until__lte=notice, then=Value(Status.EXPIRING)),
                default=Value(Status.IN_FORCE),
                output_field=models.CharField(),
            )
        )


class Agreement(models.Model):
    """An agreement signed with a sister city: its dates, who signed it, and its document."""

    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("Sister-city agreement")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")
        PROTOCOL = "protocol", _("Protocol")
        PROGRAMME = "programme", _("Programme")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRING = "expiring", _("Expiring")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")

    city = models.ForeignKey(
        SisterCity, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("city")
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Leave empty when the day is unknown.")
    )
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty when open-ended.")
    )
    signatories = models.TextField(_("signatories"), blank=True)
    # Set by hand only when the dates do not tell (superseded by a newer agreement, or ended
    # early); empty, the status follows the dates (AgreementQuerySet.with_state).
    status = models.CharField(
        _("status set by hand"),
        max_length=12,
        choices=Status.choices,
        blank=True,
        help_text=_(
            "Leave empty to follow the dates; set “Superseded” when a newer one replaces it."
        ),
    )
    is_public = models.BooleanField(_("shown on the city's public page"), default=False)
    # The document is addressed by this, not the primary key: its address cannot be guessed.
    public_id = models.UUIDField(
        _("document's address"), default=uuid.uuid4, unique=True, editable=False
    )
    document = models.FileField(
        _("document (PDF)"), upload_to=upload_agreement, blank=True, max_length=200
    )
    document_public = models.BooleanField(
        _("document public"),
        default=False,
        help_text=_(
            "Anyone may download a public agreement's public document; otherwise only "
            "the municipal staff and city officials."
        ),
    )
    source = models.TextField(_("sources"), blank=True, help_text=_("Where the facts come from."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = [F("signed_on").desc(nulls_last=True), "title_en"]
        # The daily check and the dashboards look for agreements by their end date.
        indexes = [models.Index(fields=["valid_until"], name="agreement_valid_until")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "fa":
            return self.title_fa or self.title_en
        return self.title_en or self.title_fa

    @property
    def state_label(self) -> str:
        """The status today, of an agreement read through `with_state()`."""
        return str(self.Status(self.state).label)

    @property
    def downloadable_by_anyone(self) -> bool:
        return bool(self.document) and self.is_public and self.document_public

    def get_document_url(self) -> str:
        return reverse("sistercities:agreement-document", args=[self.public_id])

    def clean(self):
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            raise ValidationError(
                {"valid_until": _("An agreement cannot end before it was signed.")}
            )


class AgreementNotice(models.Model):
    """What the staff were told about an agreement's end: recorded in the same transaction as
    the notice, so that the daily check, run twice or retried, tells them once."""

    class Kind(models.TextChoices):
        EXPIRING = "expiring", _("Expiring")
        EXPIRED = "expired", _("Expired")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="notices", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The end date told about: an agreement renewed to a later date is told about again.
    valid_until = models.DateField(_("valid until"))
    told_at = models.DateTimeField(_("told at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement notice")
        verbose_name_plural = _("agreement notices")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "valid_until"], name="one_notice_per_agreement_end"
            )
        ]

    def __str__(self):
        return f"{self.agreement} · {self.get_kind_display()} · {self.valid_until}"
