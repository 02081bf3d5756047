"""Words every app uses: the programme's fields of cooperation name a city's ties, a diplomat's
expertise and an initiative's work alike."""

from django.db import models
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
