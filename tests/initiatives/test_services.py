"""The rules of joining, scheduling, inviting and answering, through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.models import Notification, User
from initiatives.models import Invitation, Meeting, Membership
from initiatives.services import InitiativeError, invitations, meetings, memberships
from tests.factories import UserFactory

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


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def meeting_details(**changes):
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    return {
        "title": "Working session",
        "kind": Meeting.Kind.WORKING_SESSION,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "timezone": "Asia/Tehran",
        "place": "City hall",
        "online_link": "",
        "agenda": "",
        "capacity": None,
        **changes,
    }


# Joining


def test_a_diplomat_asks_to_join_and_the_coordinator_is_told():
    initiative = InitiativeFactory()
    reza = diplomat()

    membership = memberships.request_to_join(initiative=initiative, user=reza)

    assert membership.state == Membership.State.REQUESTED
    assert kinds(initiative.coordinator) == ["membership_requested"]


def _unread_requests(user):
    return Notification.objects.filter(
        recipient=user, kind="membership_requested", read_at__isnull=True
    )


@pytest.mark.parametrize("accept", [True, False])
def test_the_coordinators_notice_of_a_request_is_done_once_anyone_answers_it(accept):
    initiative = InitiativeFactory()
    reza, sara = diplomat(), diplomat()
    memberships.request_to_join(initiative=initiative, user=reza)
    memberships.request_to_join(initiative=initiative, user=sara)
    elsewhere = InitiativeFactory(coordinator=initiative.coordinator)
    memberships.request_to_join(initiative=elsewhere, user=reza)
    assert _unread_requests(initiative.coordinator).count() == 3

    memberships.decide_membership(
        membership=initiative.memberships.get(user=reza),
        coordinator=staff(),  # not the coordinator
        accept=accept,
    )

    # Only the answered request's notice: Sara's and Reza's other one still wait.
    waiting = _unread_requests(initiative.coordinator)
    assert sorted(n.context["initiative_id"] for n in waiting) == sorted(
        [initiative.pk, elsewhere.pk]
    )
    assert {n.about for n in waiting} == {sara, reza}


def test_a_request_taken_back_leaves_the_coordinator_nothing_to_do():
    initiative = InitiativeFactory()
    reza = diplomat()
    memberships.request_to_join(initiative=initiative, user=reza)

    memberships.leave_initiative(initiative=initiative, user=reza)

    assert not _unread_requests(initiative.coordinator).exists()


def test_a_join_request_from_someone_who_is_not_a_diplomat_is_refused_clearly():
    initiative = InitiativeFactory()

    with pytest.raises(InitiativeError, match="Only citizen diplomats can join"):
        memberships.request_to_join(initiative=initiative, user=UserFactory())

    assert not Membership.objects.exists()


def test_asking_twice_is_refused_and_tells_the_coordinator_once():
    initiative = InitiativeFactory()
    reza = diplomat()
    memberships.request_to_join(initiative=initiative, user=reza)

    with pytest.raises(InitiativeError, match="already asked"):
        memberships.request_to_join(initiative=initiative, user=reza)

    assert kinds(initiative.coordinator) == ["membership_requested"]


@pytest.mark.parametrize(
    ("accept", "state", "kind"),
    [
        (True, "accepted", "membership_accepted"),
        (False, "declined", "membership_declined"),
    ],
)
def test_the_coordinator_answers_and_the_diplomat_is_told(accept, state, kind):
    initiative = InitiativeFactory()
    request = member(initiative, state=Membership.State.REQUESTED)

    memberships.decide_membership(
        membership=request, coordinator=initiative.coordinator, accept=accept
    )

    request.refresh_from_db()
    assert request.state == state
    assert kinds(request.user) == [kind]


def test_another_coordinator_cannot_answer_a_request():
    initiative = InitiativeFactory()
    request = member(initiative, state=Membership.State.REQUESTED)

    with pytest.raises(InitiativeError, match="do not coordinate"):
        memberships.decide_membership(
            membership=request, coordinator=coordinator("other@example.org"), accept=True
        )


def test_a_member_leaves_and_may_ask_again_later():
    initiative = InitiativeFactory()
    membership = member(initiative)

    memberships.leave_initiative(initiative=initiative, user=membership.user)
    again = memberships.request_to_join(initiative=initiative, user=membership.user)

    assert again.pk == membership.pk
    assert again.state == Membership.State.REQUESTED


# Scheduling: bad input is refused with a clear message and nothing is saved


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": timezone.now() + timedelta(days=4)}, "must end after it starts"),
        (
            {
                "starts_at": timezone.now() - timedelta(days=1),
                "ends_at": timezone.now() - timedelta(hours=23),
            },
            "cannot start in the past",
        ),
        ({"capacity": -3}, "Capacity must be at least 1"),
        ({"place": "", "online_link": ""}, "Give a place, an online link"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
    ],
    ids=["ends-before-it-starts", "in-the-past", "negative-capacity", "nowhere", "bad-zone"],
)
def test_a_meeting_with_bad_details_is_refused_and_nothing_saved(changes, message):
    initiative = InitiativeFactory()

    with pytest.raises(InitiativeError, match=message):
        meetings.schedule_meeting(
            organiser=initiative.coordinator,
            initiative=initiative,
            details=meeting_details(**changes),
        )

    assert not Meeting.objects.exists()


def test_a_coordinator_cannot_schedule_for_an_initiative_they_do_not_coordinate():
    initiative = InitiativeFactory()

    with pytest.raises(InitiativeError, match="do not coordinate"):
        meetings.schedule_meeting(
            organiser=coordinator("other@example.org"),
            initiative=initiative,
            details=meeting_details(),
        )


# Inviting


def test_inviting_members_twice_invites_each_once_and_puts_it_in_their_inbox(
    django_capture_on_commit_callbacks, mailoutbox
):
    meeting = MeetingFactory()
    people = [member(meeting.initiative).user for _ in range(3)]
    member(meeting.initiative, state=Membership.State.REQUESTED)  # not a member yet

    with django_capture_on_commit_callbacks(execute=True):
        first = invitations.invite_members(
            meeting=meeting, invited_by=meeting.initiative.coordinator
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = invitations.invite_members(
            meeting=meeting, invited_by=meeting.initiative.coordinator
        )

    assert (first, second) == (3, 0)
    assert meeting.invitations.count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    for person in people:
        (entry,) = Notification.objects.filter(recipient=person)
        assert entry.kind == "meeting_invitation"
        assert entry.email is None  # the invitation e-mail itself carries the calendar file


def test_inviting_someone_who_is_not_a_diplomat_is_refused_and_nobody_is_invited():
    meeting = MeetingFactory()
    people = [diplomat("a@example.org"), UserFactory(email="citizen@example.org")]

    with pytest.raises(InitiativeError, match="Not a citizen diplomat: .*citizen@example.org"):
        invitations.invite_people(
            meeting=meeting,
            people=User.objects.filter(pk__in=[p.pk for p in people]),
            invited_by=meeting.initiative.coordinator,
        )

    assert not Invitation.objects.exists()


def test_inviting_by_field_language_and_city_finds_the_matching_diplomats():
    from tests.factories import ApplicationFactory, SisterCityFactory

    florence, porto = SisterCityFactory(name_en="Florence"), SisterCityFactory(name_en="Porto")
    wanted = ApplicationFactory(
        fields_of_expertise=["cultural"], languages=[("it", "fluent")], preferred_cities=[florence]
    ).user
    other_field = ApplicationFactory(
        fields_of_expertise=["economic"], languages=[("it", "fluent")], preferred_cities=[florence]
    ).user
    other_city = ApplicationFactory(
        fields_of_expertise=["cultural"], languages=[("it", "basic")], preferred_cities=[porto]
    ).user
    not_diplomat = ApplicationFactory(
        fields_of_expertise=["cultural"], languages=[("it", "fluent")], preferred_cities=[florence]
    ).user
    for person in (wanted, other_field, other_city):
        person.diplomat_since = timezone.now()
        person.save()
    meeting = MeetingFactory()

    count = invitations.invite_matching(
        meeting=meeting,
        invited_by=meeting.initiative.coordinator,
        field="cultural",
        language="it",
        city=florence,
    )

    assert count == 1
    assert list(meeting.invitations.values_list("invitee", flat=True)) == [wanted.pk]
    assert not_diplomat.pk not in meeting.invitations.values_list("invitee", flat=True)


def test_nobody_can_be_invited_to_a_cancelled_meeting():
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    member(meeting.initiative)

    with pytest.raises(InitiativeError, match="cancelled"):
        invitations.invite_members(meeting=meeting, invited_by=meeting.initiative.coordinator)


# Answers, capacity and the waiting list


def test_once_full_an_acceptance_joins_the_waiting_list():
    meeting = MeetingFactory(capacity=2)
    first, second, third = (invitation(meeting) for _ in range(3))

    for each in (first, second, third):
        invitations.respond(invitation=each, answer="accept")

    states = [Invitation.objects.get(pk=i.pk).state for i in (first, second, third)]
    assert states == ["accepted", "accepted", "waitlisted"]


def test_a_decline_gives_the_seat_to_the_first_on_the_waiting_list_who_is_told():
    meeting = MeetingFactory(capacity=1)
    seated, early, late = (invitation(meeting) for _ in range(3))
    invitations.respond(invitation=seated, answer="accept")
    invitations.respond(invitation=early, answer="accept")
    invitations.respond(invitation=late, answer="accept")

    invitations.respond(invitation=seated, answer="decline")

    states = {i.pk: i.state for i in Invitation.objects.filter(meeting=meeting)}
    assert states == {seated.pk: "declined", early.pk: "accepted", late.pk: "waitlisted"}
    assert sorted(kinds(early.invitee)) == ["waitlist_promoted", "waitlisted"]
    assert kinds(late.invitee) == ["waitlisted"]


def test_a_maybe_from_someone_seated_frees_the_seat_too():
    meeting = MeetingFactory(capacity=1)
    seated, waiting = invitation(meeting), invitation(meeting)
    invitations.respond(invitation=seated, answer="accept")
    invitations.respond(invitation=waiting, answer="accept")

    invitations.respond(invitation=seated, answer="maybe")

    assert Invitation.objects.get(pk=waiting.pk).state == "accepted"


def test_raising_the_capacity_seats_those_waiting():
    meeting = MeetingFactory(capacity=1)
    seated, waiting = invitation(meeting), invitation(meeting)
    invitations.respond(invitation=seated, answer="accept")
    invitations.respond(invitation=waiting, answer="accept")

    from .test_ical import details

    meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={**details(meeting), "capacity": 2},
    )

    assert Invitation.objects.get(pk=waiting.pk).state == "accepted"


def test_the_capacity_cannot_go_below_those_who_accepted():
    meeting = MeetingFactory(capacity=2)
    for _ in range(2):
        invitations.respond(invitation=invitation(meeting), answer="accept")

    from .test_ical import details

    with pytest.raises(InitiativeError, match="cannot be lower"):
        meetings.update_meeting(
            meeting=meeting,
            actor=meeting.initiative.coordinator,
            details={**details(meeting), "capacity": 1},
        )


def test_an_answer_to_a_cancelled_meeting_is_refused():
    meeting = MeetingFactory()
    invited = invitation(meeting)
    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)

    with pytest.raises(InitiativeError, match="cancelled"):
        invitations.respond(invitation=invited, answer="accept")

    assert Invitation.objects.get(pk=invited.pk).state == "sent"


def test_an_unknown_answer_is_refused():
    invited = invitation(MeetingFactory())

    with pytest.raises(InitiativeError, match="accept, decline or maybe"):
        invitations.respond(invitation=invited, answer="perhaps-later")


# Reminders


def test_reminders_go_once_to_those_who_accepted_or_have_not_answered(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    soon = MeetingFactory(
        starts_at=timezone.now() + timedelta(hours=5), ends_at=timezone.now() + timedelta(hours=6)
    )
    later = MeetingFactory(starts_at=timezone.now() + timedelta(days=3))
    accepted = invitation(soon, state="accepted")
    unanswered = invitation(soon, state="sent")
    declined = invitation(soon, state="declined")
    waitlisted = invitation(soon, state="waitlisted")
    not_yet = invitation(later, state="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        first = invitations.send_due_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = invitations.send_due_reminders()

    assert (first, second) == (2, 0)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [accepted.invitee.email, unanswered.invitee.email]
    )
    for quiet in (declined, waitlisted, not_yet):
        assert kinds(quiet.invitee) == []
    assert kinds(accepted.invitee) == ["meeting_reminder"]


def test_a_cancelled_meeting_sends_no_reminder():
    meeting = MeetingFactory(
        starts_at=timezone.now() + timedelta(hours=5),
        ends_at=timezone.now() + timedelta(hours=6),
        status=Meeting.Status.CANCELLED,
    )
    invitation(meeting, state="accepted")

    assert invitations.send_due_reminders() == 0
