import re

import pytest
from django.core.management import CommandError, call_command

from citizens.models import OutgoingEmail, User
from tests.factories import UserFactory

PASSWORD = "a-Long-passphrase-42"


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Sign up through the form, running the after-commit work (the e-mail) as a worker would."""

    def sign_up(email="new@example.org", language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/accounts/signup/",
                {"email": email, "password1": PASSWORD, "password2": PASSWORD},
                HTTP_ACCEPT_LANGUAGE=language,
            )

    return sign_up


@pytest.mark.django_db
def test_signing_up_sends_a_verification_link_from_the_outbox(client, sign_up, mailoutbox):
    response = sign_up()

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert OutgoingEmail.objects.get(to="new@example.org").status == "sent"
    (message,) = mailoutbox
    assert re.search(r"http://testserver/accounts/confirm-email/[^/\s]+/", message.body)


@pytest.mark.django_db
def test_signing_in_before_verifying_is_refused(client, sign_up, mailoutbox):
    sign_up()
    client.logout()

    response = client.post("/accounts/login/", {"login": "new@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_following_the_link_verifies_and_allows_signing_in(client, sign_up, mailoutbox):
    sign_up()
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)

    client.post(link.group(1))
    client.post("/accounts/login/", {"login": "new@example.org", "password": PASSWORD})

    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.org").pk)


@pytest.mark.django_db
def test_confirming_the_address_signs_the_new_citizen_in_and_opens_the_application(
    client, sign_up, mailoutbox
):
    sign_up()
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)

    response = client.post(link.group(1))

    assert response.status_code == 302 and response["Location"] == "/apply/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.org").pk)
    assert client.get("/apply/").status_code == 200


@pytest.mark.django_db
def test_a_confirmation_link_opened_in_another_browser_verifies_but_does_not_sign_in(
    client, sign_up, mailoutbox
):
    sign_up()
    link = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)
    client.cookies.clear()  # the link opened elsewhere: only its key is known

    client.post(link.group(1))

    assert "_auth_user_id" not in client.session
    assert User.objects.get(email="new@example.org").emailaddress_set.get().verified


@pytest.mark.django_db
def test_a_persian_sign_up_gets_a_persian_email_and_keeps_persian(sign_up, mailoutbox):
    sign_up(language="fa")

    user = User.objects.get(email="new@example.org")
    assert user.preferred_language == "fa"
    assert "تأیید" in mailoutbox[0].subject or "تایید" in mailoutbox[0].subject


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_reveals_nothing_and_warns_its_owner(sign_up, mailoutbox):
    UserFactory(email="taken@example.org")

    response = sign_up(email="Taken@Example.org")

    # The same answer as a new sign-up, so the form cannot be used to find who has an account.
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    (message,) = mailoutbox
    assert "already" in message.body.lower()


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client):
    UserFactory(email="ana@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ana@example.org", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"login": "ana@example.org", "password": "correct horse battery"}
    )

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_two_factor_authentication_is_offered_to_every_user(client):
    UserFactory(email="ana@example.org")
    client.post(
        "/accounts/login/", {"login": "ana@example.org", "password": "correct horse battery"}
    )

    # Activating asks for the password once more first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": "correct horse battery"})
    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert "Authenticator secret" in response.content.decode()


@pytest.mark.django_db
def test_grant_role_gives_a_user_a_role_by_email():
    user = UserFactory(email="neda@example.org")

    call_command("grant_role", "NEDA@example.org", "Initiative coordinators")

    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["Initiative coordinators"]
    assert user.is_staff


@pytest.mark.django_db
def test_grant_role_names_an_unknown_email():
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("grant_role", "nobody@example.org", "City officials")
