"""How each notice reaches its person: e-mail at once, the daily digest, or the inbox only.

Each kind of notice belongs to a topic (NoticeTopic) and each person chooses a Delivery per
topic on /me/notices/. Some messages go out at once whatever was chosen, because a person must
get them: a decision on their application, a cancelled meeting. Every other e-mail carries a
one-click way out of its topic (RFC 8058), signed like the RSVP links.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from citizens.models import Delivery, NoticeTopic, Notification, User

Kind = Notification.Kind

TOPICS = {
    Kind.APPLICATION_SUBMITTED: NoticeTopic.APPLICATION,
    Kind.APPLICATION_RECEIVED: NoticeTopic.APPLICATION,
    Kind.APPLICATION_APPROVED: NoticeTopic.APPLICATION,
    Kind.APPLICATION_REJECTED: NoticeTopic.APPLICATION,
    Kind.APPLICATION_NEEDS_CHANGES: NoticeTopic.APPLICATION,
    Kind.MEMBERSHIP_REQUESTED: NoticeTopic.INITIATIVES,
    Kind.MEMBERSHIP_ACCEPTED: NoticeTopic.INITIATIVES,
    Kind.MEMBERSHIP_DECLINED: NoticeTopic.INITIATIVES,
    Kind.MEETING_INVITATION: NoticeTopic.MEETINGS,
    Kind.MEETING_CHANGED: NoticeTopic.MEETINGS,
    Kind.MEETING_CANCELLED: NoticeTopic.MEETINGS,
    Kind.WAITLIST_PROMOTED: NoticeTopic.MEETINGS,
    Kind.WAITLISTED: NoticeTopic.MEETINGS,
    Kind.MEMBERS_MESSAGE: NoticeTopic.INITIATIVES,
    Kind.PROPOSAL_ACCEPTED: NoticeTopic.PROPOSALS,
    Kind.PROPOSAL_DECLINED: NoticeTopic.PROPOSALS,
    Kind.PROPOSAL_CHANGES_REQUESTED: NoticeTopic.PROPOSALS,
    Kind.MEETING_REMINDER: NoticeTopic.REMINDERS,
    Kind.CITY_FADING: NoticeTopic.CITY_ALERTS,
    Kind.AGREEMENT_EXPIRING: NoticeTopic.CITY_ALERTS,
    Kind.AGREEMENT_EXPIRED: NoticeTopic.CITY_ALERTS,
}

# Sent at once whatever the person chose, and without a way out.
MUST_HAVE = {
    Kind.APPLICATION_APPROVED,
    Kind.APPLICATION_REJECTED,
    Kind.APPLICATION_NEEDS_CHANGES,
    Kind.MEETING_CANCELLED,
}

# Topics only staff and other role holders receive notices of.
STAFF_TOPICS = {NoticeTopic.CITY_ALERTS}

UNSUBSCRIBE_SALT = "citizens.notices.unsubscribe"


def topic_of(kind: str) -> str | None:
    """The topic of a kind of notice; None for one no choice applies to (sent at once)."""
    return TOPICS.get(kind)


def delivery_of(user: User, kind: str) -> str:
    """How a notice of `kind` reaches `user`."""
    topic = topic_of(kind)
    if kind in MUST_HAVE or topic is None:
        return Delivery.AT_ONCE
    return user.notice_delivery.get(topic, Delivery.AT_ONCE)


def unsubscribe_url(user: User, kind: str) -> str:
    """The one-click address that stops e-mails of this kind's topic; '' for a must-have."""
    topic = topic_of(kind)
    if kind in MUST_HAVE or topic is None:
        return ""
    token = signing.dumps({"user": user.pk, "topic": topic}, salt=UNSUBSCRIBE_SALT, compress=True)
    return settings.SITE_URL + reverse("citizens:notices-unsubscribe", args=[token])


class BadUnsubscribeLink(Exception):
    pass


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The person and topic a way-out link names; BadUnsubscribeLink when it was altered,
    has expired (UNSUBSCRIBE_LINK_MAX_AGE_DAYS) or names someone who is gone."""
    max_age = timedelta(days=settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
        user = User.objects.get(pk=data["user"], is_active=True)
        topic = NoticeTopic(data["topic"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist) as exc:
        raise BadUnsubscribeLink from exc
    return user, topic


def choose(
    *,
    user: User,
    choices: dict[str, str],
    digest_hour: int | None = None,
    reminder_leads: list[int] | None = None,
) -> None:
    """Record how each topic reaches the person (when their digest comes, and how long before
    a meeting they are reminded)."""
    user.notice_delivery = {**user.notice_delivery, **choices}
    fields = ["notice_delivery"]
    if digest_hour is not None:
        user.digest_hour = digest_hour
        fields.append("digest_hour")
    if reminder_leads is not None:
        user.reminder_leads = sorted(set(reminder_leads))
        fields.append("reminder_leads")
    user.save(update_fields=fields)
