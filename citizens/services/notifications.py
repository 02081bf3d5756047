import hashlib
import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from citizens.models import Delivery, Notification, User
from citizens.roles import MUNICIPAL_STAFF
from citizens.services.mail import queue_email
from citizens.services.notices import delivery_of, unsubscribe_url

logger = logging.getLogger(__name__)

# A text depends only on its kind, details, language and the release (in every key of the
# cache), so it never goes stale; the timeout only bounds what Redis, the broker too, holds.
TEXT_CACHE_SECONDS = 3600


def render_notification(notification: Notification, language: str | None = None) -> dict:
    """Subject and message of a notification, in `language` (default: the active one)."""
    return notification_text(notification.kind, notification.context, language)


def notification_text(kind: str, context: dict, language: str | None = None) -> dict:
    """Subject and message of a notification of `kind` with these details, in `language`
    (default: the active one). Only the kind and the details shape the text, so one text
    serves every inbox that holds the same notice."""
    with translation.override(language or translation.get_language()):
        return {
            "subject": " ".join(
                render_to_string(f"notifications/{kind}_subject.txt", context).split()
            ),
            "message": render_to_string(f"notifications/{kind}_message.txt", context).strip(),
        }


def show_in_inbox(entries: list[Notification]) -> None:
    """Set the text (subject and message) of each of the inbox's entries, in the active
    language.

    Many inboxes hold the same text (one meeting's invitation to thousands): the texts are read
    from the cache in one round trip and only those it lacks are rendered."""
    language = translation.get_language()
    keys = [_text_key(entry, language) for entry in entries]
    # With Redis away every read is a miss (settings.CACHES): the texts are rendered afresh.
    kept = cache.get_many(keys) if keys else {}
    rendered = {}
    for key, entry in zip(keys, entries, strict=True):
        text = kept.get(key) or rendered.get(key)
        if text is None:
            text = rendered[key] = notification_text(entry.kind, entry.context)
        entry.text = text
    if rendered:
        cache.set_many(rendered, TEXT_CACHE_SECONDS)


def _text_key(entry: Notification, language: str) -> str:
    details = json.dumps(entry.context, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{entry.kind}\n{details}".encode()).hexdigest()
    return f"notification-text:{language}:{digest}"


def _email_for(notification: Notification, unsubscribe: str = "") -> EmailMultiAlternatives:
    recipient = notification.recipient
    text = render_notification(notification, recipient.language)
    context = {
        **text,
        "recipient": recipient,
        "link": f"{settings.SITE_URL}{notification.url}" if notification.url else "",
        "inbox": f"{settings.SITE_URL}/inbox/",
        "unsubscribe": unsubscribe,
        "language": recipient.language,
    }
    with translation.override(recipient.language):
        message = EmailMultiAlternatives(
            subject=text["subject"],
            body=render_to_string("notifications/email_body.txt", context),
            to=[recipient.email],
        )
        message.attach_alternative(
            render_to_string("notifications/email_body.html", context), "text/html"
        )
    return message


@transaction.atomic
def notify(
    *,
    recipients: list[User] | QuerySet,
    kind: str,
    context: dict | None = None,
    url: str = "",
    email: bool = True,
    about: User | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and, with `email`, e-mail it in the
    recipient's language as they chose for its topic (at once, in their daily digest, or not:
    citizens.services.notices); all in the caller's transaction, sent only after it commits.

    `about` is the person the notification names (their name in context["applicant"]).
    """
    recipients = list(recipients)
    deliveries = {
        recipient.pk: delivery_of(recipient, kind) if email else Delivery.INBOX
        for recipient in recipients
    }
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=kind,
            context=context or {},
            url=url,
            about=about,
            awaits_digest=deliveries[recipient.pk] == Delivery.DIGEST,
        )
        for recipient in recipients
    )
    emailed = [n for n in notifications if deliveries[n.recipient.pk] == Delivery.AT_ONCE]
    for notification in emailed:
        way_out = unsubscribe_url(notification.recipient, kind)
        (outgoing,) = queue_email(
            message=_email_for(notification, way_out), unsubscribe_url=way_out
        )
        notification.email = outgoing
    if emailed:
        Notification.objects.bulk_update(emailed, ["email"])
    return notifications


def notify_staff(
    *, also: list[int] | QuerySet, kind: str, context: dict | None = None, url: str = ""
) -> list[Notification]:
    """notify() the municipal staff and the people among `also` (user ids), each once, the
    active ones only: the notice another app sends about something the staff look after."""
    recipients = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=MUNICIPAL_STAFF) | Q(pk__in=also))
        .distinct()
    )
    return notify(recipients=list(recipients), kind=kind, context=context, url=url)


def notify_many(
    *, recipient_ids: list[int], kind: str, context: dict | None = None, url: str = ""
) -> int:
    """notify() without e-mail for many people at once (a meeting's ten thousand invitees): one
    INSERT ... SELECT instead of a model instance each; return how many were put in inboxes."""
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # No e-mail, so nothing awaits a digest either (said here, not left to the default).
            f"INSERT INTO {table} (recipient_id, kind, context, url, created_at, awaits_digest) "
            "SELECT unnest(%s::bigint[]), %s, %s::jsonb, %s, %s, false",
            [recipient_ids, kind, json.dumps(context or {}), url, timezone.now()],
        )
        return cursor.rowcount


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def mark_done(*, kind: str, about: User, context: dict) -> int:
    """Mark read, in every inbox that holds one, the notices of `kind` about `about` whose
    details include `context`: the notices that asked for an action once someone has taken it
    (a request to join, answered by any of the initiative's managers). Return how many."""
    pending = Notification.objects.filter(
        kind=kind, about=about, context__contains=context, read_at__isnull=True
    )
    return pending.update(read_at=timezone.now())


def forget_person(*, user: User) -> None:
    """Erase `user`'s name from the notifications (and their e-mails) that others received
    about them; the notices stay, anonymous."""
    notices = list(Notification.objects.filter(about=user).select_related("email"))
    for notice in notices:
        notice.context = {**notice.context, "applicant": ""}
        if notice.email is not None:
            notice.email.subject = notice.email.body_text = notice.email.body_html = ""
            notice.email.save(update_fields=["subject", "body_text", "body_html"])
    Notification.objects.bulk_update(notices, ["context"])
