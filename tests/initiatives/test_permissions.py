"""Who may open each page of initiatives and meetings, by role: a page of a role one does not
have answers 403, someone else's initiative or meeting 404."""

import pytest

from citizens.roles import CITY_OFFICIALS
from initiatives.models import CalendarFeed, Membership
from initiatives.tokens import rsvp_token
from tests.factories import SisterCityFactory, UserFactory

from .factories import InitiativeFactory, MeetingFactory, coordinator, diplomat, invitation, staff

LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"
ADMIN_HOME = "admin-home"  # the admin's "no such object" redirect

ROLES = [
    "anonymous",
    "citizen",
    "member",
    "other_diplomat",
    "coordinator",
    "other_coordinator",
    "staff",
    "official",
]

# method, url ({slug}, {meeting}, {city_meeting}, {membership}, {token}, {feed}), then the answer
# per role above.
TABLE = [
    ("get", "/initiatives/", [200] * 8),
    ("get", "/initiatives/{slug}/", [200] * 8),
    ("get", "/initiatives/no-such-thing/", [404] * 8),
    ("get", "/initiatives/{slug}/members/", [LOGIN, 403, 403, 403, 200, 404, 200, 403]),
    ("post", "/initiatives/{slug}/join/", [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    ("post", "/initiatives/{slug}/leave/", [LOGIN, 302, 302, 302, 302, 302, 302, 302]),
    (
        "post",
        "/initiatives/{slug}/members/{membership}/accept/",
        [LOGIN, 403, 403, 403, 302, 404, 302, 403],
    ),
    (
        "post",
        "/initiatives/{slug}/members/{membership}/promote/",
        [LOGIN, 403, 403, 403, 404, 404, 404, 403],
    ),
    ("get", "/meetings/new/", [LOGIN, 403, 403, 403, 200, 200, 200, 403]),
    ("get", "/meetings/new/?initiative={slug}", [LOGIN, 403, 403, 403, 200, 404, 200, 403]),
    ("get", "/meetings/{meeting}/", [LOGIN, 404, 200, 404, 200, 404, 200, 404]),
    ("get", "/meetings/{meeting}/edit/", [LOGIN, 403, 403, 403, 200, 404, 200, 403]),
    ("get", "/meetings/{meeting}/invitees.csv", [LOGIN, 403, 403, 403, 200, 404, 200, 403]),
    ("post", "/meetings/{meeting}/invite/", [LOGIN, 403, 403, 403, 302, 404, 302, 403]),
    ("post", "/meetings/{meeting}/rsvp/", [LOGIN, 404, 302, 404, 404, 404, 404, 404]),
    ("post", "/meetings/{meeting}/cancel/", [LOGIN, 403, 403, 403, 302, 404, 302, 403]),
    ("get", "/meetings/999999/", [LOGIN] + [404] * 7),
    # A meeting held directly with a city (no initiative) is its organiser's, the coordinator's
    # here; the other diplomat is invited to it. Whoever may never schedule is refused first
    # (403), another coordinator finds no such meeting (404).
    ("get", "/meetings/{city_meeting}/", [LOGIN, 404, 404, 200, 200, 404, 200, 404]),
    ("get", "/meetings/{city_meeting}/edit/", [LOGIN, 403, 403, 403, 200, 404, 200, 403]),
    (
        "get",
        "/meetings/{city_meeting}/invitees.csv",
        [LOGIN, 403, 403, 403, 200, 404, 200, 403],
    ),
    ("post", "/meetings/{city_meeting}/invite/", [LOGIN, 403, 403, 403, 302, 404, 302, 403]),
    ("post", "/meetings/{city_meeting}/rsvp/", [LOGIN, 404, 404, 302, 404, 404, 404, 404]),
    ("post", "/meetings/{city_meeting}/cancel/", [LOGIN, 403, 403, 403, 302, 404, 302, 403]),
    ("get", "/meetings/999999/edit/", [LOGIN, 403, 403, 403, 404, 404, 404, 403]),
    # The RSVP link and the calendar feed are their own key: whoever holds them may use them.
    ("get", "/rsvp/{token}/", [200] * 8),
    ("get", "/rsvp/not-a-token/", [400] * 8),
    ("get", "/calendar/{feed}.ics", [200] * 8),
    ("get", "/calendar/not-a-feed.ics", [404] * 8),
    ("post", "/me/calendar/", [LOGIN, 403, 302, 302, 403, 403, 403, 403]),
    ("get", "/me/calendar/", [405] * 8),
    ("get", "/admin/initiatives/initiative/", [ADMIN_LOGIN] * 4 + [200, 200, 200, ADMIN_LOGIN]),
    (
        "get",
        "/admin/initiatives/initiative/{initiative}/change/",
        [ADMIN_LOGIN] * 4 + [200, ADMIN_HOME, 200, ADMIN_LOGIN],
    ),
    ("get", "/admin/initiatives/meeting/", [ADMIN_LOGIN] * 4 + [200, 200, 200, ADMIN_LOGIN]),
    ("get", "/admin/initiatives/invitation/", [ADMIN_LOGIN] * 4 + [200, 200, 200, ADMIN_LOGIN]),
]


@pytest.fixture
def world(db):
    neda = coordinator("neda@example.org")
    initiative = InitiativeFactory(slug="crafts", coordinator=neda)
    reza = diplomat("reza@example.org")
    membership = Membership.objects.create(initiative=initiative, user=reza, state="accepted")
    meeting = MeetingFactory(initiative=initiative)
    invited = invitation(meeting, reza)
    feed = CalendarFeed.objects.create(user=reza, token="feed-token-of-reza-0123456789")
    ali = diplomat("ali@example.org")
    city_meeting = MeetingFactory(initiative=None, city=SisterCityFactory(), organiser=neda)
    invitation(city_meeting, ali)
    users = {
        "anonymous": None,
        "citizen": UserFactory(email="citizen@example.org"),
        "member": reza,
        "other_diplomat": ali,
        "coordinator": neda,
        "other_coordinator": coordinator("other@example.org"),
        "staff": staff(),
        "official": UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]),
    }
    keys = {
        "slug": initiative.slug,
        "initiative": initiative.pk,
        "meeting": meeting.pk,
        "city_meeting": city_meeting.pk,
        "membership": membership.pk,
        "token": rsvp_token(invited),
        "feed": feed.token,
    }
    return keys, users


@pytest.mark.parametrize(
    ("method", "url", "expected"), TABLE, ids=[f"{r[0]} {r[1]}" for r in TABLE]
)
def test_each_role_gets_what_it_should(client, world, method, url, expected):
    keys, users = world
    for role, answer in zip(ROLES, expected, strict=True):
        client.logout()
        if users[role]:
            client.force_login(users[role])
        response = getattr(client, method)(url.format(**keys))
        if answer == LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith("/accounts/login/"), role
        elif answer == ADMIN_LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith("/admin/login/"), role
        elif answer == ADMIN_HOME:
            assert response.status_code == 302, role
            assert response["Location"] == "/admin/", role
        else:
            assert response.status_code == answer, role


def test_a_coordinator_sees_only_their_own_initiatives_in_the_admin(client, world):
    keys, users = world
    InitiativeFactory(title_en="Someone else's", coordinator=users["other_coordinator"])

    client.force_login(users["coordinator"])
    html = client.get("/admin/initiatives/initiative/").content.decode()

    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert f"/admin/initiatives/initiative/{keys['initiative']}/change/" in html


def test_the_public_initiative_page_shows_no_personal_data_of_members(client, world):
    _keys, users = world

    html = client.get("/initiatives/crafts/").content.decode()

    member = users["member"]
    assert member.email not in html
    assert member.last_name not in html
    assert ">1<" in html  # the members count


def test_only_the_organiser_of_a_city_meeting_sees_whom_it_invited(client, world):
    keys, users = world
    page = f"/meetings/{keys['city_meeting']}/"
    csv = f"/meetings/{keys['city_meeting']}/invitees.csv"

    client.force_login(users["other_diplomat"])
    invitee_sees = client.get(page).content.decode()
    client.force_login(users["coordinator"])
    organiser_sees = client.get(page).content.decode()

    assert csv not in invitee_sees
    assert csv in organiser_sees and "ali@example.org" in organiser_sees
