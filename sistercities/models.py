from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CooperationField(models.TextChoices):
    """The fields the programme works in; shared by cities, applications and initiatives."""

    ECONOMIC = "economic", _("Economic")
    CULTURAL = "cultural", _("Cultural")
    SCIENTIFIC = "scientific", _("Scientific")
    EDUCATION = "education", _("Education")
    TOURISM = "tourism", _("Tourism")
    HANDICRAFTS = "handicrafts", _("Arts and handicrafts")
    HEALTH = "health", _("Health")
    ENVIRONMENT = "environment", _("Environment")
    URBAN = "urban", _("Urban development")
    TECHNOLOGY = "technology", _("Technology")
    SPORTS = "sports", _("Sports")
    YOUTH = "youth", _("Youth")


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

    class Meta:
        verbose_name = _("sister city")
        verbose_name_plural = _("sister cities")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

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
