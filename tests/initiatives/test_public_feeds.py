"""The public calendar feeds of an initiative and of a sister city (issue 26): anyone may
subscribe without an account; they hold the public meetings only and name nobody; they are kept
in the cache, answer 304 when nothing changed, and cost the same queries at any size."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from initiatives.models import Meeting
from initiatives.services import meetings
from tests.factories import SisterCityFactory

from .factories import InitiativeFactory, MeetingFactory, coordinator, diplomat, invitation

pytestmark = pytest.mark.django_db
PUBLIC = Meeting.Kind.PUBLIC_EVENT


@pytest.fixture
def florence():
    return SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")


@pytest.fixture
def crafts(florence):
    organiser = coordinator("neda@example.org", first_name="Neda", last_name="Moradi")
    return InitiativeFactory(
        slug="crafts", title_en="Crafts exchange", coordinator=organiser, cities=[florence]
    )


def events(response) -> dict:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).events}


def test_an_initiatives_feed_holds_its_public_meetings_and_names_nobody(client, crafts):
    fair = MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair", organiser=None)
    board = MeetingFactory(initiative=crafts, title="Board meeting")
    invitation(fair, diplomat("reza@example.org", first_name="Reza"), state="accepted")
    invitation(board, diplomat("sara@example.org"), state="accepted")
    MeetingFactory(kind=PUBLIC, title="Another initiative's fair")

    response = client.get("/initiatives/crafts/meetings.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    assert calendar["X-WR-CALNAME"] == "Crafts exchange: public meetings"
    assert list(events(response)) == ["Crafts fair"]
    (event,) = calendar.events
    assert event["UID"] == fair.uid
    assert event["DTSTART"].params["TZID"] == "Asia/Tehran"
    assert "ORGANIZER" not in event and "ATTENDEE" not in event
    assert str(event["URL"]).endswith("/initiatives/crafts/")
    body = response.content.decode()
    for personal in ("@", "Neda", "Moradi", "Reza", "mailto", "/meetings/"):
        assert personal not in body


def test_a_citys_feed_holds_its_own_and_its_initiatives_public_meetings(client, crafts, florence):
    MeetingFactory(initiative=None, city=florence, kind=PUBLIC, title="Twinning day")
    MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair")
    MeetingFactory(initiative=None, city=florence, title="Closed board")
    MeetingFactory(initiative=None, city=SisterCityFactory(slug="lyon"), kind=PUBLIC, title="Lyon")

    response = client.get("/cities/florence/meetings.ics")

    assert response.status_code == 200
    assert sorted(events(response)) == ["Crafts fair", "Twinning day"]
    assert Calendar.from_ical(response.content)["X-WR-CALNAME"] == "Florence: public meetings"


def test_a_cancelled_public_meeting_shows_cancelled_and_a_long_past_one_drops_off(client, crafts):
    fair = MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair")
    meetings.cancel_meeting(meeting=fair, actor=crafts.coordinator)
    long_ago = timezone.now() - timedelta(days=200)
    MeetingFactory(
        initiative=crafts,
        kind=PUBLIC,
        title="Old fair",
        starts_at=long_ago,
        ends_at=long_ago + timedelta(hours=1),
    )

    found = events(client.get("/initiatives/crafts/meetings.ics"))

    assert list(found) == ["Crafts fair"]
    assert found["Crafts fair"]["STATUS"] == "CANCELLED"


def test_a_feed_in_persian_is_named_in_persian(client, crafts, florence):
    response = client.get("/cities/florence/meetings.ics", HTTP_ACCEPT_LANGUAGE="fa")

    assert Calendar.from_ical(response.content)["X-WR-CALNAME"] == "فلورانس: جلسه‌های عمومی"


def test_a_feed_of_no_such_initiative_or_city_is_not_found(client):
    assert client.get("/initiatives/no-such-thing/meetings.ics").status_code == 404
    assert client.get("/cities/no-such-city/meetings.ics").status_code == 404


def test_a_feed_only_answers_reading(client, crafts):
    assert client.post("/initiatives/crafts/meetings.ics").status_code == 405


def test_a_poll_with_the_etag_or_the_date_is_answered_not_modified(client, crafts):
    MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair")
    first = client.get("/initiatives/crafts/meetings.ics")

    by_etag = client.get("/initiatives/crafts/meetings.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(
        "/initiatives/crafts/meetings.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert "public" in first["Cache-Control"]


def test_a_changed_meeting_gives_a_new_feed_at_once(client, crafts):
    fair = MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair")
    first = client.get("/initiatives/crafts/meetings.ics")
    fair.title = "Spring crafts fair"
    fair.save()

    again = client.get("/initiatives/crafts/meetings.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert list(events(again)) == ["Spring crafts fair"]
    assert again["ETag"] != first["ETag"]


def test_a_feed_made_again_after_the_cache_is_emptied_keeps_its_etag(client, crafts):
    MeetingFactory(initiative=crafts, kind=PUBLIC, title="Crafts fair")
    first = client.get("/initiatives/crafts/meetings.ics")
    cache.clear()

    again = client.get("/initiatives/crafts/meetings.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def _populate(initiative, city, count: int) -> None:
    start = timezone.now() + timedelta(days=1)
    Meeting.objects.bulk_create(
        Meeting(
            initiative=initiative if n % 2 else None,
            city=None if n % 2 else city,
            title=f"Fair {n}",
            kind=PUBLIC,
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2),
            place="Naqsh-e Jahan square",
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    "url", ["/initiatives/crafts/meetings.ics", "/cities/florence/meetings.ics"]
)
def test_a_feed_costs_the_same_queries_with_2_meetings_as_with_60_and_none_when_kept(
    client, crafts, florence, url
):
    def queries() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as made:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as kept:
            assert client.get(url).status_code == 200
        return len(made), len(kept)

    _populate(crafts, florence, 2)
    small = queries()
    _populate(crafts, florence, 58)
    large = queries()

    assert small == large
    assert large[1] == 0


def test_the_initiative_and_city_pages_link_to_their_feeds(client, crafts, florence, settings):
    settings.SITE_URL = "https://diplomats.example.org"

    initiative_page = client.get("/initiatives/crafts/").content.decode()
    city_page = client.get("/cities/florence/").content.decode()

    assert 'href="webcal://diplomats.example.org/initiatives/crafts/meetings.ics"' in (
        initiative_page
    )
    assert 'href="https://diplomats.example.org/initiatives/crafts/meetings.ics"' in (
        initiative_page
    )
    assert 'href="webcal://diplomats.example.org/cities/florence/meetings.ics"' in city_page
    assert 'href="https://diplomats.example.org/cities/florence/meetings.ics"' in city_page


def test_every_property_of_every_public_feed_is_one_that_names_nobody(client, crafts, florence):
    city_fair = MeetingFactory(initiative=None, city=florence, kind=PUBLIC, organiser=None)
    fair = MeetingFactory(initiative=crafts, kind=PUBLIC, online_link="https://meet.example.org")
    for meeting in (fair, city_fair):
        invitation(meeting, diplomat(), state="accepted")
    allowed = {
        "UID", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "LOCATION",
        "DESCRIPTION", "URL", "STATUS",
    }  # fmt: skip

    for url in ("/initiatives/crafts/meetings.ics", "/cities/florence/meetings.ics"):
        calendar = Calendar.from_ical(client.get(url).content)
        assert set(calendar) == {"PRODID", "VERSION", "X-WR-CALNAME", "NAME"}
        assert calendar.events
        for event in calendar.events:
            assert set(event) <= allowed, url
