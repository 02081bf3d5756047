"""Answering from the e-mail: a signed, single-purpose token; a POST answers, a GET never."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from initiatives.models import Invitation, Meeting
from initiatives.tokens import RSVP_SALT, rsvp_token

from .factories import MeetingFactory, invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited():
    return invitation(MeetingFactory(title="Crafts board"))


def state(invitation):
    return Invitation.objects.get(pk=invitation.pk).state


def test_opening_the_link_shows_the_meeting_and_answers_nothing(client, invited):
    response = client.get(f"/rsvp/{rsvp_token(invited)}/?answer=accept")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Crafts board" in html
    assert 'value="accept"' in html and 'value="decline"' in html and 'value="maybe"' in html
    assert "Press the button to confirm your answer." in html
    assert state(invited) == "sent"


def test_pressing_a_button_answers_without_signing_in(client, invited):
    token = rsvp_token(invited)

    response = client.post(f"/rsvp/{token}/", {"answer": "accept"}, follow=True)

    assert state(invited) == "accepted"
    assert "You answered: Accepted." in response.content.decode()


def test_an_altered_token_gets_a_friendly_page_and_answers_nothing(client, invited):
    token = rsvp_token(invited)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    for response in (
        client.get(f"/rsvp/{altered}/"),
        client.post(f"/rsvp/{altered}/", {"answer": "accept"}),
    ):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert state(invited) == "sent"


def test_a_token_naming_another_meeting_is_refused(client, invited):
    other = MeetingFactory()
    forged = signing.dumps({"i": invited.pk, "m": other.pk}, salt=RSVP_SALT)

    response = client.post(f"/rsvp/{forged}/", {"answer": "decline"})

    assert response.status_code == 400
    assert state(invited) == "sent"


def test_a_token_signed_for_another_purpose_is_refused(client, invited):
    elsewhere = signing.dumps({"i": invited.pk, "m": invited.meeting_id}, salt="some.other.use")

    assert client.get(f"/rsvp/{elsewhere}/").status_code == 400


def test_an_expired_token_is_refused_with_its_own_message(client, invited, settings, monkeypatch):
    settings.RSVP_TOKEN_MAX_AGE_DAYS = 30
    token = rsvp_token(invited)
    later = timezone.now().timestamp() + 31 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(f"/rsvp/{token}/", {"answer": "accept"})

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert state(invited) == "sent"


def test_an_answer_to_a_cancelled_meeting_is_refused_with_a_message(client, invited):
    Meeting.objects.filter(pk=invited.meeting_id).update(status=Meeting.Status.CANCELLED)
    token = rsvp_token(invited)

    page = client.get(f"/rsvp/{token}/").content.decode()
    response = client.post(f"/rsvp/{token}/", {"answer": "accept"}, follow=True)

    assert "This meeting was cancelled; there is nothing to answer." in page
    assert "This meeting was cancelled." in response.content.decode()
    assert state(invited) == "sent"


def test_an_answer_after_the_meeting_is_refused(client, invited):
    Meeting.objects.filter(pk=invited.meeting_id).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )

    response = client.post(f"/rsvp/{rsvp_token(invited)}/", {"answer": "accept"}, follow=True)

    assert "This meeting is over" in response.content.decode()
    assert state(invited) == "sent"


def test_the_token_of_one_invitee_answers_only_for_them(client, invited):
    neighbour = invitation(invited.meeting)

    client.post(f"/rsvp/{rsvp_token(invited)}/", {"answer": "decline"})

    assert (state(invited), state(neighbour)) == ("declined", "sent")


def test_a_signed_in_invitee_answers_on_the_meeting_page(client, invited):
    client.force_login(invited.invitee)

    client.post(f"/meetings/{invited.meeting_id}/rsvp/", {"answer": "maybe"})
    html = client.get(f"/meetings/{invited.meeting_id}/").content.decode()

    assert state(invited) == "tentative"
    assert 'aria-pressed="true"' in html
