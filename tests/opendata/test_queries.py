"""Each list of the API runs the same number of queries with a handful of rows as with
thousands (the pattern of tests/dashboards/test_queries.py)."""

import pytest
from django.db import connection
from django.db.models.functions import Mod
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import User
from initiatives.models import Initiative, Meeting
from opendata import services
from proposals.models import Proposal, Support
from sistercities.models import Agreement, SisterCity
from tests.dashboards.test_queries import _populate

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/cities/",
    "/api/v1/cities/?status=active&field=cultural",
    "/api/v1/initiatives/",
    "/api/v1/initiatives/?city=city-0&status=active&q=I",
    "/api/v1/meetings/",
    "/api/v1/meetings/?city=city-0&starts_from=2000-01-01",
    "/api/v1/agreements/",
    "/api/v1/agreements/?city=city-0&kind=sister_city&status=in_force",
    "/api/v1/proposals/",
    "/api/v1/proposals/?city=city-0&q=P",
    "/api/v1/figures/",
    "/api/v1/dashboard/cities/",
]


def _count(client, url, key) -> int:
    with CaptureQueriesContext(connection) as queries:
        headers = {"authorization": f"Bearer {key}"} if key else {}
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(queries)


def _public_events():
    # Half the meetings _populate makes become public events, so the meeting lists have rows.
    Meeting.objects.annotate(odd=Mod("pk", 2)).filter(odd=1).update(
        kind=Meeting.Kind.PUBLIC_EVENT, updated_at=timezone.now()
    )


def _agreements_and_proposals():
    """For each city without them yet: two public agreements and a private one, an accepted
    proposal with two supports that became one of the city's initiatives, a declined one."""
    cities = list(SisterCity.objects.filter(agreements=None))
    kinds, fields = Agreement.Kind.values, ["cultural", "economic", "tourism"]
    Agreement.objects.bulk_create(
        Agreement(
            city=city,
            title_en=f"A {n}",
            title_fa=f"ت {n}",
            kind=kinds[n % len(kinds)],
            is_public=n < 2,
            document_public=n == 0,
            document="agreements/signed.pdf" if n == 0 else "",
            signatories="The mayors",
        )
        for city in cities
        for n in range(3)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            title=f"P {city.slug} {n}",
            field=fields[i % 3],
            summary="S",
            achieves="A",
            status="accepted" if n == 0 else "declined",
            decided_at=timezone.now(),
            initiative=Initiative.objects.filter(cities=city).first() if n == 0 else None,
        )
        for i, city in enumerate(cities)
        for n in range(2)
    )
    Proposal.cities.through.objects.bulk_create(
        Proposal.cities.through(proposal=proposal, sistercity=cities[i // 2])
        for i, proposal in enumerate(proposals)
    )
    people = list(User.objects.order_by("pk")[:2])
    Support.objects.bulk_create(
        Support(proposal=proposal, supporter=person)
        for proposal in proposals
        if proposal.status == "accepted"
        for person in people
    )


def test_the_lists_run_the_same_queries_whatever_the_size(client, official, settings):
    settings.PUBLIC_PAGES_CACHE_SECONDS = 0  # every request reads everything
    key = services.create_token(user=official, name="Count")[1]
    _populate(cities=3, per_city=2)
    _public_events()
    _agreements_and_proposals()
    small = {url: _count(client, url, key) for url in LISTS}

    _populate(cities=147, per_city=10)  # 150 cities; 1,470 initiatives, meetings, members...
    _public_events()
    _agreements_and_proposals()
    large = {url: _count(client, url, key) for url in LISTS}

    assert large == small


def test_a_kept_answer_saves_the_queries(client, programme):
    cold = _count(client, "/api/v1/cities/", "")
    warm = _count(client, "/api/v1/cities/", "")

    assert warm < cold - 5
