import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory, reviewer

LANGUAGES = [("en", "ltr"), ("fa", "rtl")]


def page(response, language, direction) -> str:
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "css/portal.css" in html
    return html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_missing_page_says_so_in_the_visitors_language(client, language, direction):
    response = client.get("/cities/atlantis/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    html = page(response, language, direction)
    assert {"en": "Page not found", "fa": "صفحه پیدا نشد"}[language] in html
    assert f'href="{reverse("sistercities:city-list")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_forbidden_page_tells_who_is_signed_in(client, language, direction):
    client.force_login(UserFactory(email="citizen@example.org", preferred_language=language))

    response = client.get(reverse("admin:login"))

    assert response.status_code == 403
    html = page(response, language, direction)
    assert {"en": "You may not open this page", "fa": "اجازهٔ باز کردن این صفحه"}[language] in html
    assert "citizen@example.org" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
@override_settings(ROOT_URLCONF="tests.portal.failing_urls")
def test_an_error_shows_a_page_in_the_visitors_language(client, language, direction):
    client.raise_request_exception = False

    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 500
    html = page(response, language, direction)
    assert {"en": "Something went wrong", "fa": "مشکلی پیش آمد"}[language] in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_form_sent_without_its_csrf_token_is_explained(language, direction):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("set_language"), {"language": "fa"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 403
    html = page(response, language, direction)
    assert {"en": "The form could not be sent", "fa": "فرم فرستاده نشد"}[language] in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_nul_character_in_the_address_gets_the_friendly_400_page(client, language, direction):
    response = client.get("/calendar/%00.ics", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    html = page(response, language, direction)
    understood = {"en": "The request could not be understood", "fa": "درخواست قابل فهم نبود"}
    assert understood[language] in html


@pytest.mark.django_db
def test_a_nul_character_in_a_filter_gets_the_friendly_400_page(client):
    client.force_login(reviewer())

    response = client.get(
        "/admin/citizens/diplomatapplication/", {"status__exact": "\x00", "q": "x"}
    )

    assert response.status_code == 400
    assert "The request could not be understood" in page(response, "en", "ltr")


@pytest.mark.django_db
def test_a_nul_character_in_a_form_gets_the_friendly_400_page_and_changes_nothing(client):
    user = UserFactory(email="sara@example.org", first_name="Sara")
    client.force_login(user)

    response = client.post("/me/", {"first_name": "Sa\x00ra", "preferred_language": "fa"})

    assert response.status_code == 400
    assert "The request could not be understood" in page(response, "en", "ltr")
    user.refresh_from_db()
    assert (user.first_name, user.preferred_language) == ("Sara", "en")


@pytest.mark.django_db
def test_an_address_too_long_to_come_back_to_gets_the_friendly_400_page(client):
    response = client.get("/inbox/", {"q": "😀" * 1000})

    assert response.status_code == 400
    assert "The request could not be understood" in page(response, "en", "ltr")
