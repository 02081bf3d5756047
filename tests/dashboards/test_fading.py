"""The daily fading check: marks a city once it has had no activity for CITY_FADING_AFTER_DAYS,
tells the staff and the city's coordinators once, and clears the mark when activity returns."""

import datetime
import time

import pytest
from django.utils import timezone

from citizens.models import Notification, OutgoingEmail
from citizens.roles import INITIATIVE_COORDINATORS
from citizens.services.notifications import render_notification
from diplomacy_portal.celery import app
from sistercities import services, tasks
from sistercities.models import ContactLog, SisterCity
from tests.factories import SisterCityFactory, UserFactory
from tests.helpers import wait_for

from .conftest import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(settings, staff):
    settings.CITY_FADING_AFTER_DAYS = 30
    today = timezone.localdate()
    quiet = SisterCityFactory(name_en="Kazan", name_fa="کازان", slug="kazan")
    busy = SisterCityFactory(name_en="Porto", slug="porto")
    ContactLog.objects.create(city=quiet, date=today - datetime.timedelta(days=31), kind="call")
    ContactLog.objects.create(city=busy, date=today - datetime.timedelta(days=30), kind="call")
    theirs = UserFactory(email="theirs@example.org", is_staff=True, roles=[INITIATIVE_COORDINATORS])
    other = UserFactory(email="other@example.org", is_staff=True, roles=[INITIATIVE_COORDINATORS])
    make_initiative("kazan-trade", [quiet], coordinator=theirs, updated_days_ago=60)
    make_initiative("porto-wine", [busy], coordinator=other, updated_days_ago=60)
    return quiet, busy


def test_the_beat_schedule_runs_the_check_daily():
    entry = app.conf.beat_schedule["record-fading-cities"]
    assert entry["task"] == "sistercities.tasks.record_fading_cities"
    assert tasks.record_fading_cities.name == entry["task"]


def test_a_city_silent_longer_than_the_setting_is_marked_and_people_told_once(
    setup, django_capture_on_commit_callbacks
):
    quiet, busy = setup

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.record_fading_cities.delay().get() == (1, 0)

    quiet.refresh_from_db()
    busy.refresh_from_db()
    assert quiet.fading_since is not None
    assert busy.fading_since is None  # exactly 30 days is not more than 30
    told = Notification.objects.filter(kind="city_fading")
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "staff@example.org",
        "theirs@example.org",
    ]
    assert OutgoingEmail.objects.filter(notification__kind="city_fading").count() == 2
    assert told.first().url == "/dashboard/cities/kazan/"
    text = render_notification(told.first(), "en")
    assert "Kazan" in text["subject"] and "30 days" in text["message"]
    assert "کازان" in render_notification(told.first(), "fa")["subject"]

    assert tasks.record_fading_cities.delay().get() == (0, 0)
    assert Notification.objects.filter(kind="city_fading").count() == 2


def test_activity_clears_the_mark_and_a_later_silence_tells_again(setup):
    quiet, _busy = setup
    tasks.record_fading_cities()
    ContactLog.objects.create(city=quiet, date=timezone.localdate(), kind="visit")

    assert tasks.record_fading_cities() == (0, 1)
    assert SisterCity.objects.get(pk=quiet.pk).fading_since is None

    ContactLog.objects.filter(city=quiet, kind="visit").delete()
    assert tasks.record_fading_cities() == (1, 0)
    assert Notification.objects.filter(kind="city_fading").count() == 4


def test_the_dashboard_shows_when_a_city_started_fading(setup, official_client):
    tasks.record_fading_cities()

    rows = official_client.get("/dashboard/?fading=on").context["tables"]["cities"].rows

    assert [(row[0].text, row[-1]) for row in rows] == [("Kazan", timezone.localdate())]


@pytest.mark.worker
def test_a_real_worker_running_the_check_twice_tells_each_person_once(
    celery_worker, smtp_server, staff
):
    # The worker runs with the production default of CITY_FADING_AFTER_DAYS (90).
    quiet = SisterCityFactory(name_en="Kazan", name_fa="کازان", slug="kazan")
    ContactLog.objects.create(
        city=quiet, date=timezone.localdate() - datetime.timedelta(days=100), kind="call"
    )
    theirs = UserFactory(email="theirs@example.org", is_staff=True, roles=[INITIATIVE_COORDINATORS])
    make_initiative("kazan-trade", [quiet], coordinator=theirs, updated_days_ago=100)

    tasks.record_fading_cities.delay()
    tasks.record_fading_cities.delay()  # beat fired twice, or the task was redelivered

    def everyone_told():
        return OutgoingEmail.objects.filter(notification__kind="city_fading", status="sent").count()

    wait_for(lambda: everyone_told() == 2)
    time.sleep(1.5)  # time for the second run, too
    assert Notification.objects.filter(kind="city_fading").count() == 2
    for email in ("staff@example.org", "theirs@example.org"):
        (message,) = smtp_server.messages_to(email)
        assert "Kazan" in message["Subject"]
    assert SisterCity.objects.get(pk=quiet.pk).fading_since is not None


def test_staff_see_in_the_admin_since_when_a_city_fades(setup, client, staff):
    quiet, _busy = setup
    tasks.record_fading_cities()
    client.force_login(staff)

    page = client.get(f"/admin/sistercities/sistercity/{quiet.pk}/change/").content.decode()

    assert "Fading since" in page
    assert 'name="fading_since"' not in page  # shown, not editable


def test_a_city_never_active_shows_no_activity_yet_not_fading_since_today(client, staff):
    SisterCityFactory(name_en="Kazan", slug="kazan")
    services.record_fading_cities()
    assert SisterCity.objects.get(slug="kazan").fading_since is not None  # staff were told
    client.force_login(staff)

    page = client.get("/dashboard/cities/kazan/").content.decode()
    rows = client.get("/dashboard/").context["tables"]["cities"].rows

    assert "No activity yet" in page
    assert "Fading since" not in page
    (kazan,) = [row for row in rows if "Kazan" in str(row[0].text)]
    assert kazan[-1] is None  # the "Fading since" column


def test_a_city_that_was_active_once_shows_since_when_it_fades(client, staff):
    kazan = SisterCityFactory(name_en="Kazan", slug="kazan")
    ContactLog.objects.create(
        city=kazan, date=timezone.localdate() - datetime.timedelta(days=400), kind="call"
    )
    services.record_fading_cities()
    client.force_login(staff)

    page = client.get("/dashboard/cities/kazan/").content.decode()

    assert "Fading since" in page and "No activity yet" not in page
