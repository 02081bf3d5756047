import pytest
from django.urls import reverse

from tests.factories import SisterCityFactory, UserFactory

PUBLIC_PAGES = [
    "/",
    "/cities/",
    "/accounts/signup/",
    "/accounts/login/",
    "/accounts/password/reset/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fa", "rtl")])
def test_public_pages_answer_in_both_languages(client, path, language, direction):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()


@pytest.mark.django_db
def test_persian_pages_use_the_rtl_stylesheet_and_the_persian_font(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert "vendor/bootstrap/bootstrap.rtl.min.css" in html
    assert "css/vazirmatn.css" in html


@pytest.mark.django_db
def test_english_pages_use_the_ltr_stylesheet(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "vendor/bootstrap/bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html


@pytest.mark.django_db
def test_home_lists_the_sister_cities_in_the_visitors_language(client):
    SisterCityFactory(name_en="Florence", name_fa="فلورانس", established_year=1998)

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    persian = client.get("/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert "Florence" in english and "Sister city since 1998" in english
    assert "فلورانس" in persian and "۱۹۹۸" in persian


@pytest.mark.django_db
def test_admin_redirects_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/", follow=True)

    # Through the admin's login to the portal's own sign-in (with its 2FA and rate limits).
    assert response.redirect_chain[0] == ("/admin/login/?next=/admin/", 302)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_signed_in_non_staff_cannot_reach_the_admin(client):
    client.force_login(UserFactory(email="plain@example.org"))

    assert client.get("/admin/login/").status_code == 403


@pytest.mark.django_db
def test_navigation_offers_administration_to_staff_only(client):
    client.force_login(UserFactory(email="plain@example.org"))
    assert "/admin/" not in client.get("/").content.decode()

    client.force_login(UserFactory(email="staff@example.org", is_staff=True))
    assert "/admin/" in client.get("/").content.decode()


@pytest.mark.django_db
def test_every_page_has_a_skip_link_to_the_main_content(client):
    html = client.get("/").content.decode()

    assert 'href="#main"' in html
    assert 'id="main"' in html
