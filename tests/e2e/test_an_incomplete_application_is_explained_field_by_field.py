import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import SisterCityFactory, UserFactory

from . import axe
from .pages import Role

SUBMIT = {"en": "Submit application", "fa": "ارسال درخواست"}
PHONE = {"en": "Phone", "fa": "تلفن"}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_an_empty_application_sent_puts_the_reader_on_a_summary_linking_to_each_field(
    live_server, page, language
):
    SisterCityFactory(name_en="Florence", name_fa="فلورانس")
    citizen = UserFactory(email="sara@example.org", preferred_language=language)
    session = Role("citizen", citizen).session_cookie()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(live_server.url + "/apply/")

    page.get_by_role("button", name=SUBMIT[language]).click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.get_by_role("link").all()
    assert len(links) >= 9
    for link in links:
        field = page.locator(link.get_attribute("href"))
        expect(field).to_have_attribute("aria-invalid", "true")
        # The message is next to the field and tied to it (a group of boxes: to its fieldset).
        described = field.get_attribute("aria-describedby") or field.locator(
            "xpath=ancestor::fieldset[1]"
        ).get_attribute("aria-describedby")
        messages = [page.locator(f"#{id_}.invalid-feedback") for id_ in described.split()]
        assert any(message.is_visible() for message in messages), link.inner_text()
    axe.load(page)
    assert axe.violations(page) == []

    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling: the jump is immediate
    summary.get_by_role("link", name=PHONE[language]).click()

    expect(page.locator("#id_phone")).to_be_focused()
    expect(page.locator("label[for=id_phone]")).to_be_in_viewport()
