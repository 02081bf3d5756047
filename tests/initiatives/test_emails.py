"""Invitation e-mails rendered once per language and written out as MIME directly: each
invitee still gets their own language, name, answer links and calendar entry, names are
escaped in HTML, and the MIME says what Django's own would."""

import io
from email import message_from_bytes
from email.policy import default

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone
from icalendar import Calendar

from initiatives import emails
from initiatives.services import invitations, meetings
from initiatives.tokens import invitation_for_token

from .factories import MeetingFactory, diplomat, invitation
from .test_ical import details

pytestmark = pytest.mark.django_db


def parsed(message):
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=default)


def parts(message) -> dict:
    """Each leaf part's content by type, and the subject."""
    root = parsed(message)
    found = {p.get_content_type(): p.get_content() for p in root.walk() if not p.is_multipart()}
    found["subject"] = root["Subject"]
    return found


def attendee(content: bytes | str):
    (event,) = Calendar.from_ical(content).events
    return event["ATTENDEE"]


def answered_invitation(text: str):
    token = text.split("/rsvp/")[1].split("/")[0]
    return invitation_for_token(token)


def test_invitees_in_two_languages_in_one_chunk_each_get_their_own_words_links_and_attendee(
    mailoutbox,
):
    meeting = MeetingFactory(title="Crafts board")
    due = timezone.now()
    reza = invitation(
        meeting,
        diplomat(first_name="Reza", last_name="Karimi"),
        state="pending",
        delivery_due_at=due,
    )
    sara = invitation(
        meeting,
        diplomat(first_name="سارا", last_name="احمدی", preferred_language="fa"),
        state="pending",
        delivery_due_at=due,
    )

    invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=[reza.pk, sara.pk])

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
        assert attendee(found["application/ics"]) == attendee(found["text/calendar"])
    assert attendee(persian["text/calendar"]).params["CN"] == "سارا احمدی"


def test_a_name_is_escaped_in_the_html_and_written_as_it_is_in_the_text():
    meeting = MeetingFactory(title='Tom & "Jerry" <club>')
    person = diplomat(first_name="<b>Ali</b>", last_name="O'Neil & Co")

    found = parts(emails.MeetingMail(meeting).message(invitation(meeting, person)))

    assert "Hello <b>Ali</b> O'Neil & Co," in found["text/plain"]
    assert "Hello &lt;b&gt;Ali&lt;/b&gt; O&#x27;Neil &amp; Co," in found["text/html"]
    assert "<b>Ali" not in found["text/html"]
    assert "Tom &amp; &quot;Jerry&quot; &lt;club&gt;" in found["text/html"]
    assert '“Tom & "Jerry" <club>”' in found["text/plain"]


def test_someone_without_a_name_is_greeted_by_their_address():
    meeting = MeetingFactory()
    person = diplomat("kian@example.org", first_name="", last_name="")

    found = parts(emails.MeetingMail(meeting).message(invitation(meeting, person)))

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
    mail = emails.MeetingMail(meeting)

    update, invite = parts(mail.message(reached)), parts(mail.message(new))

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

    message = emails.MeetingMail(reached.meeting).message(reached)
    found = parts(message)

    assert found["subject"].startswith("لغو شد: Crafts board")
    assert "/rsvp/" not in found["text/plain"]
    calendar = Calendar.from_ical(found["text/calendar"])
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.events[0]["STATUS"] == "CANCELLED"
    (part,) = [p for p in parsed(message).walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"


def django_written(message: emails.CalendarMessage):
    """The same e-mail as Django's EmailMultiAlternatives writes it."""

    class Reference(EmailMultiAlternatives):
        def _create_mime_attachment(self, content, mimetype):
            part = super()._create_mime_attachment(content, mimetype)
            if mimetype == "text/calendar":
                part.set_param("method", message.calendar_method)
            return part

    reference = Reference(
        subject=message.subject, body=message.body, to=message.to, alternatives=message.alternatives
    )
    reference.attachments = message.attachments
    return reference


def structure(message):
    root = parsed(message)
    # Django's folding puts a long subject on a line of its own, after a space.
    headers = {name: str(root[name]).strip() for name in ("Subject", "From", "To", "MIME-Version")}
    leaves = [
        (
            part.get_content_type(),
            sorted(part.get_params()),
            part["Content-Transfer-Encoding"],
            part["Content-Disposition"],
            part.get_content(),
        )
        for part in root.walk()
        if not part.is_multipart()
    ]
    kinds = [part.get_content_type() for part in root.walk()]
    defects = [defect for part in root.walk() for defect in part.defects]
    return headers, kinds, leaves, defects


CALENDAR = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nATTENDEE;CN=Reza:mailto:r@example.org\r\n"


@pytest.mark.parametrize(
    ("subject", "body", "html", "to"),
    [
        ("Plain ASCII", "Hello Reza,\n\nSee you.\n", "<p>Hello</p>\n", "reza@example.org"),
        ("دعوت: جلسه، ۱۴۰۵", "سلام\r\nخط دوم\n", "<p>سلام</p>", "sara@example.org"),
        ("A long agenda", "دستور " * 300 + "\nEnd\n", "<p>" + "x" * 1200 + "</p>", "a@example.org"),
        ("Lone CR\rand line endings", "a\rb\r\nc\n", "", "idn@exämple.org"),
        ("Subject " * 20, "--===============1==\n", "=?utf-8?q?x?=", "b@example.org"),
    ],
)
def test_the_mime_says_what_djangos_own_would(settings, subject, body, html, to):
    settings.DEFAULT_FROM_EMAIL = "درگاه دیپلمات‌ها <no-reply@example.org>"
    subject = " ".join(subject.split())
    message = emails.CalendarMessage(
        subject=subject, body=body, html=html, calendar=CALENDAR, method="REQUEST", to=to
    )

    ours, djangos = structure(message), structure(django_written(message))

    assert ours == djangos
    assert ours[3] == []  # no defects
    assert all(len(line) <= 998 for line in message.message().as_bytes().splitlines())


def test_a_boundary_found_in_the_text_is_not_used(monkeypatch):
    taken = f"{'=' * 15}{7:019d}=="
    draws = iter([7, 8, 9])
    monkeypatch.setattr(emails.random, "randrange", lambda _limit: next(draws))
    body = f"A line that looks like a boundary:\n--{taken}\n--{taken}--\n"
    message = emails.CalendarMessage(
        subject="Hi", body=body, html="<p>Hi</p>", calendar=CALENDAR, method="REQUEST", to="a@x.org"
    )

    root = parsed(message)

    assert taken not in (root.get_boundary(), root.get_payload(0).get_boundary())
    assert [part.get_content_type() for part in root.walk()][2:] == [
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    assert root.get_body(("plain",)).get_content() == body.replace("\n", "\r\n")


def test_a_newline_in_a_header_is_refused():
    message = emails.CalendarMessage(
        subject="Hi",
        body="Hello",
        html="<p>Hello</p>",
        calendar=CALENDAR,
        method="REQUEST",
        to="a@example.org\nBcc: everyone@example.org",
    )

    with pytest.raises(BadHeaderError):
        message.message()


def test_the_console_backend_shows_the_message():
    meeting = MeetingFactory(title="Crafts board")
    stream = io.StringIO()
    message = emails.MeetingMail(meeting).message(invitation(meeting, state="pending"))

    ConsoleBackend(stream=stream).send_messages([message])

    assert "Content-Type: text/calendar" in stream.getvalue()
    assert "BEGIN:VCALENDAR" in stream.getvalue()
