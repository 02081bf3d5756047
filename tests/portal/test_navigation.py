"""The navigation bar, rendered for each request (templates/_navigation.html): each reader sees
their own links, address, unread count and forms' token, and nobody else's."""

import re

import pytest
from django.test import Client

from citizens.models import Notification
from citizens.roles import CITY_OFFICIALS
from tests.factories import SisterCityFactory, UserFactory, application_in, reviewer
from tests.initiatives.factories import InitiativeFactory, coordinator

pytestmark = pytest.mark.django_db


def navigation(response) -> str:
    html = response.content.decode()
    return html[html.index("<header>") : html.index("</header>")]


def label(link_html: str) -> str:
    """A link's first word, without its markup."""
    return re.sub(r"<[^>]+>|\s+", " ", link_html).split()[0]


def links(nav: str) -> list[str]:
    return [
        label(text) for text in re.findall(r'<a class="nav-link[^"]*"[^>]*>(.*?)</a>', nav, re.S)
    ]


def unread(person, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=person, kind=Notification.Kind.APPLICATION_SUBMITTED)
        for _ in range(count)
    )


def test_each_kind_of_reader_sees_their_own_links(client):
    assert links(navigation(client.get("/"))) == ["Home", "Sister", "Initiatives"]
    assert "Sign in" in navigation(client.get("/"))

    client.force_login(UserFactory(email="citizen@example.org"))
    assert links(navigation(client.get("/"))) == ["Home", "Sister", "Initiatives", "Apply", "Inbox"]

    client.force_login(UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]))
    assert links(navigation(client.get("/"))) == [
        "Home",
        "Sister",
        "Initiatives",
        "Inbox",
        "Dashboard",
    ]

    client.force_login(reviewer())
    nav = navigation(client.get("/"))
    assert links(nav)[-3:] == ["Dashboard", "Desk", "Administration"]
    assert "Apply" not in links(nav)
    assert "Sign in" not in nav


def link_texts(nav: str) -> list[str]:
    """The navigation's links, whole, in the order shown."""
    return [
        re.sub(r"<[^>]+>|\s+", " ", text).strip()
        for text in re.findall(r'<a class="nav-link[^"]*"[^>]*>(.*?)</a>', nav, re.S)
    ]


@pytest.mark.parametrize(
    "language, apply, application, my_page",
    [
        ("en", "Apply", "My application", "My page"),
        ("fa", "درخواست عضویت", "درخواست من", "صفحه من"),
    ],
)
def test_the_menu_offers_each_role_its_own_starting_points(
    client, language, apply, application, my_page
):
    def menu(person) -> list[str]:
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])
        client.force_login(person)
        return link_texts(navigation(client.get("/")))

    newcomer = menu(UserFactory())
    assert apply in newcomer and application not in newcomer and my_page not in newcomer

    applicant = menu(application_in("submitted").user)
    assert application in applicant and apply not in applicant

    rejected = menu(application_in("rejected").user)  # cannot apply again
    assert application in rejected and apply not in rejected

    diplomat = menu(application_in("approved").user)
    assert my_page in diplomat and apply not in diplomat and application not in diplomat

    for role_holder in (
        reviewer("staff@example.org"),
        UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]),
        UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
    ):
        assert apply not in menu(role_holder)


def test_a_coordinator_finds_the_initiatives_they_run_in_the_menu(client):
    neda = coordinator("neda@example.org")
    InitiativeFactory(title_en="Crafts exchange", coordinator=neda)
    InitiativeFactory(title_en="Finished fair", coordinator=neda, status="completed")
    InitiativeFactory(title_en="Someone else's", coordinator=coordinator("ali@example.org"))
    client.force_login(neda)

    nav = navigation(client.get("/"))

    assert "Initiatives I coordinate" in nav
    assert re.findall(r'<a class="dropdown-item" href="/initiatives/[^"]+">([^<]+)</a>', nav) == [
        "Crafts exchange"
    ]
    assert "Apply" not in link_texts(nav)


def test_everyone_signed_in_finds_their_profile_in_the_account_menu(client):
    client.force_login(UserFactory())

    assert 'href="/me/profile/"' in navigation(client.get("/"))


def test_readers_in_turn_see_only_their_own_address_and_count(client):
    first = UserFactory(email="first@example.org")
    second = UserFactory(email="second@example.org")
    unread(first, 3)

    client.force_login(first)
    first_nav = navigation(client.get("/me/"))
    client.force_login(second)
    second_nav = navigation(client.get("/me/"))

    assert "first@example.org" in first_nav
    assert '3<span class="visually-hidden"> unread</span>' in first_nav
    assert "second@example.org" in second_nav and "first@example.org" not in second_nav
    assert "unread</span>" not in second_nav


# Pages whose content is kept in the cache for every reader, and pages of one's own.
SHARED_AND_OWN_PAGES = ["/", "/cities/", "/cities/florence/", "/initiatives/", "/me/", "/inbox/"]


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("path", [*SHARED_AND_OWN_PAGES, "/dashboard/"])
def test_what_is_a_readers_own_never_shows_to_the_next_reader(client, settings, language, path):
    settings.DEBUG = False  # as in production: the same path as every other page
    settings.PUBLIC_PAGES_CACHE_SECONDS = settings.DASHBOARD_CACHE_SECONDS = 3600
    SisterCityFactory(name_en="Florence", slug="florence")
    first = UserFactory(
        email="first@example.org", preferred_language=language, roles=[CITY_OFFICIALS]
    )
    second = UserFactory(
        email="second@example.org", preferred_language=language, roles=[CITY_OFFICIALS]
    )
    unread(first, 3)
    unread(second, 7)

    client.force_login(first)
    first_page = client.get(path)
    client.force_login(second)
    second_page = client.get(path)

    assert first_page.status_code == second_page.status_code == 200
    three, seven = ("۳", "۷") if language == "fa" else ("3", "7")
    first_html, second_html = first_page.content.decode(), second_page.content.decode()
    assert "first@example.org" in first_html and f"{three}<span" in navigation(first_page)
    assert "second@example.org" in second_html and f"{seven}<span" in navigation(second_page)
    assert "first@example.org" not in second_html
    assert f"{three}<span" not in navigation(second_page)
    assert f'lang="{language}"' in second_html


def test_the_count_is_in_persian_digits_under_persian(client):
    person = UserFactory(preferred_language="fa")
    unread(person, 12)
    client.force_login(person)

    nav = navigation(client.get("/"))

    assert "۱۲<span" in nav
    assert "خانه" in nav  # "Home"


def test_the_current_page_and_section_are_marked(client):
    SisterCityFactory(name_en="Florence", slug="florence")
    client.force_login(UserFactory(roles=[CITY_OFFICIALS]))

    def current(path: str) -> dict[str, str]:
        nav = navigation(client.get(path))
        return {
            label(text): state
            for state, text in re.findall(
                r'<a class="nav-link[^"]*" aria-current="(\w+)"[^>]*>(.*?)</a>', nav, re.S
            )
        }

    assert current("/inbox/") == {"Inbox": "page"}
    assert current("/cities/florence/") == {"Sister": "true"}
    assert current("/dashboard/") == {"Dashboard": "page"}
    assert current("/dashboard/cities/florence/") == {"Dashboard": "true"}


def test_the_language_switch_comes_back_to_the_page_and_its_query_escaped(client):
    nav = navigation(client.get("/initiatives/", {"q": '"><script>', "field": "cultural"}))

    assert 'name="next" value="/initiatives/?q=%22%3E%3Cscript%3E&amp;field=cultural"' in nav


def test_the_forms_in_the_navigation_carry_the_requests_own_token():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    nav = navigation(browser.get("/me/"))
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav)

    assert len(tokens) == 2  # the language switch and signing out
    switched = browser.post(
        "/i18n/setlang/", {"language": "fa", "next": "/me/", "csrfmiddlewaretoken": tokens[0]}
    )
    assert switched.status_code == 302
    signed_out = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert signed_out.status_code == 302
    assert browser.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_page_rendered_outside_a_request_has_the_visitors_navigation():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        nav = render_to_string("404.html")

    assert "Sign in" in nav and 'name="next" value=""' in nav


def test_a_message_shows_once_around_a_kept_part(client, settings):
    settings.PUBLIC_PAGES_CACHE_SECONDS = 3600
    SisterCityFactory(name_en="Florence", slug="florence")
    client.force_login(UserFactory())
    client.get("/")  # the sister cities' part is kept

    signed_out = client.post("/accounts/logout/", follow=True).content.decode()
    again = client.get("/").content.decode()

    assert "You have signed out." in signed_out and "Florence" in signed_out
    assert "You have signed out." not in again and "Florence" in again
