"""allauth's e-mails (verification, password reset) speak as the portal: its name, its layout,
the reader's language."""

import re

import pytest

from tests.factories import UserFactory

PASSWORD = "a-Long-passphrase-42"

pytestmark = pytest.mark.django_db


def _sign_up(client, capture, language):
    with capture(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
            HTTP_ACCEPT_LANGUAGE=language,
        )


def test_the_verification_email_is_signed_by_the_portal_in_its_layout(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://127.0.0.1:8765"
    _sign_up(client, django_capture_on_commit_callbacks, "en")

    (message,) = mailoutbox
    html = message.alternatives[0].content
    link = re.search(r"http://testserver/accounts/confirm-email/[^/\s]+/", message.body).group(0)
    assert message.body.startswith("Hello,")
    assert "Citizen Diplomat Portal\nhttp://127.0.0.1:8765/" in message.body
    assert "Hello from" not in message.body and "Thank you for using" not in message.body
    assert '<html lang="en" dir="ltr">' in html
    assert f'<a href="{link}"' in html
    assert "Citizen Diplomat Portal" in html


def test_a_persian_sign_up_gets_the_verification_in_persian_right_to_left(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks, "fa")

    (message,) = mailoutbox
    assert message.body.startswith("سلام،")
    assert "درگاه دیپلمات‌های شهروندی" in message.body
    assert '<html lang="fa" dir="rtl">' in message.alternatives[0].content


def test_a_password_reset_greets_by_name_in_the_accounts_own_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(
        email="sara@example.org", first_name="سارا", last_name="احمدی", preferred_language="fa"
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/reset/",
            {"email": "sara@example.org"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    (message,) = mailoutbox
    assert message.body.startswith("سارا احمدی گرامی، سلام")
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", message.body)
    assert "درگاه دیپلمات‌های شهروندی" in message.body
    assert '<html lang="fa" dir="rtl">' in message.alternatives[0].content
