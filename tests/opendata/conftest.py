import datetime

import pytest
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS
from initiatives.models import Meeting
from opendata import services
from tests.factories import SisterCityFactory, UserFactory, application_in
from tests.initiatives.factories import InitiativeFactory, MeetingFactory, invitation, member


@pytest.fixture
def official(db):
    return UserFactory(email="official@example.org", roles=[CITY_OFFICIALS])


@pytest.fixture
def official_key(official):
    return services.create_token(user=official, name="Newsroom")[1]


@pytest.fixture
def programme(db):
    """Two cities, an initiative with members, a public event, a board meeting with invitees,
    and applications: everything personal the API must never publish is there."""
    florence = SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")
    kuala = SisterCityFactory(
        name_en="Kuala Lumpur", name_fa="کوالالامپور", slug="kuala-lumpur", status="dormant"
    )
    crafts = InitiativeFactory(slug="crafts", cities=[florence], field="handicrafts")
    InitiativeFactory(slug="music", cities=[kuala], field="cultural", status="proposed")
    people = [
        application_in("approved", user=UserFactory(email=f"member{n}@example.org")).user
        for n in range(2)
    ]
    for person in people:
        member(crafts, person)
    application_in("submitted", user=UserFactory(email="applicant@example.org"))
    public = MeetingFactory(
        initiative=crafts,
        kind=Meeting.Kind.PUBLIC_EVENT,
        title="Open workshop",
        timezone="Europe/Rome",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        ends_at=timezone.now() + datetime.timedelta(days=5, hours=2),
    )
    board = MeetingFactory(initiative=crafts, title="Board")
    invitation(board, people[0])
    return {
        "florence": florence,
        "kuala": kuala,
        "crafts": crafts,
        "public": public,
        "board": board,
        "people": people,
    }
