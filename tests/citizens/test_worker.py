import time

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from citizens.models import Notification, OutgoingEmail
from citizens.services.applications import decide_application
from citizens.services.mail import queue_email
from citizens.tasks import send_emails
from tests.factories import application_in, reviewer
from tests.helpers import wait_for


@pytest.mark.worker
def test_a_real_worker_sends_a_stored_email_and_marks_it_sent(celery_worker, smtp_server):
    message = EmailMultiAlternatives("Welcome", "Välkommen, خوش آمدید", to=["ana@example.org"])
    message.attach_alternative("<p>خوش آمدید</p>", "text/html")
    with transaction.atomic():
        (email,) = queue_email(message=message)

    def sent():
        return OutgoingEmail.objects.filter(pk=email.pk, status="sent").exists()

    wait_for(sent)
    (received,) = smtp_server.messages_to("ana@example.org")
    assert received["Subject"] == "Welcome"
    assert "خوش آمدید" in received.get_body(("plain",)).get_content()


@pytest.mark.worker
def test_a_decision_email_goes_out_once_even_when_its_task_runs_twice(celery_worker, smtp_server):
    application = application_in("submitted")
    with transaction.atomic():
        decide_application(
            application=application, reviewer=reviewer(), decision="approve", note="Welcome!"
        )
    notification = Notification.objects.get(recipient=application.user, kind="application_approved")
    # The broker delivers the same task again (a retry, a redelivery after a lost ack).
    send_emails.delay([notification.email_id])
    send_emails.delay([notification.email_id])

    def delivered():
        return OutgoingEmail.objects.filter(pk=notification.email_id, status="sent").exists()

    wait_for(delivered)
    time.sleep(1.5)  # time for the duplicate tasks to run, too
    (message,) = [
        m
        for m in smtp_server.messages_to(application.user.email)
        if m["Subject"] == "You are now a citizen diplomat"
    ]
    assert "Welcome!" in message.get_body(("plain",)).get_content()
    assert OutgoingEmail.objects.get(pk=notification.email_id).attempts == 1
