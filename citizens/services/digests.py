"""The daily digest: one e-mail a day gathering the notices whose topic a person chose to
read that way (citizens.services.notices), at the hour they chose, in their language."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from citizens.models import Digest, Notification, OutgoingEmail, User
from citizens.services.mail import queue_emails
from citizens.services.notifications import render_notification


def send_due_digests(now=None) -> int:
    """Send today's digest to everyone whose digest hour has come and who has notices waiting
    for it; return how many were sent. Nobody gets an empty digest, nor two on one day."""
    local = timezone.localtime(now or timezone.now())
    waiting = (
        User.objects.filter(
            is_active=True,
            digest_hour__lte=local.hour,
            notifications__awaits_digest=True,
        )
        .exclude(digests__day=local.date())
        .distinct()
    )
    sent = 0
    for user in waiting:
        try:
            with transaction.atomic():
                sent += _send_digest(user, local.date())
        except IntegrityError:  # another beat sent this person's digest meanwhile
            continue
    return sent


def _send_digest(user: User, day) -> int:
    digest = Digest.objects.create(recipient=user, day=day)
    entries = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(recipient=user, awaits_digest=True)
        .order_by("created_at", "pk")
    )
    if not entries:
        transaction.set_rollback(True)  # someone else took them: no empty digest, no record
        return 0
    with translation.override(user.language):
        items = [
            {
                **render_notification(entry, user.language),
                "link": f"{settings.SITE_URL}{entry.url}" if entry.url else "",
            }
            for entry in entries
        ]
        context = {
            "recipient": user,
            "items": items,
            "day": day,
            "inbox": f"{settings.SITE_URL}{reverse('citizens:inbox')}",
            "preferences": f"{settings.SITE_URL}{reverse('citizens:notices')}",
            "language": user.language,
        }
        subject = " ".join(render_to_string("notifications/digest_subject.txt", context).split())
        text = render_to_string("notifications/digest_body.txt", context)
        html = render_to_string("notifications/digest_body.html", context)
    (email,) = queue_emails(
        emails=[OutgoingEmail(to=user.email, subject=subject, body_text=text, body_html=html)]
    )
    digest.email = email
    digest.save(update_fields=["email"])
    Notification.objects.filter(pk__in=[entry.pk for entry in entries]).update(
        awaits_digest=False, digest=digest
    )
    return 1
