"""A sister city's health level from the days since its last activity, at each boundary. The
setting is fixed here and the days written out: moving a boundary in the code fails a test."""

import datetime

import pytest
from django.utils import timezone

from sistercities.models import ContactLog, SisterCity
from sistercities.selectors.health import health_rows
from tests.factories import SisterCityFactory

pytestmark = pytest.mark.django_db

# With CITY_FADING_AFTER_DAYS = 30: alive up to 15 days of silence (half of it), quiet from 16
# to 30, fading after 30, or with no activity ever.
LEVELS = [
    (0, "alive"),
    (15, "alive"),
    (16, "quiet"),
    (30, "quiet"),
    (31, "fading"),
    (None, "fading"),
]


def health_after(days_silent, *, status=SisterCity.Status.ACTIVE) -> str:
    city = SisterCityFactory(status=status)
    if days_silent is not None:
        ContactLog.objects.create(
            city=city, date=timezone.localdate() - datetime.timedelta(days=days_silent), kind="call"
        )
    (row,) = health_rows(SisterCity.objects.filter(pk=city.pk))
    return row["health"]


@pytest.mark.parametrize(("days_silent", "level"), LEVELS, ids=str)
def test_a_citys_health_follows_its_days_of_silence(settings, days_silent, level):
    settings.CITY_FADING_AFTER_DAYS = 30

    assert health_after(days_silent) == level


def test_a_suspended_city_is_suspended_however_active(settings):
    settings.CITY_FADING_AFTER_DAYS = 30

    assert health_after(0, status=SisterCity.Status.SUSPENDED) == "suspended"
    assert health_after(None, status=SisterCity.Status.SUSPENDED) == "suspended"
