import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS
from initiatives.models import Meeting
from opendata import services
from proposals.models import Proposal, Support
from sistercities.models import Agreement
from tests.factories import SisterCityFactory, UserFactory, application_in, pdf_bytes
from tests.initiatives.factories import InitiativeFactory, MeetingFactory, invitation, member
from tests.proposals.factories import proposal_in


@pytest.fixture
def official(db):
    return UserFactory(email="official@example.org", roles=[CITY_OFFICIALS])


@pytest.fixture
def official_key(official):
    return services.create_token(user=official, name="Newsroom")[1]


@pytest.fixture
def programme(db):
    """Two cities, an initiative with members, a public event, a board meeting with invitees,
    applications, agreements public and not, and proposals accepted and not with their authors,
    supporters, notes and attachments: everything personal the API must never publish is
    there."""
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
        **_agreements(florence, kuala),
        **_proposals(florence, kuala, crafts),
        "florence": florence,
        "kuala": kuala,
        "crafts": crafts,
        "public": public,
        "board": board,
        "people": people,
    }


def _agreements(florence, kuala):
    def agreement(city, title, kind="memorandum", **fields):
        return Agreement.objects.create(
            city=city, title_en=title, title_fa=f"{title} (fa)", kind=kind, **fields
        )

    today = timezone.localdate()
    signed = agreement(
        florence,
        "Twinning",
        kind="sister_city",
        signed_on=datetime.date(2000, 5, 1),
        signatories="The two mayors",
        is_public=True,
        document_public=True,
    )
    signed.document.save("twinning.pdf", ContentFile(pdf_bytes()))
    expiring = agreement(
        kuala, "Trade memorandum", valid_until=today + datetime.timedelta(days=10), is_public=True
    )
    # A public agreement whose document is kept for staff and officials.
    expiring.document.save("trade.pdf", ContentFile(pdf_bytes()))
    return {
        "twinning": signed,
        "expiring": expiring,
        "secret_agreement": agreement(florence, "Draft protocol", is_public=False),
    }


def _proposals(florence, kuala, crafts):
    accepted = proposal_in(
        "accepted",
        author=UserFactory(email="author@example.org", first_name="Parisa"),
        cities=[florence, kuala],
        title="Miniature painting workshops",
    )
    accepted.attachment.save("plan.pdf", ContentFile(pdf_bytes()))
    Proposal.objects.filter(pk=accepted.pk).update(initiative=crafts)
    Support.objects.create(proposal=accepted, supporter=UserFactory(email="supporter@example.org"))
    pending = proposal_in(
        "submitted", author=UserFactory(email="waiting@example.org"), cities=[florence]
    )
    return {"accepted": accepted, "pending": pending}
