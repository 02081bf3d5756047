import time

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import totp_code

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's

# The code each account last signed in with, by the account's primary key.
_last_codes: dict[int, str] = {}


def _fresh_code(email: str) -> str:
    """The authenticator's current code, once it is not the one this account last used: the
    portal takes a code once (allauth marks it used for its whole period), so a person signing
    in again within the same 30 seconds waits for the next code, as this does."""
    account = get_user_model().objects.filter(email=email).values_list("pk", flat=True).first()
    code = totp_code()
    while code == _last_codes.get(account):
        time.sleep(0.5)
        code = totp_code()
    _last_codes[account] = code
    return code


def sign_in(page, live_server, email, password=PASSWORD, next_url="/"):
    """Sign in through the form; with two-factor set up, type the authenticator's code too."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    code = page.locator("#id_code")
    account_menu = page.locator("#account-menu")
    expect(code.or_(account_menu).first).to_be_attached()
    if code.is_visible():
        code.fill(_fresh_code(email))
        page.locator("main form button[type=submit]").first.click()
        # Signed in once the next page shows: a click before then (the language, say) would
        # be on the code's page, and cancel its sending.
        expect(code).not_to_be_attached()
