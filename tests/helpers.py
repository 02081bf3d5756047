import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.test import Client

from citizens.auth import has_totp


def wait_for(condition, timeout: float = 20, interval: float = 0.1):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {condition.__name__}")


def second_factor_records(user) -> dict:
    """What allauth leaves in a session once `user` typed their password and their
    authenticator's code: what a whole sign-in of a role holder leaves behind."""
    return {
        AUTHENTICATION_METHODS_SESSION_KEY: [
            {"method": "password", "at": time.time(), "email": user.email},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ],
        # allauth keeps whose records they are beside them.
        "account_authentication_methods_user": str(user.pk),
    }


def complete_second_factor(client, user) -> None:
    """Record in the client's session that `user` typed their authenticator's code, as allauth
    does on its code's page."""
    session = client.session
    session.update(second_factor_records(user))
    session.save()


class SignedInClient(Client):
    """force_login stands for a whole sign-in: a person with an authenticator app typed its
    code too (a test of signing in with the password alone uses django.test.Client)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if has_totp(user):
            complete_second_factor(self, user)
