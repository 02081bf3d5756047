"""The coordinator's desk: what it lists, writing to members and invitees, and the waiting
list of a full meeting; each for the coordinator's own initiatives and meetings only."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import Notification, OutgoingEmail
from initiatives.models import Invitation, MemberMessage, Membership
from initiatives.services import InitiativeError
from initiatives.services.invitations import (
    move_up_waiting_list,
    offer_free_seats,
    respond,
    waiting_list,
)
from initiatives.services.messages import MAX_BODY, write_to_people
from tests.factories import SisterCityFactory, UserFactory

from .factories import InitiativeFactory, MeetingFactory, diplomat, invitation, member, staff

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


def full_meeting(capacity=1, waiting=2, **fields):
    """A meeting with its seats taken and people waiting, the earliest first."""
    meeting = MeetingFactory(capacity=capacity, **fields)
    for _ in range(capacity):
        invitation(meeting, state=Invitation.State.ACCEPTED)
    now = timezone.now()
    queue = [
        invitation(
            meeting,
            diplomat(first_name=f"Waiting{n}", last_name="Person"),
            state=Invitation.State.WAITLISTED,
            waitlisted_at=now - timedelta(hours=waiting - n),
        )
        for n in range(waiting)
    ]
    return meeting, queue


# The desk


def test_the_desk_lists_a_coordinators_own_initiatives_requests_meetings_and_what_needs_doing(
    client,
):
    mine = InitiativeFactory(title_en="Crafts exchange")
    theirs = InitiativeFactory(title_en="Port cities forum")
    member(mine)
    member(mine, diplomat(first_name="Ali", last_name="Asker"), state=Membership.State.REQUESTED)
    member(theirs, diplomat(first_name="Other", last_name="Asker"), state="requested")
    meeting, _queue = full_meeting(initiative=mine, title="Workshop visit")
    invitation(meeting, state=Invitation.State.DECLINED)
    MeetingFactory(initiative=theirs, title="Their board")
    past = MeetingFactory(
        initiative=mine,
        title="Last spring's board",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30) + timedelta(hours=2),
    )
    invitation(past, state=Invitation.State.ACCEPTED)
    client.force_login(mine.coordinator)

    html = html_of(client.get("/desk/"))

    assert "Crafts exchange" in html and "Port cities forum" not in html
    assert "Ali Asker" in html and "Other Asker" not in html
    assert "1 request to join waits for your answer" in html
    assert "“Workshop visit” is full; 2 waiting" in html
    assert "Workshop visit" in html and "Their board" not in html
    assert "Last spring&#x27;s board" in html
    # Accepted 1, maybe 0, declined 1, waiting 2, no answer 0.
    assert (
        "<td>1</td>\n              <td>0</td>\n              <td>1</td>\n              <td>2</td>"
        in html
    )


def test_staff_see_every_initiative_on_the_desk_a_page_at_a_time(client):
    for n in range(21):
        InitiativeFactory(title_en=f"Initiative {n:02}")
    client.force_login(staff())

    first, second = html_of(client.get("/desk/")), html_of(client.get("/desk/?page=2"))

    assert "Initiative 00" in first and "Initiative 19" in first and "Initiative 20" not in first
    assert "Initiative 20" in second


def test_people_who_coordinate_nothing_are_refused_the_desk(client):
    client.force_login(diplomat())
    assert client.get("/desk/").status_code == 403


def test_a_join_request_accepted_from_the_desk_returns_to_the_desk(client):
    initiative = InitiativeFactory()
    request = member(initiative, state=Membership.State.REQUESTED)
    client.force_login(initiative.coordinator)

    answer = client.post(
        f"/initiatives/{initiative.slug}/members/{request.pk}/accept/", {"back": "desk"}
    )

    assert answer["Location"] == "/desk/"
    request.refresh_from_db()
    assert request.state == Membership.State.ACCEPTED


def _populate(initiatives: int, coordinator):
    for _ in range(initiatives):
        initiative = InitiativeFactory(coordinator=coordinator)
        member(initiative)
        member(initiative, state=Membership.State.REQUESTED)
        meeting, _queue = full_meeting(initiative=initiative)
        MemberMessage.objects.create(
            initiative=initiative, subject="Hello", body="Hi", recipients=1, key=uuid.uuid4()
        )
        past = MeetingFactory(
            initiative=initiative,
            starts_at=timezone.now() - timedelta(days=3),
            ends_at=timezone.now() - timedelta(days=2),
        )
        invitation(past, state=Invitation.State.ACCEPTED)


def test_the_desk_runs_as_many_queries_with_two_initiatives_as_with_twelve(client):
    coordinator = InitiativeFactory().coordinator
    client.force_login(coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/desk/").status_code == 200
        return len(captured)

    queries()  # the session's first request records what later ones only read
    _populate(2, coordinator)
    small = queries()
    _populate(10, coordinator)
    assert queries() == small


# Writing to members and invitees


def test_a_coordinator_previews_then_sends_to_the_members_each_in_their_language(
    client, django_capture_on_commit_callbacks
):
    initiative = InitiativeFactory(title_en="Crafts exchange", title_fa="تبادل صنایع دستی")
    english = member(initiative, diplomat(preferred_language="en")).user
    persian = member(initiative, diplomat(preferred_language="fa")).user
    member(initiative, state=Membership.State.REQUESTED)  # not a member yet: not written to
    client.force_login(initiative.coordinator)
    url = f"/initiatives/{initiative.slug}/write/".replace("/initiatives/", "/desk/initiatives/")
    form = html_of(client.get(url))
    assert "This message will reach 2 members." in form
    key = str(uuid.uuid4())
    data = {"subject": "Workshop <b>dates</b>", "body": "See you\n<script>x()</script>", "key": key}

    preview = html_of(client.post(url, {**data, "action": "preview"}))

    assert "Workshop &lt;b&gt;dates&lt;/b&gt;" in preview
    assert "&lt;script&gt;x()&lt;/script&gt;" in preview and "<script>x()" not in preview
    assert "Send to 2 people" in preview
    assert not OutgoingEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "action": "send"})

    assert sent["Location"] == "/desk/"
    emails = {email.to: email for email in OutgoingEmail.objects.all()}
    assert set(emails) == {english.email, persian.email}
    assert emails[english.email].subject == "Workshop <b>dates</b>"
    assert "<script>" in emails[english.email].body_text
    html = emails[english.email].body_html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>" not in html
    assert "Workshop &lt;b&gt;dates&lt;/b&gt;" in html
    assert "Crafts exchange" in html
    assert 'dir="rtl"' in emails[persian.email].body_html
    assert "تبادل صنایع دستی" in emails[persian.email].body_html
    assert Notification.objects.filter(kind="members_message").count() == 2
    (message,) = MemberMessage.objects.all()
    assert (message.initiative, message.recipients, str(message.key)) == (initiative, 2, key)
    assert "Workshop &lt;b&gt;dates&lt;/b&gt;" in html_of(client.get("/desk/"))


def test_the_same_form_sent_twice_reaches_each_member_once(client):
    initiative = InitiativeFactory()
    member(initiative)
    client.force_login(initiative.coordinator)
    data = {"subject": "Dates", "body": "Hello", "key": str(uuid.uuid4()), "action": "send"}
    url = f"/desk/initiatives/{initiative.slug}/write/"

    client.post(url, data)
    again = client.post(url, data)

    assert "This message was sent already." in html_of(again)
    assert OutgoingEmail.objects.count() == 1
    assert MemberMessage.objects.count() == 1


def test_a_coordinator_may_send_only_so_many_messages_an_hour(
    settings, django_capture_on_commit_callbacks
):
    settings.DESK_MESSAGES_PER_HOUR = 2
    initiative = InitiativeFactory()
    member(initiative)

    def send():
        return write_to_people(
            sender=initiative.coordinator,
            initiative=initiative,
            subject="News",
            body="Hello",
            key=uuid.uuid4(),
        )

    for _ in range(2):
        # Counted once the message is committed.
        with django_capture_on_commit_callbacks(execute=True):
            send()
    with pytest.raises(InitiativeError, match="most messages allowed in an hour"):
        send()


@pytest.mark.parametrize(
    ("subject", "body", "problem"),
    [
        ("", "Hello", "This field is required."),
        ("News", "   ", "This field is required."),
        ("News", "x" * (MAX_BODY + 1), "Ensure this value has at most 10000 characters"),
        ("x" * 201, "Hello", "Ensure this value has at most 200 characters"),
    ],
)
def test_an_empty_or_enormous_message_is_refused_with_a_reason_and_nothing_is_sent(
    client, subject, body, problem
):
    initiative = InitiativeFactory()
    member(initiative)
    client.force_login(initiative.coordinator)
    data = {"subject": subject, "body": body, "key": str(uuid.uuid4()), "action": "send"}

    answer = client.post(f"/desk/initiatives/{initiative.slug}/write/", data)

    assert answer.status_code == 200
    assert problem in html_of(answer)
    assert not OutgoingEmail.objects.exists() and not MemberMessage.objects.exists()


def test_a_forged_post_to_another_coordinators_initiative_or_meeting_sends_nothing(client):
    theirs = InitiativeFactory()
    member(theirs)
    meeting = MeetingFactory(initiative=theirs)
    invitation(meeting)
    client.force_login(InitiativeFactory().coordinator)
    data = {"subject": "Hi", "body": "Hello", "key": str(uuid.uuid4()), "action": "send"}

    assert client.post(f"/desk/initiatives/{theirs.slug}/write/", data).status_code == 404
    assert client.post(f"/desk/meetings/{meeting.pk}/write/", data).status_code == 404
    assert not OutgoingEmail.objects.exists()
    with pytest.raises(InitiativeError):
        write_to_people(
            sender=InitiativeFactory().coordinator,
            meeting=meeting,
            subject="Hi",
            body="Hello",
            key=uuid.uuid4(),
        )


def test_a_meetings_invitees_who_declined_are_not_written_to(client):
    meeting = MeetingFactory(initiative=None, city=SisterCityFactory(name_en="Porto"))
    meeting.organiser = InitiativeFactory().coordinator
    meeting.save()
    coming = invitation(meeting, state=Invitation.State.ACCEPTED)
    invitation(meeting, state=Invitation.State.DECLINED)
    client.force_login(meeting.organiser)
    url = f"/desk/meetings/{meeting.pk}/write/"
    assert "reach 1 invitee" in html_of(client.get(url))

    client.post(url, {"subject": "Room", "body": "Room 2", "key": uuid.uuid4(), "action": "send"})

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [coming.invitee.email]
    assert MemberMessage.objects.get().meeting == meeting


# The waiting list


def test_the_waiting_list_shows_who_waits_in_order_and_moves_someone_up(client):
    meeting, (first, second) = full_meeting()
    client.force_login(meeting.initiative.coordinator)
    url = f"/desk/meetings/{meeting.pk}/waiting-list/"
    html = html_of(client.get(url))
    assert html.index("Waiting0 Person") < html.index("Waiting1 Person")
    assert "Move Waiting0 Person up" not in html  # the first cannot go further up

    moved = client.post(f"{url}{second.pk}/up/")

    assert moved["Location"] == url
    assert list(waiting_list(meeting)) == [second, first]


def test_moving_up_the_first_or_someone_not_waiting_is_refused():
    meeting, (first, _second) = full_meeting()
    coordinator = meeting.initiative.coordinator
    with pytest.raises(InitiativeError, match="first on the waiting list"):
        move_up_waiting_list(invitation=first, actor=coordinator)
    seated = meeting.invitations.get(state=Invitation.State.ACCEPTED)
    with pytest.raises(InitiativeError, match="not on the waiting list"):
        move_up_waiting_list(invitation=seated, actor=coordinator)


def test_people_waiting_since_the_same_moment_can_still_be_reordered():
    meeting, (first, second) = full_meeting()
    Invitation.objects.filter(pk=second.pk).update(waitlisted_at=first.waitlisted_at)
    move_up_waiting_list(invitation=second, actor=meeting.initiative.coordinator)
    assert list(waiting_list(meeting)) == [second, first]


def test_a_seat_given_up_goes_to_whoever_the_coordinator_moved_to_the_front(
    django_capture_on_commit_callbacks,
):
    meeting, (first, second) = full_meeting()
    move_up_waiting_list(invitation=second, actor=meeting.initiative.coordinator)

    respond(invitation=meeting.invitations.get(state="accepted"), answer="decline")

    second.refresh_from_db(), first.refresh_from_db()
    assert (second.state, first.state) == ("accepted", "waitlisted")
    assert Notification.objects.get(kind="waitlist_promoted").recipient == second.invitee


def test_offering_a_free_seat_promotes_the_first_waiting_as_an_answer_would(client):
    meeting, (first, second) = full_meeting(capacity=2, waiting=2)
    # A seat freed outside the answers (say, in the admin): the coordinator offers it.
    Invitation.objects.filter(meeting=meeting, state="accepted").first().delete()
    client.force_login(meeting.initiative.coordinator)

    client.post(f"/desk/meetings/{meeting.pk}/offer-seat/")

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == ("accepted", "waitlisted")
    assert Notification.objects.get(kind="waitlist_promoted").recipient == first.invitee
    with pytest.raises(InitiativeError, match="No seat is free"):
        offer_free_seats(meeting=meeting, actor=meeting.initiative.coordinator)


def test_a_forged_move_up_on_another_coordinators_meeting_is_refused(client):
    meeting, (_first, second) = full_meeting()
    client.force_login(InitiativeFactory().coordinator)

    answer = client.post(f"/desk/meetings/{meeting.pk}/waiting-list/{second.pk}/up/")

    assert answer.status_code == 404
    assert list(waiting_list(meeting))[0] != second
    with pytest.raises(InitiativeError):
        move_up_waiting_list(invitation=second, actor=UserFactory())


# The navigation


def test_the_navigation_offers_the_desk_to_coordinators_and_staff_only(client):
    coordinator = InitiativeFactory().coordinator
    for person, shown in ((coordinator, True), (staff(), True), (diplomat(), False)):
        client.force_login(person)
        assert ('href="/desk/"' in html_of(client.get("/"))) is shown


@pytest.mark.django_db(transaction=True)
def test_two_presses_of_send_at_once_reach_each_member_once():
    initiative = InitiativeFactory()
    member(initiative)
    key = uuid.uuid4()
    outcomes = []

    def press():
        try:
            write_to_people(
                sender=initiative.coordinator,
                initiative=initiative,
                subject="Dates",
                body="Hello",
                key=key,
            )
            outcomes.append("sent")
        except InitiativeError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    presses = [threading.Thread(target=press) for _ in range(2)]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join()

    assert sorted(outcomes) == ["This message was sent already.", "sent"]
    assert MemberMessage.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1
