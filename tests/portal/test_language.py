import pytest
from django.conf import settings

from tests.factories import UserFactory


@pytest.mark.django_db
def test_first_visit_follows_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9,en;q=0.5")

    assert 'lang="fa" dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_switching_language_sticks_without_a_prefix_in_the_url(client):
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fa" dir="rtl"' in html


@pytest.mark.django_db
def test_a_signed_in_users_choice_is_saved_and_follows_them(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "fa"
    elsewhere = type(client)()  # another browser, no language cookie, English preferred
    elsewhere.force_login(user)
    html = elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fa" dir="rtl"' in html


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)

    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "en"
