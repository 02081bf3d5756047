"""The pages: lists and filters, scheduling and inviting through forms, CSV, feeds, /me/."""

import csv
import io
import json
import re
from datetime import timedelta

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from initiatives import forms as initiative_forms
from initiatives.models import CalendarFeed, Initiative, Invitation, Meeting
from tests.factories import SisterCityFactory, UserFactory

from .factories import (
    InitiativeFactory,
    MeetingFactory,
    coordinator,
    diplomat,
    invitation,
    member,
    staff,
)

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


# /initiatives/


def test_the_list_filters_by_city_field_and_status_and_searches_both_languages(client):
    florence, porto = SisterCityFactory(name_en="Florence"), SisterCityFactory(name_en="Porto")
    InitiativeFactory(title_en="Crafts exchange", title_fa="تبادل صنایع دستی", cities=[florence])
    InitiativeFactory(
        title_en="Port cities forum", title_fa="انجمن بندرها", field="economic", cities=[porto]
    )
    InitiativeFactory(
        title_en="Old crafts archive", title_fa="بایگانی", status="completed", cities=[florence]
    )

    def titles(query):
        html = html_of(client.get(f"/initiatives/?{query}"))
        return [
            t for t in ("Crafts exchange", "Port cities forum", "Old crafts archive") if t in html
        ]

    assert titles("") == ["Crafts exchange", "Port cities forum", "Old crafts archive"]
    assert titles("city=porto") == ["Port cities forum"]
    assert titles("field=handicrafts&status=active") == ["Crafts exchange"]
    assert titles("q=صنایع دستی") == ["Crafts exchange"]
    assert titles("q=crafts&city=florence") == ["Crafts exchange", "Old crafts archive"]


def test_an_unknown_filter_value_is_ignored_not_an_error(client):
    InitiativeFactory(title_en="Crafts exchange")

    response = client.get("/initiatives/?city=atlantis&status=nonsense&page=99")

    assert response.status_code == 200


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_list_does_as_many_queries_for_40_initiatives_as_for_3(client, language, settings):
    settings.PUBLIC_PAGES_CACHE_SECONDS = 0  # rendered each time
    InitiativeFactory.create_batch(3)
    # Each count is of a second read: the first after a change of cities reads their options.
    client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE=language)
    with CaptureQueriesContext(connection) as few:
        client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE=language)

    for initiative in InitiativeFactory.create_batch(37):
        member(initiative)
    client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE=language)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert len(many) == len(few)


# Scheduling and inviting through the pages


@pytest.fixture
def neda(client):
    person = coordinator("neda@example.org")
    client.force_login(person)
    return person


def meeting_form(**changes):
    day = timezone.localdate() + timedelta(days=10)
    return {
        "title": "Crafts board",
        "kind": "board",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "timezone": "Asia/Tehran",
        "place": "City hall",
        "online_link": "",
        "agenda": "The exchange",
        "capacity": "",
        **changes,
    }


def test_a_coordinator_schedules_a_meeting_with_a_solar_hijri_date(client, neda):
    initiative = InitiativeFactory(coordinator=neda, slug="crafts")
    day = timezone.localdate() + timedelta(days=10)
    jalali = jdatetime.date.fromgregorian(date=day)

    response = client.post(
        "/meetings/new/",
        meeting_form(initiative="crafts", date=f"{jalali.year}/{jalali.month}/{jalali.day}"),
    )

    meeting = Meeting.objects.get()
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.initiative == initiative
    assert timezone.localtime(meeting.starts_at).date() == day
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.organiser == neda


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "The meeting must end after it starts."),
        ({"date": "2020-01-01"}, "The meeting cannot start in the past."),
        ({"capacity": "-5"}, "Capacity must be at least 1, or empty for no limit."),
        ({"date": "1405/13/40"}, "Enter a date as year-month-day"),
        ({"initiative": ""}, "Choose an initiative or a sister city (one of them)."),
        ({"capacity": "99999999999999999999"}, "Capacity can be at most 100000."),
        (
            {
                "date": "9999-12-31",
                "start_time": "22:00",
                "end_time": "23:00",
                "timezone": "America/New_York",
            },
            "A meeting can be scheduled at most ten years ahead.",
        ),
    ],
    ids=[
        "ends-before-start",
        "past",
        "negative-capacity",
        "bad-date",
        "belongs-to-nothing",
        "huge-capacity",
        "year-9999",
    ],
)
def test_bad_meeting_input_gets_a_clear_message_and_saves_nothing(client, neda, changes, message):
    InitiativeFactory(coordinator=neda, slug="crafts")

    response = client.post("/meetings/new/", {**meeting_form(initiative="crafts"), **changes})

    assert response.status_code == 200
    assert message in html_of(response)
    assert not Meeting.objects.exists()


def listed_initiatives(response) -> list[str]:
    select = re.search(r'<select name="initiative".*?</select>', html_of(response), re.S)
    return re.findall(r'<option value="([^"]+)"', select.group())


def test_past_the_limit_the_meeting_form_lists_recent_initiatives_and_finds_others(
    client, monkeypatch
):
    monkeypatch.setattr(initiative_forms, "INITIATIVES_LISTED", 2)
    client.force_login(staff())
    for number, title in enumerate(["Crafts exchange", "Port forum", "Crafts archive", "Tea"]):
        initiative = InitiativeFactory(slug=f"i{number}", title_en=title, title_fa=f"طرح {number}")
        Initiative.objects.filter(pk=initiative.pk).update(
            updated_at=timezone.now() - timedelta(days=10 - number)
        )

    response = client.get("/meetings/new/")
    assert listed_initiatives(response) == ["i2", "i3"]  # the two changed last, by title
    assert "the 2 most recently changed of 4 initiatives" in html_of(response)
    assert 'role="search"' in html_of(response)

    found = client.get("/meetings/new/", {"find": "CRAFTS"})
    assert listed_initiatives(found) == ["i2", "i0"]
    assert "the 2 initiatives whose titles contain “CRAFTS”" in html_of(found)
    assert listed_initiatives(client.get("/meetings/new/", {"find": "طرح 3"})) == ["i3"]
    # The initiative the page was opened for is listed, whatever was searched for.
    chosen = client.get("/meetings/new/", {"find": "<b>none</b>", "initiative": "i0"})
    assert listed_initiatives(chosen) == ["i0"]
    assert "No initiative’s title contains “&lt;b&gt;none&lt;/b&gt;”." in html_of(chosen)

    # Any initiative may still be chosen, listed or not.
    response = client.post("/meetings/new/", meeting_form(initiative="i0"))
    assert Meeting.objects.get().initiative.slug == "i0"
    assert response["Location"] == Meeting.objects.get().get_absolute_url()


def test_a_short_list_of_initiatives_is_listed_whole_with_no_search(client, neda, monkeypatch):
    monkeypatch.setattr(initiative_forms, "INITIATIVES_LISTED", 2)
    InitiativeFactory(coordinator=neda, slug="crafts", title_en="Crafts")
    InitiativeFactory(coordinator=neda, slug="tea", title_en="Tea")
    InitiativeFactory(slug="someone-elses")

    response = client.get("/meetings/new/")

    assert listed_initiatives(response) == ["crafts", "tea"]
    assert 'role="search"' not in html_of(response)


def test_inviting_a_non_diplomat_by_address_is_refused_on_the_form(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)
    diplomat("reza@example.org")
    UserFactory(email="sara@example.org")

    response = client.post(
        f"/meetings/{meeting.pk}/invite/",
        {"mode": "people", "emails": "reza@example.org, Sara@Example.org"},
    )

    assert response.status_code == 400
    assert "Not a citizen diplomat: sara@example.org" in html_of(response)
    assert not Invitation.objects.exists()


def test_inviting_by_address_twice_invites_once(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)
    reza = diplomat("reza@example.org")

    for _ in range(2):
        client.post(
            f"/meetings/{meeting.pk}/invite/", {"mode": "people", "emails": "REZA@example.org"}
        )

    assert list(meeting.invitations.values_list("invitee", flat=True)) == [reza.pk]


def test_inviting_by_filter_needs_a_criterion(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)

    response = client.post(f"/meetings/{meeting.pk}/invite/", {"mode": "matching"})

    assert response.status_code == 400
    assert "Choose a field, a language or a city to invite by." in html_of(response)


def test_the_coordinators_meeting_page_shows_answers_and_counts(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda, capacity=10)
    invitation(meeting, diplomat(first_name="Reza", last_name="Karimi"), state="accepted")
    invitation(meeting, state="declined")
    invitation(meeting, state="sent")

    html = html_of(client.get(f"/meetings/{meeting.pk}/"))

    assert "Reza Karimi" in html
    assert '<strong data-count="accepted">1</strong>' in html
    assert '<strong data-count="declined">1</strong>' in html
    assert '<strong data-count="sent">1</strong>' in html
    assert "9 seats left" in html


def test_while_invitations_go_out_the_coordinator_sees_how_many_of_how_many_are_sent(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)
    invitation(meeting, state="sent")
    waiting = [invitation(meeting, state="pending") for _ in range(2)]

    html = html_of(client.get(f"/meetings/{meeting.pk}/"))

    assert "Sending the invitations: 1 of 3 sent." in html
    assert '<progress class="w-100" value="1" max="3"' in html
    assert "data-refresh-while-present" in html

    Invitation.objects.filter(pk__in=[each.pk for each in waiting]).update(state="sent")
    html = html_of(client.get(f"/meetings/{meeting.pk}/"))

    assert "All 3 invitations have gone out." in html
    assert "<progress" not in html and "data-refresh-while-present" not in html


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_coordinators_meeting_page_does_as_many_queries_for_60_invitees_as_for_3(
    client, neda, language
):
    meeting = MeetingFactory(initiative__coordinator=neda, capacity=100)
    for _ in range(3):
        invitation(meeting, state="accepted")
    client.get("/")  # the first request of a staff session also extends it
    # Each count is of a second read: the first after a change of cities reads their options.
    client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE=language)

    for state in ["sent", "declined", "tentative"] * 19:
        invitation(meeting, state=state)
    client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE=language))

    assert html.count('class="invitee-state"') == 60
    assert len(many) == len(few)


def test_the_invitee_list_downloads_as_csv(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)
    invitation(
        meeting, diplomat("reza@example.org", first_name="رضا", last_name="کریمی"), state="accepted"
    )

    response = client.get(f"/meetings/{meeting.pk}/invitees.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["Name", "E-mail", "Answer", "Answered", "Invited"]
    assert rows[1][:3] == ["رضا کریمی", "reza@example.org", "Accepted"]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(client, neda):
    meeting = MeetingFactory(initiative__coordinator=neda)
    invitation(meeting, diplomat(first_name='=HYPERLINK("http://evil.example")', last_name="x"))

    response = client.get(f"/meetings/{meeting.pk}/invitees.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example") x'


def test_an_invitee_does_not_see_the_other_invitees(client):
    meeting = MeetingFactory()
    mine = invitation(meeting)
    other = invitation(meeting, diplomat("someone.else@example.org"))
    client.force_login(mine.invitee)

    html = html_of(client.get(f"/meetings/{meeting.pk}/"))

    assert other.invitee.email not in html
    assert "Invite all members" not in html
    assert "Download the list" not in html


# Joining from the page


def test_a_citizen_who_is_not_a_diplomat_is_told_why_they_cannot_join(client):
    InitiativeFactory(slug="crafts")
    client.force_login(UserFactory())

    response = client.post("/initiatives/crafts/join/", follow=True)

    assert "Only citizen diplomats can join initiatives" in html_of(response)


def test_a_diplomat_asks_to_join_and_the_coordinator_accepts_on_the_members_page(client):
    initiative = InitiativeFactory(slug="crafts")
    reza = diplomat("reza@example.org")
    client.force_login(reza)
    client.post("/initiatives/crafts/join/")

    client.force_login(initiative.coordinator)
    page = html_of(client.get("/initiatives/crafts/members/"))
    membership = initiative.memberships.get()
    client.post(f"/initiatives/crafts/members/{membership.pk}/accept/")

    assert "reza@example.org" in page
    membership.refresh_from_db()
    assert membership.state == "accepted"
    client.force_login(reza)
    assert "You are a member." in html_of(client.get("/initiatives/crafts/"))


# Calendar feed, /me/ and the data export


def test_a_diplomat_gets_a_feed_address_on_my_page_and_can_replace_it(client):
    reza = diplomat("reza@example.org")
    client.force_login(reza)

    assert "Get my calendar address" in html_of(client.get("/me/"))
    client.post("/me/calendar/")
    first = CalendarFeed.objects.get(user=reza).token
    assert f"/calendar/{first}.ics" in html_of(client.get("/me/"))
    client.post("/me/calendar/")
    second = CalendarFeed.objects.get(user=reza).token

    assert first != second
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200


def test_the_feed_lists_the_meetings_i_am_invited_to_but_not_those_i_declined(client):
    reza = diplomat("reza@example.org")
    feed = CalendarFeed.objects.create(user=reza, token="t" * 40)
    invitation(MeetingFactory(title="Crafts board"), reza, state="accepted")
    invitation(MeetingFactory(title="Working session"), reza, state="sent")
    invitation(MeetingFactory(title="Declined one"), reza, state="declined")
    MeetingFactory(title="Not invited")

    response = client.get(f"/calendar/{feed.token}.ics")

    calendar = Calendar.from_ical(response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert sorted(str(e["SUMMARY"]) for e in calendar.events) == ["Crafts board", "Working session"]
    assert "METHOD" not in calendar


def test_the_feed_does_as_many_queries_for_many_meetings_as_for_one(client):
    reza = diplomat("reza@example.org")
    feed = CalendarFeed.objects.create(user=reza, token="t" * 40)
    invitation(MeetingFactory(), reza)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/calendar/{feed.token}.ics")

    for _ in range(10):
        invitation(MeetingFactory(), reza)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/calendar/{feed.token}.ics")

    assert len(many) == len(few)


def test_my_data_export_lists_my_memberships_and_invitations(client):
    reza = diplomat("reza@example.org")
    initiative = InitiativeFactory(title_en="Crafts exchange")
    member(initiative, reza)
    invitation(MeetingFactory(title="Crafts board"), reza, state="accepted")
    client.force_login(reza)

    data = json.loads(client.get("/me/export/").content)

    assert data["initiatives"]["memberships"][0]["initiative"] == "Crafts exchange"
    assert data["initiatives"]["invitations"][0]["meeting"] == "Crafts board"
    assert data["initiatives"]["invitations"][0]["state"] == "accepted"


def test_an_invitation_appears_in_the_inbox(client, django_capture_on_commit_callbacks):
    from initiatives.services.invitations import invite_members

    meeting = MeetingFactory(title="Crafts board")
    reza = member(meeting.initiative, diplomat("reza@example.org")).user
    with django_capture_on_commit_callbacks(execute=True):
        invite_members(meeting=meeting, invited_by=meeting.initiative.coordinator)
    client.force_login(reza)

    html = html_of(client.get("/inbox/"))

    assert "Invitation: Crafts board" in html
    assert f'href="/meetings/{meeting.pk}/"' in html


def test_the_city_filter_offers_a_city_added_since_and_finds_its_initiatives(client):
    InitiativeFactory(title_en="Old friends")
    client.get("/initiatives/")  # the options are now kept in the cache
    kazan = SisterCityFactory(slug="kazan", name_en="Kazan")
    InitiativeFactory(title_en="Tatar crafts", cities=[kazan])

    html = html_of(client.get("/initiatives/?city=kazan"))

    assert '<option value="kazan" selected>Kazan</option>' in html
    assert "Tatar crafts" in html and "Old friends" not in html


def test_the_list_shows_a_change_to_an_initiative_its_members_or_cities_at_once(client):
    kazan = SisterCityFactory(slug="kazan", name_en="Kazan")
    crafts = InitiativeFactory(title_en="Crafts", cities=[kazan])
    assert "Crafts" in html_of(client.get("/initiatives/"))

    crafts.title_en = "Tatar crafts"
    crafts.save()
    assert "Tatar crafts" in html_of(client.get("/initiatives/"))

    member(crafts)
    assert "one member" in html_of(client.get("/initiatives/"))

    crafts.cities.add(SisterCityFactory(name_en="Porto"))
    assert "Porto" in html_of(client.get("/initiatives/"))

    kazan.name_en = "Qazan"
    kazan.save()
    assert "Qazan" in html_of(client.get("/initiatives/"))


def test_a_search_is_read_afresh_while_the_whole_list_is_kept(client):
    crafts = InitiativeFactory(title_en="Crafts")
    client.get("/initiatives/")
    client.get("/initiatives/?q=crafts")
    Initiative.objects.filter(pk=crafts.pk).update(title_en="Crafts market")  # no signal

    assert "Crafts market" not in html_of(client.get("/initiatives/"))
    assert "Crafts market" in html_of(client.get("/initiatives/?q=crafts"))
