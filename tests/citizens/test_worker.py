import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from citizens.models import OutgoingEmail
from citizens.services import queue_email
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
