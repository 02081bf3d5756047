"""Each dashboard page runs the same number of queries with 3 cities as with 150 and thousands
of related rows (agreements among them)."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import User
from initiatives.models import Initiative, Invitation, Meeting, Membership
from sistercities.models import Agreement, ContactLog, SisterCity
from tests.factories import SisterCityFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/dashboard/",
    "/dashboard/?fading=on&sort=-meetings",
    "/dashboard/cities/city-0/",
    "/dashboard/tables/cities.csv",
    "/dashboard/cities/city-0/tables/held.xlsx",
    "/dashboard/tables/agreements.csv",
    "/dashboard/cities/city-0/tables/agreements.xlsx",
]


def _populate(cities: int, per_city: int) -> None:
    """`cities` sister cities, each with `per_city` initiatives, meetings, contacts, members and
    invitations, made in bulk."""
    start = SisterCity.objects.count()
    made = SisterCity.objects.bulk_create(
        SisterCity(
            slug=f"city-{start + n}",
            name_en=f"City {start + n}",
            name_fa=f"شهر {start + n}",
            country_en="Italy",
            country_fa="ایتالیا",
            country_code="IT",
            latitude=random.uniform(-60, 60),
            longitude=random.uniform(-170, 170),
            status=random.choice(SisterCity.Status.values),
        )
        for n in range(cities)
    )
    people = User.objects.bulk_create(
        User(email=f"p{start}-{n}@example.org", diplomat_since=timezone.now())
        for n in range(per_city * 2)
    )
    now = timezone.now()
    fields = ["cultural", "economic", "tourism"]
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"i-{city.slug}-{n}",
            title_en=f"I {n}",
            title_fa=f"ط {n}",
            field=fields[n % 3],
            status=random.choice(Initiative.Status.values),
        )
        for city in made
        for n in range(per_city)
    )
    Initiative.cities.through.objects.bulk_create(
        Initiative.cities.through(initiative=initiative, sistercity=made[i // per_city])
        for i, initiative in enumerate(initiatives)
    )
    Membership.objects.bulk_create(
        Membership(initiative=initiative, user=person, state="accepted")
        for initiative in initiatives
        for person in people[:2]
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            initiative=initiative,
            title="M",
            kind="board",
            starts_at=now + datetime.timedelta(days=random.randint(-400, 60)),
            ends_at=now + datetime.timedelta(days=70),
        )
        for initiative in initiatives
    )
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting, invitee=person, state=random.choice(["accepted", "sent"]), sent_at=now
        )
        for meeting in meetings
        for person in people[:2]
    )
    ContactLog.objects.bulk_create(
        ContactLog(
            city=city,
            kind="call",
            date=timezone.localdate() - datetime.timedelta(days=random.randint(0, 300)),
        )
        for city in made
        for _ in range(per_city)
    )
    # Agreements ending from a year ago to a year ahead: some expiring, some expired.
    Agreement.objects.bulk_create(
        Agreement(
            city=city,
            title_en=f"A {n}",
            title_fa=f"ت {n}",
            kind="protocol",
            valid_until=timezone.localdate() + datetime.timedelta(days=random.randint(-365, 365)),
        )
        for city in made
        for n in range(per_city)
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_dashboards_run_the_same_queries_whatever_the_size(client, staff, settings, language):
    settings.DASHBOARD_CACHE_SECONDS = 0  # every request computes everything
    staff.preferred_language = language
    staff.save()
    client.force_login(staff)
    _populate(cities=3, per_city=2)
    client.get("/dashboard/")  # the session's first write happens here, not below
    small = {url: _count(client, url) for url in PAGES}

    _populate(cities=147, per_city=10)  # 150 cities; 1,470 initiatives, meetings, contacts...
    assert SisterCity.objects.count() == 150
    assert Invitation.objects.count() > 2_900
    large = {url: _count(client, url) for url in PAGES}

    assert large == small


def test_cached_figures_save_the_queries(client, staff, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(staff)
    SisterCityFactory(name_en="Florence")
    client.get("/dashboard/")

    cold = _count(client, "/dashboard/?status=active")
    warm = _count(client, "/dashboard/?status=active")

    assert warm < cold - 10


@pytest.mark.django_db
def test_the_database_does_not_compile_queries_just_in_time():
    # PostgreSQL's JIT spent 2.6 s compiling the health query at city scale (make bench).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
