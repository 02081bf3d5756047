import datetime

import pytest
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS
from initiatives.models import Initiative, Meeting
from tests.factories import UserFactory, reviewer


@pytest.fixture
def official(db):
    return UserFactory(email="official@example.org", roles=[CITY_OFFICIALS])


@pytest.fixture
def staff(db):
    return reviewer("staff@example.org")


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def days_ago(days: int, hour: int = 12) -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(hour=hour, minute=0, second=0, microsecond=0) - datetime.timedelta(days=days)


def make_initiative(
    slug,
    cities,
    *,
    status=Initiative.Status.ACTIVE,
    field="cultural",
    updated_days_ago=400,
    **kwargs,
) -> Initiative:
    """An initiative whose last update lies `updated_days_ago` days back (auto_now is undone)."""
    initiative = Initiative.objects.create(
        slug=slug, title_en=slug.title(), title_fa=slug, field=field, status=status, **kwargs
    )
    initiative.cities.set(cities)
    Initiative.objects.filter(pk=initiative.pk).update(
        updated_at=days_ago(updated_days_ago), created_at=days_ago(updated_days_ago)
    )
    return initiative


def make_meeting(
    *, starts_at, initiative=None, city=None, status=Meeting.Status.SCHEDULED, title="Meeting"
) -> Meeting:
    return Meeting.objects.create(
        initiative=initiative,
        city=city,
        title=title,
        kind=Meeting.Kind.BOARD,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=status,
    )
