from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
