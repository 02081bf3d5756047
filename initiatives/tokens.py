"""Signed RSVP tokens: an e-mail's answer links work without signing in, for one invitation.

The token signs the invitation's and its meeting's ids with a salt used for nothing else, so a
token made for another purpose, altered, or naming another meeting is refused.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import Invitation

RSVP_SALT = "initiatives.rsvp"


class BadToken(Exception):
    """The link was altered, made for something else, or its invitation (or its invitee's
    account) is gone."""


class ExpiredToken(BadToken):
    """The link is older than RSVP_TOKEN_MAX_AGE_DAYS."""


def rsvp_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "m": invitation.meeting_id}, salt=RSVP_SALT)


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token was made for; BadToken or ExpiredToken when it cannot be used."""
    max_age = timedelta(days=settings.RSVP_TOKEN_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=RSVP_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredToken from None
    except signing.BadSignature:
        raise BadToken from None
    ids = (data.get("i"), data.get("m")) if isinstance(data, dict) else (None, None)
    if not all(isinstance(value, int) for value in ids):
        raise BadToken
    invitation = (
        Invitation.objects.select_related(
            "invitee", "meeting", "meeting__initiative", "meeting__city"
        )
        # A deactivated account's links stop working with it, like its sign-in.
        .filter(pk=ids[0], meeting_id=ids[1], invitee__is_active=True)
        .first()
    )
    if invitation is None:
        raise BadToken
    return invitation
