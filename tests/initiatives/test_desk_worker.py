"""A real worker on the real broker delivers a coordinator's message to the members, each in
their language's frame, once."""

import uuid

import pytest
from django.db import transaction

from citizens.models import OutgoingEmail
from initiatives.services.messages import write_to_people
from tests.helpers import wait_for

from .factories import InitiativeFactory, diplomat, member


@pytest.mark.worker
def test_a_message_to_the_members_reaches_each_once_in_their_language(celery_worker, smtp_server):
    initiative = InitiativeFactory(title_en="Crafts exchange", title_fa="تبادل صنایع دستی")
    english = member(initiative, diplomat("ana@example.org", preferred_language="en")).user
    persian = member(initiative, diplomat("sara@example.org", preferred_language="fa")).user
    with transaction.atomic():  # queued when this commits, as a request's would be
        write_to_people(
            sender=initiative.coordinator,
            initiative=initiative,
            subject="Workshop dates <soon>",
            body="Hello <script>alert(1)</script>",
            key=uuid.uuid4(),
        )

    def all_sent():
        return not OutgoingEmail.objects.exclude(status="sent").exists()

    wait_for(all_sent)
    (to_ana,) = smtp_server.messages_to(english.email)
    (to_sara,) = smtp_server.messages_to(persian.email)
    assert to_ana["Subject"] == to_sara["Subject"] == "Workshop dates <soon>"
    assert "coordinator of “Crafts exchange”" in to_ana.get_body(("plain",)).get_content()
    assert "تبادل صنایع دستی" in to_sara.get_body(("plain",)).get_content()
    html = to_ana.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
