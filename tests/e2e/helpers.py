from playwright.sync_api import expect

from tests.factories import totp_code

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


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
        code.fill(totp_code())
        page.locator("main form button[type=submit]").first.click()
        # Signed in once the next page shows: a click before then (the language, say) would
        # be on the code's page, and cancel its sending.
        expect(code).not_to_be_attached()
