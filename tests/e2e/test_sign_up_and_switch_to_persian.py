import re

from playwright.sync_api import expect

from tests.helpers import wait_for

PASSWORD = "a-Long-passphrase-42"


def test_a_newcomer_signs_up_verifies_goes_on_to_apply_and_reads_in_persian(
    live_server, page, mailoutbox
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()
    page.locator("#id_email").fill("newcomer@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    def verification_link():
        for message in mailoutbox:
            found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
            if found and "newcomer@example.org" in message.to:
                return found.group(0)

    page.goto(wait_for(verification_link))
    page.get_by_role("button", name="Confirm").click()
    # Confirmed in the browser that signed up: signed in, and on to the application.
    expect(page).to_have_url(live_server.url + "/apply/")
    page.get_by_role("button", name="Account").click()
    expect(page.locator(".dropdown-menu").get_by_text("newcomer@example.org")).to_be_visible()
    page.keyboard.press("Escape")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")

    page.get_by_role("button", name="فارسی").click()

    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name="درگاه دیپلمات‌های شهروندی")).to_be_visible()
    expect(page.get_by_role("link", name="خانه")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    vazirmatn_loaded = """document.fonts.ready.then(() => [...document.fonts].some(
        face => face.family.includes("Vazirmatn") && face.status === "loaded"))"""
    assert page.evaluate(vazirmatn_loaded)
