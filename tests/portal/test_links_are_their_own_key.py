"""Links that work without signing in (an RSVP answer, the calendar feed, the e-mail
confirmation, the password reset) are refused when altered, expired, used for another object or
another purpose, or when their account was deactivated.

(The calendar feed has no expiry: it is a private address for a calendar program to poll, which
ends when its owner replaces it; tests/initiatives/test_views.py shows the old one stops.)
"""

import datetime

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core import signing
from django.utils import timezone

from initiatives.models import Invitation
from initiatives.services import feeds
from initiatives.tokens import rsvp_token
from tests.factories import UserFactory
from tests.initiatives.factories import MeetingFactory, diplomat, invitation

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer new passphrase 42"


def altered(token: str, position: int) -> str:
    """The token with one character changed."""
    position %= len(token)
    swapped = "B" if token[position] == "A" else "A"
    return token[:position] + swapped + token[position + 1 :]


def later(monkeypatch, days: int) -> None:
    """Move the clock that signed links are checked against `days` ahead."""
    moment = timezone.now().timestamp() + days * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: moment)


@pytest.fixture
def invited():
    return invitation(MeetingFactory(title="Crafts board"), diplomat("reza@example.org"))


def answer_of(invitation: Invitation) -> str:
    return Invitation.objects.get(pk=invitation.pk).state


@pytest.mark.parametrize("position", [0, 5, 20, -10, -1])
def test_an_rsvp_link_altered_anywhere_answers_nothing(client, invited, position):
    token = altered(rsvp_token(invited), position)

    assert client.get(f"/rsvp/{token}/").status_code == 400
    assert client.post(f"/rsvp/{token}/", {"answer": "decline"}).status_code == 400
    assert answer_of(invited) == "sent"


def test_an_expired_rsvp_link_answers_nothing(client, invited, settings, monkeypatch):
    token = rsvp_token(invited)
    later(monkeypatch, settings.RSVP_TOKEN_MAX_AGE_DAYS + 1)

    assert client.post(f"/rsvp/{token}/", {"answer": "decline"}).status_code == 410
    assert answer_of(invited) == "sent"


def test_the_rsvp_link_of_a_withdrawn_invitation_is_refused(client, invited):
    token = rsvp_token(invited)
    meeting, person = invited.meeting, invited.invitee
    invited.delete()
    # The same person invited again gets a new invitation, which the old link does not name.
    again = invitation(meeting, person)

    assert client.post(f"/rsvp/{token}/", {"answer": "accept"}).status_code == 400
    assert answer_of(again) == "sent"


def test_a_deactivated_accounts_rsvp_link_stops_working(client, invited):
    token = rsvp_token(invited)
    invited.invitee.is_active = False
    invited.invitee.save(update_fields=["is_active"])

    assert client.get(f"/rsvp/{token}/").status_code == 400
    assert client.post(f"/rsvp/{token}/", {"answer": "accept"}).status_code == 400
    assert answer_of(invited) == "sent"


def test_links_of_one_kind_do_not_work_as_another(client, invited):
    feed = feeds.reset_calendar_feed(user=invited.invitee).token
    address = EmailAddress.objects.get(user=UserFactory(verified=False))
    confirmation = EmailConfirmationHMAC(address).key

    assert client.get(f"/rsvp/{feed}/").status_code == 400
    assert client.get(f"/rsvp/{confirmation}/").status_code == 400
    assert client.get(f"/calendar/{rsvp_token(invited)}.ics").status_code == 404
    client.post(f"/accounts/confirm-email/{rsvp_token(invited)}/")
    assert not EmailAddress.objects.get(pk=address.pk).verified


@pytest.fixture
def two_feeds():
    """Reza and Sara, each invited to a meeting of their own, each with a feed."""
    reza, sara = diplomat("reza@example.org"), diplomat("sara@example.org")
    invitation(MeetingFactory(title="Reza's board"), reza)
    invitation(MeetingFactory(title="Sara's workshop"), sara)
    return feeds.reset_calendar_feed(user=reza), feeds.reset_calendar_feed(user=sara)


@pytest.mark.parametrize("position", [0, 21, -1])
def test_an_altered_feed_link_is_refused(client, two_feeds, position):
    reza, _sara = two_feeds

    assert client.get(f"/calendar/{altered(reza.token, position)}.ics").status_code == 404


def test_a_feed_link_shows_only_its_owners_meetings(client, two_feeds):
    reza, _sara = two_feeds

    body = client.get(f"/calendar/{reza.token}.ics").content.decode()

    assert "Reza's board" in body
    assert "Sara's workshop" not in body


def test_a_deactivated_accounts_feed_stops_working(client, two_feeds):
    reza, sara = two_feeds
    reza.user.is_active = False
    reza.user.save(update_fields=["is_active"])

    assert client.get(f"/calendar/{reza.token}.ics").status_code == 404
    assert client.get(f"/calendar/{sara.token}.ics").status_code == 200


@pytest.fixture
def unverified():
    """Two people who signed up and have not followed their confirmation links yet."""
    first = UserFactory(email="first@example.org", verified=False)
    second = UserFactory(email="second@example.org", verified=False)
    return EmailAddress.objects.get(user=first), EmailAddress.objects.get(user=second)


def verified(address: EmailAddress) -> bool:
    return EmailAddress.objects.get(pk=address.pk).verified


def test_the_confirmation_link_confirms_its_own_address_only(client, unverified):
    first, second = unverified

    client.post(f"/accounts/confirm-email/{EmailConfirmationHMAC(first).key}/")

    assert verified(first) and not verified(second)


@pytest.mark.parametrize("position", [0, 3, -1])
def test_an_altered_confirmation_link_confirms_nothing(client, unverified, position):
    first, _second = unverified

    client.post(f"/accounts/confirm-email/{altered(EmailConfirmationHMAC(first).key, position)}/")

    assert not verified(first)


def test_an_expired_confirmation_link_confirms_nothing(client, unverified, monkeypatch):
    first, _second = unverified
    key = EmailConfirmationHMAC(first).key
    later(monkeypatch, account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS + 1)

    client.post(f"/accounts/confirm-email/{key}/")

    assert not verified(first)


def test_a_confirmation_link_for_a_removed_address_confirms_nothing(client, unverified):
    first, _second = unverified
    key = EmailConfirmationHMAC(first).key
    user = first.user
    first.delete()
    replacement = EmailAddress.objects.create(user=user, email="new@example.org", primary=True)

    client.post(f"/accounts/confirm-email/{key}/")

    assert not verified(replacement)


@pytest.fixture
def citizen_with_password():
    return UserFactory(email="sara@example.org")


def reset_link(user, key: str | None = None) -> str:
    key = key or default_token_generator.make_token(user)
    return f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"


def reset_with(client, link: str, password: str = NEW_PASSWORD) -> bool:
    """Follow a reset link and choose `password`; whether the password is now that."""
    response = client.get(link)
    target = response["Location"] if response.status_code == 302 else link
    client.post(target, {"password1": password, "password2": password})
    changed = client.login(email="sara@example.org", password=password)
    client.logout()
    return changed


def test_a_good_reset_link_sets_the_password(client, citizen_with_password):
    assert reset_with(client, reset_link(citizen_with_password))


@pytest.mark.parametrize("position", [-1, -8])
def test_an_altered_reset_link_changes_nothing(client, citizen_with_password, position):
    key = altered(default_token_generator.make_token(citizen_with_password), position)

    assert not reset_with(client, reset_link(citizen_with_password, key))


def test_an_expired_reset_link_changes_nothing(
    client, citizen_with_password, settings, monkeypatch
):
    link = reset_link(citizen_with_password)
    timeout = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    moment = datetime.datetime.now() + timeout
    monkeypatch.setattr(default_token_generator, "_now", lambda: moment)

    assert not reset_with(client, link)


def test_a_reset_link_works_once(client, citizen_with_password):
    link = reset_link(citizen_with_password)

    assert reset_with(client, link)
    assert not reset_with(client, link, password="yet another passphrase 77")


def test_a_reset_link_for_one_account_does_not_reset_another(client, citizen_with_password):
    other = UserFactory(email="other@example.org")
    key = default_token_generator.make_token(other)

    assert not reset_with(client, reset_link(citizen_with_password, key))
