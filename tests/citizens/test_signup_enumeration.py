"""Signing up with an address that already has an account looks and costs the same as with a
new one: neither the page nor the time taken tells whether someone is registered."""

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "a-Long-passphrase-42"


def _sign_up(email: str):
    """Sign up from a fresh browser, counting the passwords hashed meanwhile."""
    hasher = type(get_hasher())
    with mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode:
        response = Client().post(
            "/accounts/signup/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
            follow=True,
        )
    return response, encode.call_count


def _text(response) -> str:
    """The page, without the form's per-browser CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_an_address_with_an_account_costs_the_same_password_hashing_as_a_new_one():
    UserFactory(email="sara@example.org")

    known, hashed_for_known = _sign_up("sara@example.org")
    new, hashed_for_new = _sign_up("reza@example.org")

    assert hashed_for_new == 1
    assert hashed_for_known == hashed_for_new


@pytest.mark.django_db
def test_an_address_with_an_account_gets_the_same_page_as_a_new_one():
    UserFactory(email="sara@example.org")

    known, _ = _sign_up("sara@example.org")
    new, _ = _sign_up("reza@example.org")

    assert known.redirect_chain == new.redirect_chain == [("/accounts/confirm-email/", 302)]
    assert _text(known).replace("sara", "reza") == _text(new)
