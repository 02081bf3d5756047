"""The dashboard's figures equal what the test works out itself from the rows it made."""

import datetime
import re
import statistics

import jdatetime
import pytest
from django.utils import timezone

from citizens.models import DiplomatApplication
from diplomacy_portal.l10n import PERSIAN_DIGITS
from initiatives.models import Initiative, Invitation, Meeting, Membership
from sistercities.models import ContactLog
from sistercities.selectors import dashboard
from tests.factories import SisterCityFactory, UserFactory, application_in

from .conftest import days_ago, make_initiative, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    """Four cities with known activity; CITY_FADING_AFTER_DAYS is 90."""
    settings.CITY_FADING_AFTER_DAYS = 90
    today = timezone.localdate()
    alive = SisterCityFactory(name_en="Alive", status="active")
    fading = SisterCityFactory(name_en="Fading", status="dormant")
    suspended = SisterCityFactory(name_en="Suspended", status="suspended")
    silent = SisterCityFactory(name_en="Silent", status="reviving")

    crafts = make_initiative("crafts", [alive], field="handicrafts", updated_days_ago=200)
    music = make_initiative("music", [alive, fading], field="cultural", updated_days_ago=150)
    done = make_initiative("done", [alive], status="completed", updated_days_ago=300)
    make_initiative("idea", [fading], status="proposed", field="economic", updated_days_ago=130)
    ContactLog.objects.create(city=alive, date=today - datetime.timedelta(days=10), kind="call")
    ContactLog.objects.create(city=fading, date=today - datetime.timedelta(days=120), kind="visit")
    held = make_meeting(starts_at=days_ago(30), city=alive)
    make_meeting(starts_at=days_ago(100), initiative=music)  # counts for both of its cities
    make_meeting(starts_at=days_ago(5), city=alive, status=Meeting.Status.CANCELLED)
    make_meeting(starts_at=days_ago(400), city=alive)  # more than a year ago
    upcoming = make_meeting(starts_at=days_ago(-10), initiative=crafts)
    make_meeting(starts_at=days_ago(-40), initiative=crafts)  # beyond 30 days

    people = [UserFactory(diplomat_since=timezone.now()) for _ in range(4)]
    for initiative, person, state in [
        (crafts, people[0], "accepted"),
        (music, people[0], "accepted"),
        (music, people[1], "accepted"),
        (crafts, people[2], "requested"),
        (done, people[3], "accepted"),
    ]:
        Membership.objects.create(initiative=initiative, user=person, state=state)

    sent_recently = days_ago(20)
    for person, state, sent_at in [
        (people[0], "accepted", sent_recently),
        (people[1], "accepted", sent_recently),
        (people[2], "declined", sent_recently),
        (people[3], "sent", sent_recently),
        (people[1], "accepted", days_ago(120)),  # outside the 90 days
    ]:
        meeting = held if sent_at == sent_recently else upcoming
        Invitation.objects.create(meeting=meeting, invitee=person, state=state, sent_at=sent_at)
    return {"alive": alive, "fading": fading, "suspended": suspended, "silent": silent}


def _applications(city):
    """Decisions that took 2, 5 and 11 days; two waiting; one draft."""
    decided = []
    for status, days in [("approved", 2), ("approved", 5), ("rejected", 11)]:
        application = application_in(status, preferred_cities=[city])
        submitted = timezone.now() - datetime.timedelta(days=40)
        DiplomatApplication.objects.filter(pk=application.pk).update(
            submitted_at=submitted, decided_at=submitted + datetime.timedelta(days=days)
        )
        decided.append(application.pk)
    for status in ("submitted", "submitted", "draft"):
        application_in(status, preferred_cities=[city])
    return decided


def _rows(response):
    table = response.context["tables"]["cities"]
    return {
        row[0].text: dict(zip([c.label for c in table.columns], row, strict=True))
        for row in table.rows
    }


def test_the_health_table_shows_days_since_activity_counts_and_fading_flags(official_client, world):
    today = timezone.localdate()
    rows = _rows(official_client.get("/dashboard/"))

    alive = rows["Alive"]
    assert alive["Last activity"] == today - datetime.timedelta(days=10)  # the call
    assert alive["Days since activity"] == 10
    assert alive["Active initiatives"] == 2  # crafts and music; not the completed one
    assert alive["Engaged diplomats"] == 2  # people 0 and 1; a request and a completed one no
    # Its own a month ago and music's (shared with Fading); not cancelled, not 400 days ago.
    assert alive["Meetings in the last 12 months"] == 2
    assert alive["Health"].level == "alive"

    fading = rows["Fading"]
    assert fading["Days since activity"] == 100  # music's meeting; the contact was earlier
    assert fading["Active initiatives"] == 1
    assert fading["Engaged diplomats"] == 2  # music's members
    assert fading["Meetings in the last 12 months"] == 1
    assert fading["Health"].level == "fading"

    assert rows["Silent"]["Last activity"] is None
    assert rows["Silent"]["Health"].level == "fading"
    assert rows["Suspended"]["Health"].level == "suspended"  # suspended on purpose: not fading


def test_a_fresh_initiative_update_or_start_counts_as_activity(official_client, world):
    Initiative.objects.get(slug="idea").save()  # updated today

    rows = _rows(official_client.get("/dashboard/"))

    assert rows["Fading"]["Days since activity"] == 0
    assert rows["Fading"]["Health"].level == "alive"


def test_the_fading_filter_shows_only_fading_cities(official_client, world):
    rows = _rows(official_client.get("/dashboard/?fading=on"))

    assert set(rows) == {"Fading", "Silent"}
    rows = _rows(official_client.get("/dashboard/?status=dormant"))
    assert set(rows) == {"Fading"}


def test_sorting_by_days_puts_the_most_neglected_first(official_client, world):
    names = list(_rows(official_client.get("/dashboard/?sort=-days")))
    assert names[:2] == ["Silent", "Suspended"]  # never active
    assert names[2:] == ["Fading", "Alive"]
    names = list(_rows(official_client.get("/dashboard/?sort=days")))
    assert names[:2] == ["Alive", "Fading"]


def test_sorting_by_status_follows_the_labels_in_the_readers_language(world):
    from django.utils import translation

    from sistercities.models import SisterCity
    from sistercities.selectors.dashboard import city_health, health_rows

    rows = health_rows(SisterCity.objects.all())

    def order(language: str) -> list[str]:
        with translation.override(language):
            return [row["name_en"] for row in city_health(rows, sort="status")]

    # Active, Dormant, Reviving, Suspended
    assert order("en") == ["Alive", "Fading", "Silent", "Suspended"]
    # در حال احیا (reviving), راکد (dormant), فعال (active), معلق (suspended)
    assert order("fa") == ["Silent", "Fading", "Alive", "Suspended"]


def test_the_headline_figures_match_the_rows(official_client, world):
    decided = _applications(world["alive"])
    figures = official_client.get("/dashboard/").context["figures"]

    rows = DiplomatApplication.objects.filter(pk__in=decided)
    expected_median = statistics.median(
        (row.decided_at - row.submitted_at).total_seconds() / 86400 for row in rows
    )
    assert figures["applications"]["median_days"] == pytest.approx(expected_median)
    assert expected_median == pytest.approx(5)
    assert figures["applications"]["waiting"] == 2
    assert figures["applications"]["started"] == DiplomatApplication.objects.count() == 6
    assert figures["applications"]["approved"] == 2
    assert figures["diplomats"] == 4 + 2  # the four people and the two approved applicants
    assert figures["cities"] == {
        "cities": 4,
        "fading": 2,
        "active": 1,
        "dormant": 1,
        "suspended": 1,
        "reviving": 1,
    }
    assert {row["field"]: row["n"] for row in figures["initiatives_by_field"]} == {
        "handicrafts": 1,
        "cultural": 1,
    }
    assert figures["meetings_next_30_days"] == 1  # crafts' in 10 days, not the one in 40
    invitations = figures["invitations"]
    assert (invitations["sent"], invitations["accepted"]) == (4, 2)
    assert invitations["rate"] == 50.0


def test_initiatives_by_field_per_city_leave_out_completed_ones(official_client, world):
    table = official_client.get("/dashboard/").context["tables"]["fields"]

    assert [column.label for column in table.columns] == [
        "City",
        "Economic",
        "Cultural",
        "Arts and handicrafts",
    ]
    # Alive has a completed initiative too: it still shows, without it.
    assert table.rows == [["Alive", 0, 1, 1], ["Fading", 1, 1, 0]]


def test_the_page_shows_initiatives_by_field_for_the_busiest_cities_and_the_download_all(
    official_client, world, monkeypatch
):
    make_initiative("trade", [world["fading"]], field="economic")
    monkeypatch.setattr(dashboard, "BUSIEST_CITIES_SHOWN", 1)

    response = official_client.get("/dashboard/")
    download = official_client.get("/dashboard/tables/fields.csv")

    shown = response.context["on_page"]["fields"]
    assert [row[0] for row in shown.rows] == ["Fading"]  # three under way, against two
    assert "The first 1 of 2 are shown; the downloads have them all." in response.content.decode()
    assert response.context["charts"]["fields"]["labels"] == ["Fading"]
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["Fading", "Alive"]


def test_the_funnel_and_monthly_activity_count_the_rows(official_client, world):
    _applications(world["alive"])
    tables = official_client.get("/dashboard/").context["tables"]

    funnel = {row[0]: row[1] for row in tables["funnel"].rows}
    assert list(funnel.values()) == [6, 5, 3, 2]  # started, submitted, decided, approved
    activity = tables["activity"].rows
    assert len(activity) == 12
    assert (
        sum(row[1] for row in activity)
        == Meeting.objects.filter(
            status="scheduled", starts_at__lte=timezone.now(), starts_at__gte=days_ago(330)
        ).count()
        == 2
    )
    assert sum(row[2] for row in activity) == 2  # both contacts
    this_month = activity[-1]
    assert this_month[0] == timezone.localdate().strftime("%b %Y")


def test_persian_month_labels_are_jalali_and_their_buckets_jalali_months(
    official_client, official, world
):
    official.preferred_language = "fa"
    official.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    rows = official_client.get("/dashboard/").context["tables"]["activity"].rows
    jalali = jdatetime.date.fromgregorian(date=today, locale="fa_IR")
    assert rows[-1][0].startswith(jalali.j_months_fa[jalali.month - 1])
    assert rows[-1][0].endswith(str(jalali.year).translate(PERSIAN_DIGITS))
    # The call ten days ago falls in the Jalali month of its own day.
    call = jdatetime.date.fromgregorian(date=today - datetime.timedelta(days=10))
    months_back = (jalali.year - call.year) * 12 + jalali.month - call.month
    assert rows[-1 - months_back][2] == 1


def test_the_city_page_counts_its_meetings_people_and_timeline(client, staff, world):
    client.force_login(staff)
    response = client.get("/dashboard/cities/alive/")
    tables = response.context["tables"]

    assert "<title>Alive: dashboard · " in response.content.decode()
    assert [row[0].text for row in tables["initiatives"].rows] == ["Crafts", "Music", "Done"]
    assert {row[0].text: row[4] for row in tables["initiatives"].rows}["Music"] == 2
    # Invited, accepted, declined: its own meeting, then music's (no invitations).
    assert [row[3:] for row in tables["held"].rows] == [[4, 2, 1], [0, 0, 0]]
    assert len(tables["upcoming"].rows) == 2
    assert {row[0]: row[1] for row in tables["engaged"].rows} == {
        "Arts and handicrafts": 1,
        "Cultural": 2,
    }
    assert len(tables["diplomats"].rows) == 2  # names, for the staff
    timeline = tables["timeline"].rows
    assert timeline[0][0] == timezone.localdate() - datetime.timedelta(days=10)
    assert [row[0] for row in timeline] == sorted((row[0] for row in timeline), reverse=True)
    assert response.context["health"]["days_since_activity"] == 10


def test_officials_see_how_many_diplomats_but_not_their_names(official_client, world):
    response = official_client.get("/dashboard/cities/alive/")

    assert "diplomats" not in response.context["tables"]
    people = Membership.objects.filter(state="accepted").select_related("user")
    for membership in people:
        assert membership.user.last_name not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_with_no_decisions_the_median_time_to_a_decision_is_a_dash(official_client, language):
    application_in("submitted")

    response = official_client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language)

    card = re.search(r'id="median-decision-days">(.*?)</dd>', response.content.decode()).group(1)
    assert response.context["figures"]["applications"]["median_days"] is None
    assert '<span aria-hidden="true">–</span>' in card
    assert "0.0" not in card and "۰٫۰" not in card
