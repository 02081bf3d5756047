"""/proposals/ runs the same number of queries with a handful of proposals as with hundreds,
their cities and supports, for every reader and filter."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import User
from proposals.models import Proposal, Support
from sistercities.models import SisterCity
from tests.factories import SisterCityFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/proposals/",
    "/proposals/?page=2",
    "/proposals/?q=Proposal&field=cultural&status=submitted",
    "/proposals/?city=city-0",
    "/proposals/mine/",
]


def _populate(count: int) -> None:
    """`count` public proposals (two cities and a few supports each) and as many drafts."""
    if not SisterCity.objects.filter(slug="city-0").exists():
        SisterCityFactory(name_en="City 0", slug="city-0")
    cities = list(SisterCity.objects.all())
    start = Proposal.objects.count()
    people = User.objects.bulk_create(
        User(email=f"p{start}-{n}@example.org", diplomat_since=timezone.now()) for n in range(5)
    )
    statuses = Proposal.Status.values
    proposals = Proposal.objects.bulk_create(
        Proposal(
            author=people[n % 5],
            title=f"Proposal {start + n}",
            # Every status in each field: each filter below finds some at either size.
            field="cultural" if (n // len(statuses)) % 2 == 0 else "economic",
            summary="A summary of the proposal, long enough to read.",
            achieves="Something good.",
            status=statuses[n % len(statuses)],
            submitted_at=timezone.now(),
        )
        for n in range(count * 2)
    )
    Proposal.cities.through.objects.bulk_create(
        Proposal.cities.through(proposal=proposal, sistercity=city)
        for proposal in proposals
        for city in random.sample(cities, min(2, len(cities)))
    )
    Support.objects.bulk_create(
        Support(proposal=proposal, supporter=person)
        for proposal in proposals
        for person in people[: random.randint(0, 5)]
        if person != proposal.author
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("reader", "language"), [("anonymous", "fa"), ("diplomat", "en")])
def test_the_list_runs_the_same_queries_whatever_the_size(client, reader, language, settings):
    settings.PUBLIC_PAGES_CACHE_SECONDS = 0  # rendered each time, the first pages too
    user = UserFactory(preferred_language=language, diplomat_since=timezone.now())
    client.force_login(user)  # /proposals/mine/ needs someone; signed out again below
    client.cookies["django_language"] = language
    _populate(5)
    Proposal.objects.filter(pk__in=Proposal.objects.values("pk")[:3]).update(author=user)
    pages = PAGES if reader == "diplomat" else PAGES[:-1]
    if reader == "anonymous":
        client.logout()
    client.get("/proposals/")  # the session's first write happens here, not below
    small = {url: _count(client, url) for url in pages}

    _populate(300)  # 300 public proposals, as many drafts, hundreds of supports
    Proposal.objects.filter(pk__in=Proposal.objects.values("pk")[:30]).update(author=user)
    assert Proposal.objects.filter(status__in=Proposal.PUBLIC).count() > 250
    large = {url: _count(client, url) for url in pages}

    assert large == small
