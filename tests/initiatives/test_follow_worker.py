"""A real worker tells the followers of a public meeting just scheduled: those of its initiative
and of the initiative's city, once each, by e-mail with a one-click way out."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from initiatives.models import Follow, Meeting
from initiatives.services import meetings
from tests.factories import SisterCityFactory
from tests.helpers import wait_for

from .factories import InitiativeFactory


@pytest.mark.worker
def test_a_public_meeting_scheduled_reaches_each_confirmed_follower_once(
    celery_worker, smtp_server
):
    city = SisterCityFactory(slug="florence")
    initiative = InitiativeFactory(cities=[city])
    now = timezone.now()
    Follow.objects.bulk_create(
        [
            Follow(
                email="both@example.net", initiative=initiative, language="en", confirmed_at=now
            ),
            Follow(email="both@example.net", city=city, language="en", confirmed_at=now),
            Follow(email="city@example.net", city=city, language="fa", confirmed_at=now),
            Follow(email="pending@example.net", initiative=initiative, language="en"),
        ]
    )
    start = (now + timedelta(days=5)).replace(microsecond=0)

    with transaction.atomic():  # the followers are told once this commits
        meetings.schedule_meeting(
            organiser=initiative.coordinator,
            initiative=initiative,
            details={
                "title": "Open crafts fair",
                "kind": Meeting.Kind.PUBLIC_EVENT,
                "starts_at": start,
                "ends_at": start + timedelta(hours=2),
                "timezone": "Asia/Tehran",
                "place": "Chehel Sotoun garden",
                "online_link": "",
                "agenda": "",
                "capacity": None,
            },
        )

    wait_for(lambda: len(smtp_server.messages) >= 2, timeout=60)

    received = {message["To"]: message for message in smtp_server.messages}
    assert sorted(received) == ["both@example.net", "city@example.net"]
    assert len(smtp_server.messages) == 2
    for message in received.values():
        assert "/follow/stop/" in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
