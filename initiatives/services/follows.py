"""Following a sister city or an initiative with only an e-mail address.

Double opt-in: asking stores a pending Follow and e-mails a signed confirmation link; only a
confirmed address is told anything. The page answers the same whatever the address, so it tells
nobody who follows what. Every e-mail to a follower carries a one-click way out (RFC 8058),
signed like the notices' links; stopping deletes the address.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from citizens.models import OutgoingEmail
from citizens.services import mail
from diplomacy_portal.queue import enqueue_on_commit

from ..models import Follow, Initiative, Meeting

logger = logging.getLogger(__name__)

CONFIRM_SALT = "initiatives.follows.confirm"
STOP_SALT = "initiatives.follows.stop"
RATE_WINDOW = 3600


class TooManyRequests(Exception):
    pass


class BadFollowLink(Exception):
    pass


def _target_field(target: Model) -> dict:
    return {"initiative": target} if isinstance(target, Initiative) else {"city": target}


def _count(key: str, limit: int) -> bool:
    """Count one request under `key` this hour; False when it is over `limit`."""
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the key vanished (Redis away or emptied): nothing to count on
        return True


def _digest(text: str) -> str:
    # The cache holds no address in clear.
    return hashlib.sha256(text.encode()).hexdigest()


def ask_to_follow(*, email: str, target: Model, language: str, client: str) -> None:
    """Store a pending follow of `target` and e-mail the address a link to confirm it.

    An address that follows already is sent nothing, and the caller cannot tell: it answers the
    same either way. TooManyRequests when the address or the client asked too often this hour.
    """
    email = email.strip().lower()
    within_client = _count(f"follow:client:{_digest(client)}", settings.FOLLOW_REQUESTS_PER_CLIENT)
    within_address = _count(
        f"follow:address:{_digest(email)}", settings.FOLLOW_REQUESTS_PER_ADDRESS
    )
    if not (within_client and within_address):
        raise TooManyRequests
    with transaction.atomic():
        try:
            with transaction.atomic():
                follow, _created = Follow.objects.get_or_create(
                    email=email, **_target_field(target), defaults={"language": language}
                )
        except IntegrityError:  # the same address asked twice at once: the other one stored it
            return
        if follow.confirmed_at is not None:
            return
        if follow.language != language:
            follow.language = language
            follow.save(update_fields=["language"])
        _send_confirmation(follow)
    logger.info("Follow %s of %s asked for", follow.pk, target)


def confirm_url(follow: Follow) -> str:
    token = signing.dumps({"follow": follow.pk, "email": follow.email}, salt=CONFIRM_SALT)
    return settings.SITE_URL + reverse("initiatives:follow-confirm", args=[token])


def stop_url(follow: Follow) -> str:
    token = signing.dumps({"follow": follow.pk, "email": follow.email}, salt=STOP_SALT)
    return settings.SITE_URL + reverse("initiatives:follow-stop", args=[token])


def _read(token: str, *, salt: str, max_age_days: int) -> Follow | None:
    """The follow a link names; None when it is gone (stopped already). BadFollowLink when the
    link was altered or has expired."""
    try:
        data = signing.loads(token, salt=salt, max_age=timedelta(days=max_age_days))
        pk, email = int(data["follow"]), str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadFollowLink from exc
    return Follow.objects.select_related("initiative", "city").filter(pk=pk, email=email).first()


def follow_to_confirm(token: str) -> Follow:
    """The follow a confirmation link names; BadFollowLink if altered, expired or stopped."""
    follow = _read(token, salt=CONFIRM_SALT, max_age_days=settings.FOLLOW_CONFIRM_MAX_AGE_DAYS)
    if follow is None:
        raise BadFollowLink
    return follow


def follow_to_stop(token: str) -> Follow | None:
    """The follow a way-out link names; None when it was stopped already (a second click)."""
    return _read(token, salt=STOP_SALT, max_age_days=settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS)


def confirm(follow: Follow) -> None:
    """Confirm the address; confirming again changes nothing."""
    updated = Follow.objects.filter(pk=follow.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if updated:
        logger.info("Follow %s confirmed", follow.pk)


def stop(follow: Follow) -> None:
    """Forget the address for this city or initiative."""
    deleted, _ = Follow.objects.filter(pk=follow.pk).delete()
    if deleted:
        logger.info("Follow %s stopped", follow.pk)


def _render(name: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = render_to_string(f"initiatives/emails/{name}_subject.txt", context)
        text = render_to_string(f"initiatives/emails/{name}_body.txt", context)
        html = render_to_string(f"initiatives/emails/{name}_body.html", context)
    return " ".join(subject.split()), text, html


def _send_confirmation(follow: Follow) -> None:
    target = follow.target
    with translation.override(follow.language):
        context = {
            "target_name": str(target),
            "target_url": settings.SITE_URL + target.get_absolute_url(),
            "confirm_url": confirm_url(follow),
            "days": settings.FOLLOW_CONFIRM_MAX_AGE_DAYS,
        }
    subject, text, html = _render("follow_confirm", context, follow.language)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[follow.email])
    message.attach_alternative(html, "text/html")
    mail.queue_email(message=message)


def followers_of(target: Model) -> list[Follow]:
    """The confirmed followers told of what happens in `target`, one per address: an
    initiative's own, and those of its sister cities."""
    if isinstance(target, Initiative):
        cities = list(target.cities.values_list("pk", flat=True))
        audience = Q(initiative=target) | Q(city__in=cities)
    else:
        audience = Q(city=target)
    # An address that follows both the initiative and one of its cities is told once; its
    # way-out link stops the initiative's.
    follows = Follow.objects.filter(audience, confirmed_at__isnull=False).order_by(
        "initiative", "pk"
    )
    one_each = {}
    for follow in follows:
        one_each.setdefault(follow.email, follow)
    return list(one_each.values())


def tell_followers(target: Model, kind: str, context: Callable[[str], dict]) -> int:
    """E-mail every confirmed follower of `target` (an Initiative or a SisterCity) the e-mail
    `kind` (templates initiatives/emails/follow_<kind>_*), in their language, each with its
    way-out link; return how many. `context(language)` gives the templates' context.

    Whatever else followers are to hear of (published decisions, in later work) goes through
    here too, with its own `kind` of templates."""
    follows = followers_of(target)
    # Rendered once per language; each follower's own link replaces a marker, random so that
    # no text of the meeting can pass for one.
    marker = f"{secrets.token_hex(8)}stop"
    rendered = {}
    emails = []
    for follow in follows:
        if follow.language not in rendered:
            with translation.override(follow.language):
                full = {**context(follow.language), "stop_url": marker, "target_name": str(target)}
                full["target_url"] = settings.SITE_URL + target.get_absolute_url()
            rendered[follow.language] = _render(f"follow_{kind}", full, follow.language)
        subject, text, html = rendered[follow.language]
        link = stop_url(follow)
        emails.append(
            OutgoingEmail(
                to=follow.email,
                subject=subject,
                body_text=text.replace(marker, link),
                body_html=html.replace(marker, link),
                unsubscribe_url=link,
            )
        )
    if emails:
        mail.queue_emails(emails=emails)
    logger.info("%s followers of %s told of %s", len(emails), target, kind)
    return len(emails)


def meeting_scheduled(meeting: Meeting) -> None:
    """Have a worker tell the followers of a public meeting just scheduled, after commit."""
    if meeting.kind != Meeting.Kind.PUBLIC_EVENT:
        return
    from ..tasks import tell_followers_of_meeting

    enqueue_on_commit(tell_followers_of_meeting, meeting.pk)


def tell_of_meeting(meeting_id: int) -> int:
    """Tell the followers of a public meeting's initiative or city (those of the initiative's
    cities too), each once."""
    meeting = (
        Meeting.objects.select_related("initiative", "city")
        .filter(pk=meeting_id, kind=Meeting.Kind.PUBLIC_EVENT, status=Meeting.Status.SCHEDULED)
        .first()
    )
    if meeting is None:
        return 0
    from ..emails import meeting_when

    target = meeting.initiative or meeting.city
    return tell_followers(
        target,
        "meeting",
        lambda language: {"meeting": meeting, "when": meeting_when(meeting, language)},
    )
