"""Anyone may follow a sister city or an initiative with only an e-mail address: double opt-in,
no telling who follows, a rate limit, each public meeting e-mailed once to each confirmed
address in its language, and a one-click way out in every such e-mail."""

import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from citizens.models import OutgoingEmail
from citizens.services.mail import email_message
from initiatives.models import Follow, Meeting
from initiatives.services import follows, meetings
from tests.factories import SisterCityFactory

from .factories import InitiativeFactory, diplomat, member, staff

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.net"


@pytest.fixture
def city():
    return SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")


@pytest.fixture
def initiative(city):
    return InitiativeFactory(slug="crafts", title_en="Crafts exchange", cities=[city])


def _ask(client, url, email=ADDRESS, **extra):
    return client.post(url, {"email": email}, **extra)


def _link(email: OutgoingEmail, kind: str) -> str:
    return re.search(rf"https?://\S+/follow/{kind}/[^/\s]+/", email.body_text).group(0)


def _confirmed(target, email=ADDRESS, language="en") -> Follow:
    field = "initiative" if hasattr(target, "title_en") else "city"
    return Follow.objects.create(
        email=email, language=language, confirmed_at=timezone.now(), **{field: target}
    )


def _schedule(captured, *, kind=Meeting.Kind.PUBLIC_EVENT, **where):
    start = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    organiser = where["initiative"].coordinator if "initiative" in where else staff()
    with captured(execute=True):
        return meetings.schedule_meeting(
            organiser=organiser,
            details={
                "title": "Open crafts fair",
                "kind": kind,
                "starts_at": start,
                "ends_at": start + timedelta(hours=2),
                "timezone": "Asia/Tehran",
                "place": "Chehel Sotoun garden",
                "online_link": "",
                "agenda": "",
                "capacity": None,
            },
            **where,
        )


def test_asking_to_follow_a_city_stores_a_pending_follow_and_emails_a_link_to_confirm(city):
    response = _ask(Client(), "/cities/florence/follow/")

    assert response.status_code == 302 and response["Location"] == "/cities/florence/"
    follow = Follow.objects.get()
    assert (follow.email, follow.city, follow.confirmed_at) == (ADDRESS, city, None)
    (email,) = OutgoingEmail.objects.all()
    assert email.to == ADDRESS and "Florence" in email.subject
    assert "/follow/confirm/" in email.body_text and "/follow/confirm/" in email.body_html


def test_the_emails_come_in_the_language_of_the_page_the_form_was_on(initiative):
    client = Client(headers={"accept-language": "fa"})

    _ask(client, "/initiatives/crafts/follow/")

    assert Follow.objects.get().language == "fa"
    assert "تأیید" in OutgoingEmail.objects.get().subject


def test_the_page_answers_the_same_whatever_the_address(city):
    _confirmed(city, "known@example.net")
    client = Client()

    known = _ask(client, "/cities/florence/follow/", "known@example.net")
    unknown = _ask(client, "/cities/florence/follow/", "unknown@example.net")
    known_page = client.get(known["Location"]).content.decode()

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert "If the address is right, an e-mail is on its way" in known_page
    # The address that follows already is sent nothing more.
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["unknown@example.net"]


def test_a_wrong_address_is_refused_with_a_message_and_nothing_stored(city):
    response = _ask(Client(), "/cities/florence/follow/", "not an address")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Follow.objects.exists() and not OutgoingEmail.objects.exists()


def test_asking_too_often_from_one_address_or_one_client_is_refused(city, initiative, settings):
    settings.FOLLOW_REQUESTS_PER_ADDRESS = 2
    settings.FOLLOW_REQUESTS_PER_CLIENT = 3
    client = Client()

    for _ in range(2):
        assert _ask(client, "/cities/florence/follow/", REMOTE_ADDR="192.0.2.1").status_code == 302
    same_address = _ask(client, "/initiatives/crafts/follow/", REMOTE_ADDR="192.0.2.2")
    other_address = _ask(
        client, "/cities/florence/follow/", "b@example.net", REMOTE_ADDR="192.0.2.1"
    )
    same_client = _ask(client, "/cities/florence/follow/", "c@example.net", REMOTE_ADDR="192.0.2.1")

    assert same_address.status_code == 429 and "Too many requests" in same_address.content.decode()
    assert other_address.status_code == 302
    assert same_client.status_code == 429
    assert not Follow.objects.filter(email="c@example.net").exists()


def test_the_confirmation_link_asks_first_then_confirms_and_a_second_click_is_harmless(city):
    client = Client()
    _ask(client, "/cities/florence/follow/")
    link = _link(OutgoingEmail.objects.get(), "confirm")

    page = client.get(link)
    assert page.status_code == 200 and Follow.objects.get().confirmed_at is None
    assert client.post(link).status_code == 200
    confirmed_at = Follow.objects.get().confirmed_at
    assert confirmed_at is not None
    assert client.post(link).status_code == 200
    assert Follow.objects.get().confirmed_at == confirmed_at


def test_a_tampered_forged_or_expired_confirmation_link_confirms_nothing(city, settings):
    client = Client()
    _ask(client, "/cities/florence/follow/")
    link = _link(OutgoingEmail.objects.get(), "confirm")
    token = link.rstrip("/").rsplit("/", 1)[1]
    follow = Follow.objects.get()
    forged = signing.dumps({"follow": follow.pk, "email": ADDRESS}, salt=follows.STOP_SALT)

    assert client.post(link.replace(token, token[:-2] + "xx")).status_code == 400
    assert client.post(link.replace(token, forged)).status_code == 400
    settings.FOLLOW_CONFIRM_MAX_AGE_DAYS = -1
    assert client.post(link).status_code == 400
    assert Follow.objects.get().confirmed_at is None


def test_an_unconfirmed_address_is_told_nothing(initiative, django_capture_on_commit_callbacks):
    _ask(Client(), "/initiatives/crafts/follow/")
    OutgoingEmail.objects.all().delete()  # the confirmation

    _schedule(django_capture_on_commit_callbacks, initiative=initiative)

    assert not OutgoingEmail.objects.exists()


def test_a_public_meeting_reaches_the_followers_of_its_initiative_and_cities_once_each(
    initiative, city, django_capture_on_commit_callbacks
):
    _confirmed(initiative, "both@example.net")
    _confirmed(city, "both@example.net")
    _confirmed(initiative, "initiative@example.net", language="fa")
    _confirmed(city, "city@example.net")
    _confirmed(SisterCityFactory(slug="kyoto"), "elsewhere@example.net")

    _schedule(django_capture_on_commit_callbacks, initiative=initiative)

    sent = {email.to: email for email in OutgoingEmail.objects.all()}
    assert sorted(sent) == ["both@example.net", "city@example.net", "initiative@example.net"]
    assert "Open crafts fair" in sent["city@example.net"].subject
    assert "جلسهٔ عمومی" in sent["initiative@example.net"].subject


def test_a_city_meeting_reaches_the_citys_followers(city, django_capture_on_commit_callbacks):
    _confirmed(city)

    _schedule(django_capture_on_commit_callbacks, city=city)

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [ADDRESS]


def test_a_meeting_that_is_not_public_reaches_no_follower(
    initiative, city, django_capture_on_commit_callbacks
):
    _confirmed(initiative)
    _confirmed(city, "city@example.net")

    _schedule(django_capture_on_commit_callbacks, initiative=initiative, kind=Meeting.Kind.BOARD)
    _schedule(django_capture_on_commit_callbacks, city=city, kind=Meeting.Kind.WORKING_SESSION)

    assert not OutgoingEmail.objects.exists()


def test_a_followers_email_says_nothing_personal_about_members(
    initiative, django_capture_on_commit_callbacks
):
    person = diplomat("maryam.private@example.org", first_name="Maryam", last_name="Karimi")
    member(initiative, person)
    _confirmed(initiative)

    _schedule(django_capture_on_commit_callbacks, initiative=initiative)

    email = OutgoingEmail.objects.get()
    coordinator = initiative.coordinator
    for text in (email.subject, email.body_text, email.body_html):
        for personal in ("Maryam", "Karimi", person.email, coordinator.email):
            assert personal not in text


def test_every_followers_email_carries_a_one_click_way_out(
    initiative, django_capture_on_commit_callbacks
):
    _confirmed(initiative)
    _schedule(django_capture_on_commit_callbacks, initiative=initiative)
    email = OutgoingEmail.objects.get()

    sent = message_from_bytes(email_message(email).message().as_bytes())
    assert "".join(sent["List-Unsubscribe"].split()) == f"<{email.unsubscribe_url}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.unsubscribe_url in email.body_text and email.unsubscribe_url in email.body_html


def test_the_way_out_asks_first_then_stops_and_a_second_click_is_harmless(initiative):
    follow = _confirmed(initiative)
    url = follows.stop_url(follow)
    client = Client(enforce_csrf_checks=True)  # as a mail program: no cookie, no token

    page = client.get(url)
    assert page.status_code == 200 and ADDRESS in page.content.decode()
    assert Follow.objects.exists()
    assert client.post(url).status_code == 200
    assert not Follow.objects.exists()
    assert client.post(url).status_code == 200
    assert client.get(url).status_code == 200


def test_a_tampered_forged_or_expired_way_out_link_stops_nothing(initiative, settings):
    follow = _confirmed(initiative)
    url = follows.stop_url(follow)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps({"follow": follow.pk, "email": ADDRESS}, salt=follows.CONFIRM_SALT)
    client = Client()

    assert client.post(url.replace(token, token[:-2] + "xx")).status_code == 400
    assert client.post(url.replace(token, forged)).status_code == 400
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = -1
    assert client.post(url).status_code == 400
    assert Follow.objects.exists()


def test_the_city_and_initiative_pages_offer_the_form(initiative):
    client = Client()

    for url in ("/cities/florence/", "/initiatives/crafts/"):
        page = client.get(url).content.decode()
        assert f'action="{url}follow/"' in page and 'name="email"' in page
