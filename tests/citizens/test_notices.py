"""Each person chooses how each topic of notices reaches them: e-mail at once, a daily digest,
or the inbox only; must-have messages go at once whatever they chose; every other e-mail has a
one-click way out (RFC 8058)."""

from datetime import datetime, timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.test import Client

from citizens.models import Delivery, Digest, NoticeTopic, Notification, OutgoingEmail
from citizens.services import digests, notices
from citizens.services.mail import email_message
from citizens.services.notifications import notify
from tests.factories import UserFactory
from tests.helpers import wait_for
from tests.processes import service_env, start_beat, start_worker

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
TEHRAN = ZoneInfo("Asia/Tehran")


def _choosing(**choices):
    person = UserFactory(preferred_language="fa")
    person.notice_delivery = choices
    person.save(update_fields=["notice_delivery"])
    return person


def _notify(person, kind=Kind.MEMBERSHIP_ACCEPTED, **context):
    (notification,) = notify(
        recipients=[person], kind=kind, context={"initiative": "Crafts", **context}, url="/x/"
    )
    notification.refresh_from_db()
    return notification


def test_every_kind_of_notice_belongs_to_a_topic_people_can_choose_for():
    assert set(Kind) == set(notices.TOPICS)


def test_a_notice_of_a_topic_left_alone_is_emailed_at_once():
    notification = _notify(_choosing())

    assert notification.email is not None and not notification.awaits_digest


def test_a_topic_chosen_for_the_inbox_only_sends_no_email():
    notification = _notify(_choosing(initiatives=Delivery.INBOX))

    assert notification.email is None and not notification.awaits_digest
    assert not OutgoingEmail.objects.exists()


def test_a_topic_chosen_for_the_digest_waits_for_it():
    notification = _notify(_choosing(initiatives=Delivery.DIGEST))

    assert notification.email is None and notification.awaits_digest


def test_a_decision_on_ones_application_goes_out_at_once_whatever_was_chosen():
    person = _choosing(application=Delivery.INBOX)

    notification = _notify(person, Kind.APPLICATION_APPROVED)

    assert notification.email is not None
    assert notification.email.unsubscribe_url == ""  # and offers no way out


def test_an_email_that_is_not_a_must_have_carries_a_one_click_way_out():
    notification = _notify(_choosing())

    sent = message_from_bytes(email_message(notification.email).message().as_bytes())
    unfolded = "".join(sent["List-Unsubscribe"].split())  # a long header is folded
    assert unfolded == f"<{notification.email.unsubscribe_url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notification.email.unsubscribe_url in notification.email.body_text


def test_a_mail_programs_one_click_stops_that_topic_without_signing_in():
    person = _choosing()
    url = notices.unsubscribe_url(person, Kind.MEMBERSHIP_ACCEPTED)
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.notice_delivery["initiatives"] == Delivery.INBOX
    assert _notify(person).email is None


def test_the_way_out_link_opened_in_a_browser_asks_first_and_used_twice_is_harmless(client):
    person = _choosing()
    url = notices.unsubscribe_url(person, Kind.MEETING_REMINDER)

    assert client.get(url).status_code == 200
    person.refresh_from_db()
    assert person.notice_delivery == {}  # a link preview changes nothing
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    person.refresh_from_db()
    assert person.notice_delivery == {"reminders": Delivery.INBOX}


def test_a_tampered_or_expired_way_out_link_changes_nothing(client, settings):
    person = _choosing()
    url = notices.unsubscribe_url(person, Kind.MEMBERSHIP_ACCEPTED)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps(
        {"user": UserFactory().pk, "topic": "initiatives"}, salt="another purpose"
    )

    assert client.post(url.replace(token, token[:-2] + "xx")).status_code == 400
    assert client.post(url.replace(token, forged)).status_code == 400
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = -1
    assert client.post(url).status_code == 400
    person.refresh_from_db()
    assert person.notice_delivery == {}


def test_the_preferences_page_saves_each_topics_choice_and_the_digest_hour(client):
    person = UserFactory()
    client.force_login(person)

    page = client.get("/me/notices/")
    assert page.status_code == 200
    assert "Alerts about the sister cities" not in page.content.decode()  # staff only
    response = client.post(
        "/me/notices/",
        {
            **{topic: Delivery.AT_ONCE for topic in NoticeTopic if topic != "city_alerts"},
            "meetings": Delivery.DIGEST,
            "reminders": Delivery.INBOX,
            "digest_hour": "7",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.notice_delivery["meetings"] == Delivery.DIGEST
    assert person.notice_delivery["reminders"] == Delivery.INBOX
    assert person.digest_hour == 7


def test_a_choice_that_is_not_offered_is_refused_with_a_message(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post("/me/notices/", {"meetings": "carrier-pigeon", "digest_hour": "25"})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    person.refresh_from_db()
    assert person.notice_delivery == {}


def _at(hour, day=8):
    return datetime(2026, 12, day, hour, 5, tzinfo=TEHRAN)


def test_the_digest_comes_once_at_the_chosen_hour_in_the_persons_language():
    person = _choosing(initiatives=Delivery.DIGEST, meetings=Delivery.DIGEST)
    person.digest_hour = 18
    person.save(update_fields=["digest_hour"])
    _notify(person)
    _notify(person, Kind.MEETING_CHANGED, meeting="Board", when="")

    assert digests.send_due_digests(_at(17)) == 0
    assert digests.send_due_digests(_at(18)) == 1
    assert digests.send_due_digests(_at(19)) == 0  # never twice on one day

    digest = Digest.objects.get()
    assert digest.day.isoformat() == "2026-12-08"
    assert digest.notifications.count() == 2
    assert "Crafts" in digest.email.body_text
    assert "سلام" in digest.email.body_text  # written in Persian, as the person reads
    assert not Notification.objects.filter(awaits_digest=True).exists()


def test_the_day_is_the_portals_even_across_midnight_utc():
    person = _choosing(initiatives=Delivery.DIGEST)
    person.digest_hour = 2
    person.save(update_fields=["digest_hour"])
    _notify(person)
    # 02:05 in Tehran on the 9th is still the 8th in UTC.
    assert digests.send_due_digests(datetime(2026, 12, 8, 22, 35, tzinfo=ZoneInfo("UTC"))) == 1
    assert Digest.objects.get().day.isoformat() == "2026-12-09"


def test_nobody_gets_an_empty_digest():
    _choosing(initiatives=Delivery.DIGEST)

    assert digests.send_due_digests(_at(23)) == 0
    assert not Digest.objects.exists()


def test_notices_after_the_days_digest_wait_for_the_next_day():
    person = _choosing(initiatives=Delivery.DIGEST)
    _notify(person)
    digests.send_due_digests(_at(20))
    _notify(person, initiative="Music")

    assert digests.send_due_digests(_at(21)) == 0
    assert digests.send_due_digests(_at(20, day=9)) == 1
    assert "Music" in Digest.objects.get(day="2026-12-09").email.body_text


def test_the_beat_schedule_sends_digests_often_enough_for_every_hour():
    from diplomacy_portal.celery import app

    entry = app.conf.beat_schedule["send-digests"]
    assert entry["task"] == "citizens.tasks.send_digests"
    assert entry["schedule"] <= timedelta(hours=1).total_seconds()


@pytest.mark.worker
def test_two_beats_and_a_real_worker_send_one_digest_and_it_arrives(
    transactional_db, celery_app_on_broker, smtp_server, tmp_path
):
    person = _choosing(initiatives=Delivery.DIGEST)
    person.digest_hour = 0  # due from midnight: whenever the test runs
    person.save(update_fields=["digest_hour"])
    _notify(person)
    env = service_env(
        DIGEST_CHECK_INTERVAL_SECONDS="0.5", EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}"
    )
    worker = start_worker(env, tmp_path)
    folders = [tmp_path / name for name in ("one", "two")]
    for folder in folders:
        folder.mkdir()
    beats = [start_beat(env, folder) for folder in folders]  # by mistake, two
    try:
        wait_for(lambda: smtp_server.messages_to(person.email), timeout=60)
        wait_for(lambda: all(beat.log.count("send_digests") >= 4 for beat in beats), timeout=30)
    finally:
        for beat in beats:
            beat.stop()
        worker.stop()

    assert Digest.objects.filter(recipient=person).count() == 1
    (received,) = smtp_server.messages_to(person.email)
    assert "Crafts" in received.get_body(("plain",)).get_content()
