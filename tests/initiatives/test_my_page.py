"""/me/: a citizen diplomat's home (meetings to answer, their initiatives, what is new, what
to do next), and everyone else's application; the profile one click away at /me/profile/."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from citizens.models import Notification
from initiatives.models import Initiative, Invitation, Meeting, Membership
from tests.factories import SisterCityFactory, UserFactory, application_in

from .factories import InitiativeFactory, MeetingFactory, diplomat, invitation, member

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The <section> labelled by `heading_id`, whole."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def kuala_lumpur():
    return SisterCityFactory(name_en="Kuala Lumpur", name_fa="کوالالامپور", country_code="MY")


@pytest.fixture
def sara(kuala_lumpur):
    """A newly approved diplomat: culture and urban development, Kuala Lumpur, English and
    Russian; signed in."""
    application = application_in(
        "approved",
        user__email="sara@example.org",
        user__first_name="Sara",
        user__last_name="Ahmadi",
        fields_of_expertise=["cultural", "urban"],
        preferred_cities=[kuala_lumpur],
        languages=[("en", "fluent"), ("ru", "intermediate")],
    )
    return application.user


def test_a_diplomat_sees_each_meeting_to_come_with_their_own_answer(client, sara):
    board = MeetingFactory(title="Crafts board")
    fair = MeetingFactory(title="Crafts fair", starts_at=timezone.now() + timedelta(days=9))
    invitation(board, sara)
    invitation(fair, sara, state=Invitation.State.ACCEPTED)
    past = MeetingFactory(
        title="Last year's board",
        starts_at=timezone.now() - timedelta(days=300),
        ends_at=timezone.now() - timedelta(days=300) + timedelta(hours=2),
    )
    invitation(past, sara)
    MeetingFactory(title="Someone else's meeting")
    client.force_login(sara)

    meetings = section(html_of(client.get("/me/")), "meetings-heading")

    assert meetings.index("Crafts board") < meetings.index("Crafts fair")
    assert "Last year&#x27;s board" not in meetings and "Someone else" not in meetings
    answers = re.findall(r'my-answer">My answer: <strong>([^<]+)</strong>', meetings)
    assert answers == ["not answered yet", "Accepted"]


def test_a_diplomat_answers_a_meeting_on_their_page_and_comes_back_to_it(client, sara):
    board = invitation(MeetingFactory(title="Crafts board"), sara)
    client.force_login(sara)

    response = client.post(
        f"/meetings/{board.meeting.pk}/rsvp/", {"answer": "maybe", "next": "/me/"}, follow=True
    )

    assert response.redirect_chain == [("/me/", 302)]
    board.refresh_from_db()
    assert board.state == Invitation.State.TENTATIVE
    html = html_of(response)
    assert "Thank you. Your answer: Maybe." in html
    assert "My answer: <strong>Maybe</strong>" in html
    assert re.search(r'value="maybe"\s+class="btn btn-secondary"\s+aria-pressed="true"', html)


def test_an_answer_is_sent_back_only_to_my_page_never_elsewhere(client, sara):
    board = invitation(MeetingFactory(), sara)
    client.force_login(sara)

    response = client.post(
        f"/meetings/{board.meeting.pk}/rsvp/",
        {"answer": "accept", "next": "https://elsewhere.example.org/"},
    )

    assert response["Location"] == f"/meetings/{board.meeting.pk}/"


def test_an_answer_the_service_refuses_is_a_message_on_my_page(client, sara):
    board = invitation(MeetingFactory(), sara)
    Meeting.objects.filter(pk=board.meeting_id).update(status=Meeting.Status.CANCELLED)
    client.force_login(sara)

    response = client.post(
        f"/meetings/{board.meeting.pk}/rsvp/", {"answer": "accept", "next": "/me/"}, follow=True
    )

    assert "This meeting was cancelled." in html_of(response)
    board.refresh_from_db()
    assert board.state == Invitation.State.SENT


def test_my_initiatives_are_those_i_belong_to_or_asked_to_join(client, sara):
    for title, state in [
        ("Crafts exchange", Membership.State.ACCEPTED),
        ("Bazaar twinning", Membership.State.REQUESTED),
        ("Old plan", Membership.State.DECLINED),
        ("Left behind", Membership.State.LEFT),
    ]:
        member(InitiativeFactory(title_en=title), sara, state)
    client.force_login(sara)

    mine = section(html_of(client.get("/me/")), "initiatives-heading")

    assert re.findall(r'<a href="/initiatives/[^"]+">([^<]+)</a>', mine) == [
        "Crafts exchange",
        "Bazaar twinning",
    ]
    assert "Member" in mine and "Asked to join" in mine


def test_suggestions_match_the_application_and_say_why(client, sara, kuala_lumpur):
    kazan = SisterCityFactory(name_en="Kazan", country_code="RU")
    lyon = SisterCityFactory(name_en="Lyon", country_code="FR")
    InitiativeFactory(title_en="Heritage houses", field="urban", cities=[lyon])
    InitiativeFactory(title_en="Tea house evenings", field="cultural", cities=[kuala_lumpur])
    InitiativeFactory(title_en="Tatar trade fair", field="economic", cities=[kazan])
    InitiativeFactory(title_en="Wine and cheese", field="economic", cities=[lyon])
    InitiativeFactory(
        title_en="Finished festival",
        field="cultural",
        cities=[kuala_lumpur],
        status=Initiative.Status.COMPLETED,
    )
    member(InitiativeFactory(title_en="Joined already", field="cultural"), sara)
    client.force_login(sara)

    suggestions = section(html_of(client.get("/me/")), "suggestions-heading")

    titles = re.findall(r'<a [^>]*href="/initiatives/[^"]+">([^<]+)</a>', suggestions)
    # A preferred city first, then the field, then a language spoken there.
    assert titles == ["Tea house evenings", "Heritage houses", "Tatar trade fair"]
    why = re.findall(r'suggestion-why">([^<]+)<', suggestions)
    assert why == [
        "Matches your field: cultural; works with Kuala Lumpur",
        "Matches your field: urban development",
        "Works with Kazan, where Russian is spoken",
    ]


def test_a_new_diplomat_is_told_what_next_until_they_take_part(client, sara):
    client.force_login(sara)
    assert "What next" in html_of(client.get("/me/"))

    member(InitiativeFactory(), sara, Membership.State.REQUESTED)

    assert "What next" not in html_of(client.get("/me/"))


def test_asking_to_join_a_suggestion_from_my_page_comes_back_to_it(client, sara, kuala_lumpur):
    tea = InitiativeFactory(title_en="Tea house evenings", field="cultural", cities=[kuala_lumpur])
    client.force_login(sara)

    response = client.post(f"/initiatives/{tea.slug}/join/", {"next": "/me/"}, follow=True)

    assert response.redirect_chain == [("/me/", 302)]
    html = html_of(response)
    assert "Your request was sent to the coordinator." in html
    assert "Tea house evenings" in section(html, "initiatives-heading")
    assert "suggestions-heading" not in html  # nothing else matches
    assert Membership.objects.get(initiative=tea, user=sara).state == Membership.State.REQUESTED


def test_a_few_unread_notices_show_with_the_way_to_the_inbox(client, sara):
    Notification.objects.filter(recipient=sara).update(read_at=timezone.now())
    Notification.objects.bulk_create(
        Notification(
            recipient=sara,
            kind=Notification.Kind.MEETING_CANCELLED,
            context={"meeting": f"Meeting {n}", "host": "Florence", "host_fa": "فلورانس"},
        )
        for n in range(8)
    )
    client.force_login(sara)

    notices = section(html_of(client.get("/me/")), "notices-heading")

    assert notices.count("<li") == 5
    assert 'href="/inbox/"' in notices


def test_my_page_reads_in_persian_right_to_left_with_solar_hijri_dates(client, sara, kuala_lumpur):
    sara.preferred_language = "fa"
    sara.save(update_fields=["preferred_language"])
    invitation(MeetingFactory(title="Crafts board"), sara)
    InitiativeFactory(
        title_en="Tea house evenings",
        title_fa="شب‌های چای‌خانه",
        field="cultural",
        cities=[kuala_lumpur],
    )
    client.force_login(sara)

    html = html_of(client.get("/me/"))

    assert 'lang="fa" dir="rtl"' in html
    assert "جلسه‌های پیش روی من" in html and "طرح‌های مناسب شما" in html
    assert "شب‌های چای‌خانه" in html
    assert "با زمینهٔ شما همخوان است: فرهنگی؛ با کوالالامپور کار می‌کند" in html
    assert "هنوز پاسخ نداده‌اید" in html
    assert re.search(
        r"[۰-۹]{2} (آذر|دی|بهمن|اسفند|فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان)", html
    )
    assert "My upcoming meetings" not in html


def test_a_citizen_who_is_not_a_diplomat_keeps_the_page_of_their_application(client):
    application = application_in("submitted")
    client.force_login(application.user)

    html = html_of(client.get("/me/"))

    assert "My application" in html and "Withdraw my application" in html
    assert "My upcoming meetings" not in html and "Initiatives for you" not in html


def test_the_profile_is_one_click_away_with_the_application_and_the_data(client, sara):
    client.force_login(sara)

    assert 'href="/me/profile/"' in html_of(client.get("/me/"))
    html = html_of(client.get("/me/profile/"))

    assert "My profile and application" in html
    assert "Draft → Submitted" in html  # the application's history
    assert 'href="/me/export/"' in html and 'href="/me/delete/"' in html
    assert '<a href="/me/">My page</a>' in html  # the way back


@pytest.mark.parametrize("address", ["/me/", "/me/profile/"])
def test_the_profile_form_saves_at_either_address_and_comes_back_to_it(client, sara, address):
    client.force_login(sara)

    response = client.post(
        address, {"first_name": "Sarah", "last_name": "Ahmadi", "preferred_language": "en"}
    )

    assert response["Location"] == address
    sara.refresh_from_db()
    assert sara.first_name == "Sarah"


def test_a_wrong_profile_is_refused_on_the_form_and_nothing_saved(client, sara):
    client.force_login(sara)

    response = client.post(
        "/me/profile/", {"first_name": "S" * 151, "last_name": "X", "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert "at most 150 characters" in html_of(response)
    sara.refresh_from_db()
    assert (sara.first_name, sara.last_name) == ("Sara", "Ahmadi")


def _crowd(reza, kuala_lumpur, count: int) -> None:
    """`count` initiatives reza belongs to or may join, each with a meeting he is invited to and
    a notice."""
    for n in range(count):
        initiative = InitiativeFactory(
            title_en=f"Initiative {n}", field="cultural", cities=[kuala_lumpur]
        )
        if n % 2:
            member(initiative, reza)
        invitation(MeetingFactory(initiative=initiative), reza)
        Notification.objects.create(
            recipient=reza,
            kind=Notification.Kind.MEETING_CANCELLED,
            context={"meeting": f"Meeting {n}", "host": "Florence", "host_fa": "فلورانس"},
        )


@pytest.mark.parametrize("language", ["en", "fa"])
def test_my_page_does_as_many_queries_for_30_initiatives_as_for_2(
    client, sara, kuala_lumpur, language
):
    sara.preferred_language = language
    sara.save(update_fields=["preferred_language"])
    client.force_login(sara)
    counts = []
    for size in (2, 28):
        _crowd(sara, kuala_lumpur, size)
        client.get("/me/")  # the notices' texts rendered and kept once
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/me/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_someone_signed_out_is_sent_to_sign_in(client):
    assert client.get("/me/")["Location"].startswith("/accounts/login/")
    assert client.get("/me/profile/")["Location"].startswith("/accounts/login/")


def test_a_diplomat_without_an_application_on_file_gets_no_suggestions(client):
    """Made a diplomat by hand (the admin), with nothing to match."""
    reza = diplomat("reza@example.org")
    InitiativeFactory(field="cultural")
    client.force_login(reza)

    html = html_of(client.get("/me/"))

    assert "My upcoming meetings" in html
    assert "suggestions-heading" not in html


def test_a_citizen_signed_in_is_not_a_diplomat_so_their_page_invites_to_apply(client):
    client.force_login(UserFactory())

    assert "You have not applied yet." in html_of(client.get("/me/"))
