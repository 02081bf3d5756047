"""Reminders before a meeting: each person chooses how long before (none, 1 hour, 1 day,
2 days, several), a meeting may fix it for all its invitees, and each reminder goes once per
lead and start of the meeting, however many beats run."""

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from citizens.models import Delivery, NoticeTopic, Notification, ReminderLead
from initiatives.models import Invitation, MemberMessage, SentReminder
from initiatives.services import invitations, meetings
from tests.helpers import wait_for
from tests.processes import service_env, start_beat, start_worker

from .factories import MeetingFactory, coordinator, diplomat, invitation
from .test_ical import details

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
HOUR, DAY, TWO_DAYS = ReminderLead.HOUR, ReminderLead.DAY, ReminderLead.TWO_DAYS


def meeting_at(start, **fields):
    return MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1), **fields)


def person_reminded(*leads, **fields):
    return diplomat(reminder_leads=list(leads), **fields)


def reminders_of(person):
    return Notification.objects.filter(recipient=person, kind="meeting_reminder").count()


def test_a_new_person_is_reminded_a_day_before_as_the_portal_always_did():
    assert diplomat().reminder_leads == [DAY]


def test_each_person_is_reminded_when_they_chose_and_one_who_chose_none_never():
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    meeting = meeting_at(start)
    nobody = invitation(meeting, person_reminded(), state="accepted").invitee
    hourly = invitation(meeting, person_reminded(HOUR), state="accepted").invitee
    both = invitation(meeting, person_reminded(DAY, TWO_DAYS), state="tentative").invitee

    sent = [
        invitations.send_due_reminders(now=start - timedelta(hours=hours))
        for hours in (49, 48, 30, 24, 2, 1, 0.5)
    ]

    assert sent == [0, 1, 0, 1, 0, 1, 0]
    assert [reminders_of(p) for p in (nobody, hourly, both)] == [0, 1, 2]
    assert set(
        SentReminder.objects.filter(invitation__invitee=both).values_list("lead_hours", flat=True)
    ) == {DAY, TWO_DAYS}


def test_a_meeting_can_fix_the_reminders_for_all_its_invitees():
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    fixed_hour = meeting_at(start, reminder_leads=[HOUR])
    silent = meeting_at(start, reminder_leads=[])
    person = person_reminded(DAY, TWO_DAYS)
    invitation(fixed_hour, person, state="accepted")
    invitation(silent, person, state="accepted")

    assert invitations.send_due_reminders(now=start - timedelta(hours=47)) == 0
    assert invitations.send_due_reminders(now=start - timedelta(hours=23)) == 0
    assert invitations.send_due_reminders(now=start - timedelta(minutes=59)) == 1
    assert SentReminder.objects.get().invitation.meeting == fixed_hour


def test_leads_that_come_together_make_one_reminder_and_are_never_sent_again():
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=30)
    person = person_reminded(HOUR, DAY, TWO_DAYS)
    invitation(meeting_at(start), person, state="accepted")

    assert invitations.send_due_reminders() == 1
    assert invitations.send_due_reminders() == 0
    assert reminders_of(person) == 1
    assert SentReminder.objects.count() == 3


def test_only_those_who_accepted_may_come_or_have_not_answered_or_must_reconfirm_are_reminded():
    start = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    meeting = meeting_at(start)
    states = ["accepted", "tentative", "sent", "reconfirm", "declined", "waitlisted", "pending"]
    invited = {state: invitation(meeting, state=state) for state in states}

    assert invitations.send_due_reminders() == 4
    assert {s: reminders_of(i.invitee) for s, i in invited.items()} == {
        "accepted": 1,
        "tentative": 1,
        "sent": 1,
        "reconfirm": 1,
        "declined": 0,
        "waitlisted": 0,
        "pending": 0,
    }


def test_a_moved_meeting_is_reminded_afresh_for_its_new_start_and_not_again_for_the_old():
    start = timezone.now().replace(microsecond=0) + timedelta(hours=10)
    meeting = meeting_at(start)
    person = person_reminded(DAY)
    invitation(meeting, person, state="accepted")
    assert invitations.send_due_reminders() == 1

    new_start = start + timedelta(hours=3)
    meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={
            **details(meeting),
            "starts_at": new_start,
            "ends_at": new_start + timedelta(hours=1),
        },
    )

    assert invitations.send_due_reminders() == 1
    assert invitations.send_due_reminders() == 0
    assert reminders_of(person) == 2
    assert sorted(SentReminder.objects.values_list("starts_at", flat=True)) == [start, new_start]


def test_a_reminder_comes_at_its_hour_across_the_tehran_day_boundary():
    # Half past midnight in Tehran is 21:00 UTC the day before: the day-before reminder is
    # due at 21:00 UTC two days before, whatever the calendar day in either zone.
    start = datetime(2026, 12, 20, 0, 30, tzinfo=TEHRAN)
    person = person_reminded(DAY)
    invitation(meeting_at(start, timezone="Asia/Tehran"), person, state="accepted")
    utc = ZoneInfo("UTC")

    assert invitations.send_due_reminders(now=datetime(2026, 12, 18, 20, 59, tzinfo=utc)) == 0
    assert invitations.send_due_reminders(now=datetime(2026, 12, 18, 21, 0, tzinfo=utc)) == 1
    assert invitations.send_due_reminders(now=datetime(2026, 12, 19, 21, 5, tzinfo=utc)) == 0


def test_a_reminder_reaches_each_person_as_they_chose_for_the_reminders_topic(
    mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    meeting = meeting_at(start)
    by_mail = invitation(meeting, state="accepted").invitee
    inbox_only = diplomat(notice_delivery={"reminders": Delivery.INBOX})
    invitation(meeting, inbox_only, state="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_due_reminders()

    assert reminders_of(inbox_only) == 1
    assert [m.to for m in mailoutbox] == [[by_mail.email]]


@pytest.mark.worker
def test_two_beats_and_a_real_worker_remind_each_lead_once_and_it_arrives(
    transactional_db, celery_app_on_broker, smtp_server, tmp_path
):
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=30)
    person = person_reminded(HOUR, DAY)
    invitation(meeting_at(start, title="Crafts board"), person, state="accepted")
    env = service_env(
        MEETING_REMINDER_INTERVAL_SECONDS="0.5",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
    )
    worker = start_worker(env, tmp_path)
    folders = [tmp_path / name for name in ("one", "two")]
    for folder in folders:
        folder.mkdir()
    beats = [start_beat(env, folder) for folder in folders]  # by mistake, two
    try:
        wait_for(lambda: smtp_server.messages_to(person.email), timeout=60)
        wait_for(lambda: all(b.log.count("send_meeting_reminders") >= 4 for b in beats), 30)
    finally:
        for beat in beats:
            beat.stop()
        worker.stop()

    assert reminders_of(person) == 1
    assert SentReminder.objects.filter(invitation__invitee=person).count() == 2
    (received,) = smtp_server.messages_to(person.email)
    assert "Crafts board" in received["Subject"] + received.get_body(("plain",)).get_content()
    assert Invitation.objects.get(invitee=person).reminder_sent_at is not None


# Choosing

CHOICES = {
    **{topic: Delivery.AT_ONCE for topic in NoticeTopic if topic != "city_alerts"},
    "digest_hour": "18",
}


def test_the_notices_page_saves_when_a_person_is_reminded_and_ticking_none_means_none(client):
    person = diplomat()
    client.force_login(person)
    page = client.get("/me/notices/").content.decode()
    assert "Remind me of a meeting" in page and "2 days before" in page

    both = client.post("/me/notices/", {**CHOICES, "reminder_leads": ["48", "24"]})
    assert both.status_code == 302
    person.refresh_from_db()
    assert person.reminder_leads == [DAY, TWO_DAYS]

    client.post("/me/notices/", CHOICES)
    person.refresh_from_db()
    assert person.reminder_leads == []


def test_a_lead_that_is_not_offered_is_refused_with_a_message(client):
    person = diplomat()
    client.force_login(person)

    response = client.post("/me/notices/", {**CHOICES, "reminder_leads": ["5"]})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    person.refresh_from_db()
    assert person.reminder_leads == [DAY]


def _meeting_form(meeting, **changes):
    start = meeting.starts_at.astimezone(meeting.zone)
    end = meeting.ends_at.astimezone(meeting.zone)
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "date": start.date().isoformat(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "timezone": meeting.timezone,
        "place": meeting.place or "City hall",
        "online_link": meeting.online_link,
        "agenda": meeting.agenda,
        "capacity": meeting.capacity or "",
        **changes,
    }


def test_the_coordinator_fixes_a_meetings_reminders_on_its_form_and_can_give_it_back(client):
    meeting = MeetingFactory(place="City hall")
    client.force_login(meeting.initiative.coordinator)
    url = f"/meetings/{meeting.pk}/edit/"
    assert "Each person&#x27;s own choice" in client.get(url).content.decode()

    response = client.post(url, _meeting_form(meeting, reminders="fixed", reminder_leads=["1"]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.reminder_leads == [HOUR]
    assert meeting.sequence == 0  # not a change the calendars need

    client.post(url, _meeting_form(meeting, reminders="fixed"))
    meeting.refresh_from_db()
    assert meeting.reminder_leads == []

    client.post(url, _meeting_form(meeting, reminders="own", reminder_leads=["1"]))
    meeting.refresh_from_db()
    assert meeting.reminder_leads is None


# The coordinator's own reminder


def _remind(client, meeting, *invited, note="Bring the samples, please.", key=None):
    return client.post(
        f"/meetings/{meeting.pk}/remind/",
        {
            "invitations": [i.pk for i in invited],
            "note": note,
            "key": key or str(uuid.uuid4()),
        },
    )


def test_the_coordinator_reminds_the_chosen_invitees_with_a_note_and_a_second_press_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Crafts board")
    silent = invitation(meeting, state="sent")
    answered = invitation(meeting, state="accepted")
    declined = invitation(meeting, state="declined")
    client.force_login(meeting.initiative.coordinator)

    page = client.get(f"/meetings/{meeting.pk}/remind/").content.decode()
    assert re.search(rf'value="{silent.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{answered.pk}"[^>]*checked', page)
    assert f'value="{declined.pk}"' not in page
    key = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = _remind(client, meeting, silent, key=key)
    with django_capture_on_commit_callbacks(execute=True):
        second = _remind(client, meeting, silent, key=key)

    assert first.status_code == 302
    assert "This message was sent already." in second.content.decode()
    assert [m.to for m in mailoutbox] == [[silent.invitee.email]]
    assert "Bring the samples, please." in mailoutbox[0].body
    assert "Crafts board" in mailoutbox[0].subject
    assert reminders_of(answered.invitee) == 0


def test_another_coordinator_can_neither_see_nor_forge_a_reminder_to_a_meetings_invitees(client):
    meeting = MeetingFactory()
    silent = invitation(meeting, state="sent")
    client.force_login(coordinator(email="someone.else@example.org"))

    assert client.get(f"/meetings/{meeting.pk}/remind/").status_code == 404
    assert _remind(client, meeting, silent).status_code == 404
    assert reminders_of(silent.invitee) == 0


@pytest.mark.parametrize(
    "problem",
    ["nobody chosen", "another meeting's invitee", "a declined invitee", "no note", "long note"],
)
def test_a_reminder_with_bad_input_is_refused_with_a_message_and_nothing_is_sent(client, problem):
    meeting = MeetingFactory()
    silent = invitation(meeting, state="sent")
    chosen, note = [silent], "See you there."
    if problem == "nobody chosen":
        chosen = []
    elif problem == "another meeting's invitee":
        chosen = [invitation(MeetingFactory(), state="sent")]
    elif problem == "a declined invitee":
        chosen = [invitation(meeting, state="declined")]
    elif problem == "no note":
        note = "   "
    else:
        note = "x" * 1001
    client.force_login(meeting.initiative.coordinator)

    response = _remind(client, meeting, *chosen, note=note)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Notification.objects.filter(kind="meeting_reminder").exists()
    assert not MemberMessage.objects.exists()
