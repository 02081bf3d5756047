"""Beat tells the municipal staff once when an agreement enters its renewal window
(AGREEMENT_RENEWAL_NOTICE_DAYS) and once when it has expired, in their inbox and by e-mail;
each notice is recorded, so a check run twice tells no one twice."""

import datetime
import time

import pytest
from django.utils import timezone

from citizens.models import Notification, OutgoingEmail
from citizens.services.notifications import render_notification
from diplomacy_portal.celery import app
from sistercities import tasks
from sistercities.models import Agreement, AgreementNotice
from tests.factories import SisterCityFactory, reviewer
from tests.helpers import wait_for
from tests.processes import service_env, start_beat

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def kazan():
    return SisterCityFactory(slug="kazan", name_en="Kazan", name_fa="کازان")


def agreement(city, title: str, valid_until, **fields) -> Agreement:
    return Agreement.objects.create(
        city=city,
        title_en=title,
        title_fa=f"{title} (fa)",
        kind=Agreement.Kind.PROTOCOL,
        valid_until=valid_until,
        **fields,
    )


def told(kind: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__email", "context__title")
    )


def test_the_beat_schedule_runs_the_check():
    entry = app.conf.beat_schedule["tell-about-agreements"]
    assert entry["task"] == "sistercities.tasks.tell_about_agreements"
    assert tasks.tell_about_agreements.name == entry["task"]


def test_an_agreement_entering_the_window_is_told_to_the_staff_once(kazan, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 30
    reviewer("staff@example.org")
    agreement(kazan, "Trade protocol", days(30))
    agreement(kazan, "Later protocol", days(31))
    agreement(kazan, "Open-ended", None)

    assert tasks.tell_about_agreements() == (1, 0)
    assert tasks.tell_about_agreements() == (0, 0)

    assert told("agreement_expiring") == [("staff@example.org", "Trade protocol")]
    notice = Notification.objects.get(kind="agreement_expiring")
    assert notice.url == "/dashboard/cities/kazan/"
    assert OutgoingEmail.objects.filter(notification=notice).count() == 1
    english, persian = render_notification(notice, "en"), render_notification(notice, "fa")
    assert english["subject"] == "An agreement with Kazan is expiring"
    assert "“Trade protocol” with Kazan is valid until" in english["message"]
    assert "کازان" in persian["subject"] and "Trade protocol (fa)" in persian["message"]


def test_an_agreement_that_expires_is_told_once_more(kazan, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 30
    reviewer("staff@example.org")
    item = agreement(kazan, "Trade protocol", days(5))
    tasks.tell_about_agreements()

    Agreement.objects.filter(pk=item.pk).update(valid_until=days(-1))  # as time passes
    AgreementNotice.objects.filter(agreement=item).update(valid_until=days(-1))

    assert tasks.tell_about_agreements() == (0, 1)
    assert tasks.tell_about_agreements() == (0, 0)
    assert told("agreement_expired") == [("staff@example.org", "Trade protocol")]
    message = render_notification(Notification.objects.get(kind="agreement_expired"), "en")
    assert "has expired" in message["subject"]


def test_a_renewed_agreement_is_told_about_again_when_its_new_end_nears(kazan, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 30
    reviewer("staff@example.org")
    item = agreement(kazan, "Trade protocol", days(10))
    tasks.tell_about_agreements()

    item.valid_until = days(20)
    item.save()

    assert tasks.tell_about_agreements() == (1, 0)
    assert len(told("agreement_expiring")) == 2


def test_agreements_staff_decided_about_or_long_ended_are_not_told(kazan, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 30
    reviewer("staff@example.org")
    agreement(kazan, "Replaced", days(3), status=Agreement.Status.SUPERSEDED)
    agreement(kazan, "Ended years ago", days(-800))

    assert tasks.tell_about_agreements() == (0, 0)
    assert not Notification.objects.filter(kind__startswith="agreement").exists()


@pytest.mark.worker
def test_beat_and_a_real_worker_tell_each_change_once_however_often_the_check_runs(
    celery_worker, smtp_server, tmp_path
):
    # The worker and beat run with the production default of AGREEMENT_RENEWAL_NOTICE_DAYS (90).
    city = SisterCityFactory(slug="kazan", name_en="Kazan", name_fa="کازان")
    reviewer("staff@example.org")
    reviewer("maryam@example.org")
    agreement(city, "Trade protocol", days(60))
    agreement(city, "Museum programme", days(-3))
    agreement(city, "Open-ended", None)

    # Beat runs the check every half second here: many runs, as after a restart or a backlog.
    beat = start_beat(
        service_env(
            AGREEMENT_CHECK_INTERVAL_SECONDS=0.5,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
            DELIVERY_SWEEP_INTERVAL_SECONDS=3600,
        ),
        tmp_path,
    )
    try:

        def sent() -> int:
            return OutgoingEmail.objects.filter(
                notification__kind__startswith="agreement", status="sent"
            ).count()

        wait_for(lambda: sent() == 4, timeout=60)
        wait_for(lambda: beat.log.count("tell_about_agreements") >= 4, timeout=20)
    finally:
        beat.stop()
    time.sleep(1)  # time for a last run already queued, too

    assert AgreementNotice.objects.count() == 2
    assert Notification.objects.filter(kind__startswith="agreement").count() == 4
    for email in ("staff@example.org", "maryam@example.org"):
        subjects = sorted(message["Subject"] for message in smtp_server.messages_to(email))
        assert subjects == [
            "An agreement with Kazan has expired",
            "An agreement with Kazan is expiring",
        ]
