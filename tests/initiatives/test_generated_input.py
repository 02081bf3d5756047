"""Generated input thrown at every form and filter of initiatives and sister cities: never a
server error, and never a write to a field the form does not offer.

Forms that go together share a test, each example sending to every one of them: each form
still gets HYPOTHESIS_EXAMPLES inputs, with fewer tests to set up and shrink. Values are drawn
near the valid ones as well as far from them, so that forms are also accepted and saved.
"""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from initiatives.models import Initiative, Invitation, Meeting, Membership
from initiatives.tokens import rsvp_token
from tests.factories import SisterCityFactory
from tests.helpers import SignedInClient
from tests.initiatives.factories import (
    InitiativeFactory,
    MeetingFactory,
    coordinator,
    diplomat,
    invitation,
    member,
)
from tests.portal.test_generated_input import FUZZ, TEXT, VALUE, answered, answered_in_full

# Fields no form here offers: whatever is sent for them must change nothing.
NOT_OFFERED = [
    "id",
    "pk",
    "organiser",
    "coordinator",
    "status",
    "state",
    "sequence",
    "uid",
    "invitee",
    "user",
    "meeting",
    "created_at",
    "is_staff",
]


def form(fields: dict[str, tuple[list, list]]):
    """Forms with a few fields spoiled (an odd value, or anything at all) and the others good,
    so that whole forms are accepted and saved too; plus fields the form does not offer."""

    def spoil(names):
        return st.fixed_dictionaries(
            {
                name: (st.sampled_from(odd) | TEXT if odd else TEXT)
                if name in names
                else st.sampled_from(good)
                for name, (good, odd) in fields.items()
            }
        )

    offered = st.sets(st.sampled_from(list(fields))).flatmap(spoil)
    extra = st.dictionaries(st.sampled_from(NOT_OFFERED), VALUE, max_size=3)
    return st.tuples(offered, extra).map(lambda both: {**both[1], **both[0]})


MEETING = {
    "initiative": (["crafts"], ["", "music"]),
    "city": ([""], ["florence"]),
    "title": (["Board meeting"], ["x" * 200, "x" * 201, "\x00"]),
    "kind": (Meeting.Kind.values, []),
    "date": (
        ["2031-05-01", "1410/02/11", "۱۴۱۰/۰۲/۱۱"],
        ["9999-12-31", "1699/12/29", "0001-01-01", "99999-01-01", "2031-02-30", "1/1/1"],
    ),
    "start_time": (["10:00"], ["23:59", "00:00", "25:00"]),
    "end_time": (["12:00"], ["23:59", "00:00", "09:00"]),
    "timezone": (["Asia/Tehran"], ["America/New_York", "Etc/GMT+12", "Pacific/Kiritimati"]),
    "place": (["City hall"], ["", "x" * 301]),
    "online_link": ([""], ["https://meet.example.org/board", "javascript:alert(1)"]),
    "agenda": (["1. Budget"], []),
    "capacity": (
        ["", "1", "5", "100"],
        ["0", "-1", "2147483647", "2147483648", "99999999999999999999"],
    ),
}


@pytest.fixture
def world(db):
    """A coordinator with an initiative and a meeting, a member invited to it, and another
    coordinator's initiative."""
    city = SisterCityFactory(name_en="Florence", slug="florence")
    neda = coordinator("neda@example.org")
    crafts = InitiativeFactory(slug="crafts", coordinator=neda, cities=[city])
    InitiativeFactory(slug="music", coordinator=coordinator("other@example.org"))
    reza = diplomat("reza@example.org")
    member(crafts, reza)
    meeting = MeetingFactory(initiative=crafts, organiser=neda, capacity=5)
    return {
        "city": city,
        "coordinator": neda,
        "initiative": crafts,
        "diplomat": reza,
        "meeting": meeting,
        "invitation": invitation(meeting, reza),
        "neighbour": invitation(meeting, diplomat("sara@example.org")),
    }


@pytest.fixture
def as_coordinator(client, world):
    client.force_login(world["coordinator"])
    return client


@pytest.fixture
def as_diplomat(client, world):
    client.force_login(world["diplomat"])
    return client


def meeting_fields(meeting: Meeting) -> tuple:
    """What no form may change: where the meeting belongs, who runs it, its calendar UID."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (meeting.initiative_id, meeting.city_id, meeting.organiser_id, meeting.uid)


@given(query=st.dictionaries(st.sampled_from(["q", "city", "field", "status", "page"]), VALUE))
@FUZZ
def test_the_initiative_and_sister_city_lists(client, world, query):
    for url in ("/initiatives/", "/cities/"):
        assert answered_in_full(client.get(url, query), query), url


@given(slug=TEXT)
@FUZZ
def test_any_initiative_or_city_address(client, world, slug):
    for url in (f"/initiatives/{quote(slug, safe='')}/", f"/cities/{quote(slug, safe='')}/"):
        assert answered(client.get(url), slug, 200, 404), url


@given(new=form(MEETING), change=form(MEETING))
@FUZZ
def test_the_meeting_forms(as_coordinator, world, new, change):
    client, neda, meeting = as_coordinator, world["coordinator"], world["meeting"]
    before = meeting_fields(meeting)

    assert answered(client.post("/meetings/new/", new), new, 200, 302)
    assert answered(client.post(f"/meetings/{meeting.pk}/edit/", change), change, 200, 302)

    assert meeting_fields(meeting) == before
    latest = timezone.now() + datetime.timedelta(days=10 * 365)  # the furthest one may plan
    for scheduled in Meeting.objects.all():
        assert scheduled.status == Meeting.Status.SCHEDULED
        assert scheduled.capacity is None or 1 <= scheduled.capacity <= 100_000
        assert scheduled.starts_at <= latest
        if scheduled.pk != meeting.pk:
            assert scheduled.organiser_id == neda.pk and scheduled.sequence == 0
            assert scheduled.initiative_id in (None, world["initiative"].pk)


INITIATIVE = {
    "title_en": (["Tile makers"], ["", "x" * 200, "x" * 201, "<script>alert(1)</script>"]),
    "title_fa": (["کاشی‌کاران"], ["", "x" * 201]),
    "slug": (["", "tiles"], ["new", "crafts", "music", "x" * 81, "Tiles!", "-", "a--b"]),
    "cities": (["florence"], ["", "no-such-city"]),
    "field": (["handicrafts", "cultural"], []),
    "status": (Initiative.Status.values, []),
    "starts_on": (
        ["", "2031-05-01", "1410/02/11", "۱۴۱۰/۰۲/۱۱"],
        ["9999-12-31", "0001-01-01", "2031-02-30", "1699/12/29"],
    ),
    "ends_on": (["", "2031-06-01"], ["2031-04-01", "1/1/1"]),
    "description_en": ([""], ["<script>alert(1)</script>"]),
    "description_fa": ([""], []),
}


@given(new=form(INITIATIVE), change=form(INITIATIVE))
@FUZZ
def test_the_initiative_forms(as_coordinator, world, new, change):
    client, neda = as_coordinator, world["coordinator"]
    music = Initiative.objects.get(slug="music")
    before = (music.title_en, music.coordinator_id, music.updated_at)
    # Its address may have changed in an earlier example.
    crafts = Initiative.objects.get(pk=world["initiative"].pk)

    assert answered(client.post("/initiatives/new/", new), new, 200, 302)
    assert answered(client.post(f"/initiatives/{crafts.slug}/edit/", change), change, 200, 302)
    assert answered(client.post("/initiatives/music/edit/", change), change, 404)

    music.refresh_from_db()
    assert (music.title_en, music.coordinator_id, music.updated_at) == before
    for initiative in Initiative.objects.exclude(pk=music.pk).prefetch_related("cities"):
        assert initiative.coordinator_id == neda.pk
        assert [city.slug for city in initiative.cities.all()] == ["florence"]
        assert initiative.slug not in ("new", "music")


INVITE = {
    "mode": (["members", "matching", "people"], []),
    "field": (["", "cultural", "economic"], []),
    "language": (["", "en", "it", "fa"], []),
    "city": (["", "florence"], []),
    "emails": (["reza@example.org", "sara@example.org, reza@example.org"], ["nobody@x.org"]),
}


@given(data=form(INVITE), query=st.dictionaries(st.sampled_from(["page"]), VALUE))
@FUZZ
def test_the_invitation_forms_and_the_invitee_list(as_coordinator, world, data, query):
    client, meeting = as_coordinator, world["meeting"]
    before = meeting_fields(meeting)

    assert client.post(f"/meetings/{meeting.pk}/invite/", data).status_code in (302, 400)
    assert answered_in_full(client.get(f"/meetings/{meeting.pk}/", query), query)
    assert answered_in_full(client.get(f"/meetings/{meeting.pk}/invitees.csv", query), query)

    assert meeting_fields(meeting) == before
    for invited in Invitation.objects.select_related("invitee"):
        assert invited.meeting_id == meeting.pk
        assert invited.invitee.is_diplomat and invited.invitee.is_active


ANSWER = {"answer": (["accept", "decline", "maybe"], [])}


@given(by_link=form(ANSWER), signed_in=form(ANSWER), chosen=TEXT)
@FUZZ
def test_the_rsvp_forms(as_diplomat, world, by_link, signed_in, chosen):
    client, mine, neighbour = as_diplomat, world["invitation"], world["neighbour"]
    meeting = world["meeting"]
    token = rsvp_token(mine)
    neighbours_answer = Invitation.objects.get(pk=neighbour.pk).state

    query = {"answer": chosen}
    assert answered_in_full(client.get(f"/rsvp/{token}/", query), query)
    assert answered(client.post(f"/rsvp/{token}/", by_link), by_link, 302)
    assert answered(client.post(f"/meetings/{meeting.pk}/rsvp/", signed_in), signed_in, 302)

    mine = Invitation.objects.get(pk=mine.pk)
    assert mine.state in ("sent", "accepted", "declined", "tentative", "waitlisted")
    assert (mine.invitee_id, mine.meeting_id) == (world["diplomat"].pk, meeting.pk)
    assert Invitation.objects.get(pk=neighbour.pk).state == neighbours_answer
    assert Meeting.objects.get(pk=meeting.pk).sequence == meeting.sequence


@pytest.fixture
def applicant_and_coordinator(client, world):
    """Two clients: a diplomat who asks to join, and the coordinator who answers."""
    client.force_login(diplomat("ali@example.org"))
    answering = SignedInClient()
    answering.force_login(world["coordinator"])
    return client, answering


@given(join=st.dictionaries(st.sampled_from(NOT_OFFERED), VALUE), decision=TEXT)
@FUZZ
def test_joining_and_the_coordinators_members_page(
    applicant_and_coordinator, world, join, decision
):
    applicant, answering = applicant_and_coordinator
    initiative = world["initiative"]

    assert answered(applicant.post("/initiatives/crafts/join/", join), join, 302)
    assert answered(applicant.post("/initiatives/crafts/leave/", join), join, 302)
    asked = Membership.objects.get(initiative=initiative, user__email="ali@example.org")
    Membership.objects.filter(pk=asked.pk).update(state=Membership.State.REQUESTED)
    path = f"/initiatives/crafts/members/{asked.pk}/{quote(decision, safe='')}/"
    assert answered(answering.post(path, join), [join, decision], 302, 404)
    assert answered_in_full(answering.get("/initiatives/crafts/members/", join), join)

    assert Membership.objects.get(pk=asked.pk).state in ("requested", "accepted", "declined")
    assert set(Membership.objects.values_list("user__email", flat=True)) == {
        "reza@example.org",
        "ali@example.org",
    }
    initiative_now = Initiative.objects.get(pk=initiative.pk)
    assert (initiative_now.coordinator_id, initiative_now.status) == (
        initiative.coordinator_id,
        initiative.status,
    )
