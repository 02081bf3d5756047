"""Meeting e-mails, rendered once per language and stored in the outbox: each invitee still
gets their own language, name, answer links and calendar entry, names are escaped in HTML, and
Django's mail classes write the message with its calendar part."""

import io
from email import message_from_bytes
from email.policy import default

import pytest
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from icalendar import Calendar

from citizens.services.mail import email_message
from initiatives import emails
from initiatives.models import Invitation
from initiatives.services import invitations, meetings
from initiatives.tokens import invitation_for_token

from .factories import MeetingFactory, diplomat, invitation
from .test_ical import details

pytestmark = pytest.mark.django_db


def written(meeting, invited):
    """The e-mail the outbox stores for `invited`, as Django's message."""
    return email_message(emails.MeetingMail(meeting).message(invited))


def parsed(message):
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=default)


def parts(message) -> dict:
    """Each leaf part's content by type, and the subject."""
    root = parsed(message)
    found = {p.get_content_type(): p.get_content() for p in root.walk() if not p.is_multipart()}
    found["subject"] = str(root["Subject"]).strip()  # a long one is folded onto its own line
    return found


def attendee(content: bytes | str):
    (event,) = Calendar.from_ical(content).events
    return event["ATTENDEE"]


def answered_invitation(text: str):
    token = text.split("/rsvp/")[1].split("/")[0]
    return invitation_for_token(token)


def test_invitees_in_two_languages_in_one_chunk_each_get_their_own_words_links_and_attendee(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Crafts board")
    reza = invitation(meeting, diplomat(first_name="Reza", last_name="Karimi"), state="pending")
    sara = invitation(
        meeting,
        diplomat(first_name="سارا", last_name="احمدی", preferred_language="fa"),
        state="pending",
    )

    with django_capture_on_commit_callbacks(execute=True):
        invitations.write_meeting_emails(
            meeting=meeting, invitations=Invitation.objects.filter(meeting=meeting)
        )

    by_address = {message.to[0]: parts(message) for message in mailoutbox}
    english, persian = by_address[reza.invitee.email], by_address[sara.invitee.email]

    assert english["subject"].startswith("Invitation: Crafts board")
    assert "دعوت" in persian["subject"]
    assert english["text/plain"].startswith("Hello Reza Karimi,")
    assert persian["text/plain"].startswith("سارا احمدی گرامی، سلام")
    assert "سارا" not in english["text/html"] and "Reza" not in persian["text/html"]
    assert 'lang="fa" dir="rtl"' in persian["text/html"]
    for invited, found in ((reza, english), (sara, persian)):
        assert answered_invitation(found["text/plain"]) == invited
        assert answered_invitation(found["text/html"]) == invited
        assert str(attendee(found["text/calendar"])) == f"mailto:{invited.invitee.email}"
    assert attendee(persian["text/calendar"]).params["CN"] == "سارا احمدی"


def test_a_name_is_escaped_in_the_html_and_written_as_it_is_in_the_text():
    meeting = MeetingFactory(title='Tom & "Jerry" <club>')
    person = diplomat(first_name="<b>Ali</b>", last_name="O'Neil & Co")

    found = parts(written(meeting, invitation(meeting, person)))

    assert "Hello <b>Ali</b> O'Neil & Co," in found["text/plain"]
    assert "Hello &lt;b&gt;Ali&lt;/b&gt; O&#x27;Neil &amp; Co," in found["text/html"]
    assert "<b>Ali" not in found["text/html"]
    assert "Tom &amp; &quot;Jerry&quot; &lt;club&gt;" in found["text/html"]
    assert '“Tom & "Jerry" <club>”' in found["text/plain"]


def test_someone_without_a_name_is_greeted_by_their_address():
    meeting = MeetingFactory()
    person = diplomat("kian@example.org", first_name="", last_name="")

    found = parts(written(meeting, invitation(meeting, person)))

    assert found["text/plain"].startswith("Hello kian@example.org,")


def test_one_chunk_sends_an_update_to_those_reached_and_an_invitation_to_the_new():
    meeting = MeetingFactory(title="Crafts board")
    reached = invitation(meeting, state="accepted")
    meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={**details(meeting), "place": "Chehel Sotoun garden"},
    )
    meeting.refresh_from_db()
    new = invitation(meeting, state="pending")
    update, invite = parts(written(meeting, reached)), parts(written(meeting, new))

    assert update["subject"].startswith("Updated: Crafts board")
    assert "has changed" in update["text/plain"] and "has changed" in update["text/html"]
    assert invite["subject"].startswith("Invitation: Crafts board")
    assert "You are invited" in invite["text/plain"]
    for found in (update, invite):
        (event,) = Calendar.from_ical(found["text/calendar"]).events
        assert event["SEQUENCE"] == 1
        assert "Chehel Sotoun garden" in found["text/plain"]
    assert attendee(update["text/calendar"]).params["PARTSTAT"] == "ACCEPTED"
    assert attendee(invite["text/calendar"]).params["PARTSTAT"] == "NEEDS-ACTION"


def test_a_cancellation_in_persian_says_so_and_cancels_the_calendar_entry():
    meeting = MeetingFactory(title="Crafts board")
    reached = invitation(meeting, diplomat(preferred_language="fa"))
    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)
    reached.refresh_from_db()

    message = written(reached.meeting, reached)
    found = parts(message)

    assert found["subject"].startswith("لغو شد: Crafts board")
    assert "/rsvp/" not in found["text/plain"]
    calendar = Calendar.from_ical(found["text/calendar"])
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.events[0]["STATUS"] == "CANCELLED"
    (part,) = [p for p in parsed(message).walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"


def test_the_calendar_part_names_its_method_and_replies_go_to_the_organiser():
    meeting = MeetingFactory(title="Crafts board")

    root = parsed(written(meeting, invitation(meeting, state="pending")))

    (part,) = [p for p in root.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert Calendar.from_ical(part.get_content())["METHOD"] == "REQUEST"
    assert root["Reply-To"] == meeting.initiative.coordinator.email
    assert root.get_body(("plain",)) is not None and root.get_body(("html",)) is not None


def test_the_console_backend_shows_the_message():
    meeting = MeetingFactory(title="Crafts board")
    stream = io.StringIO()
    message = written(meeting, invitation(meeting, state="pending"))

    ConsoleBackend(stream=stream).send_messages([message])

    assert "Content-Type: text/calendar" in stream.getvalue()
    assert 'method="REQUEST"' in stream.getvalue()
    assert "BEGIN:VCALENDAR" in stream.getvalue()
