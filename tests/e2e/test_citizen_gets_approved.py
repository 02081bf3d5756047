"""A citizen applies in Persian; municipal staff ask for changes, then approve."""

import re

import pytest
from playwright.sync_api import expect

from citizens.models import DiplomatApplication
from tests.e2e.helpers import sign_in
from tests.factories import SisterCityFactory, image_bytes, pdf_bytes, reviewer
from tests.helpers import wait_for

PASSWORD = "a-Long-passphrase-42"


@pytest.fixture
def documents(tmp_path):
    cv, photo = tmp_path / "cv.pdf", tmp_path / "photo.jpg"
    cv.write_bytes(pdf_bytes())
    photo.write_bytes(image_bytes("JPEG"))
    return cv, photo


def _link_in(mailoutbox, address, pattern):
    for message in reversed(mailoutbox):
        if address in message.to:
            found = re.search(pattern, message.body)
            if found:
                return found.group(0)


def test_a_persian_citizen_applies_and_is_approved_after_changes(
    live_server, browser, mailoutbox, documents
):
    SisterCityFactory(name_en="Florence", name_fa="فلورانس")
    reviewer("maryam@example.org")
    citizen = browser.new_page(locale="fa-IR", extra_http_headers={"Accept-Language": "fa"})
    staff = browser.new_page(locale="en-GB")

    # The citizen signs up in Persian and follows the link in the e-mail.
    citizen.goto(f"{live_server.url}/accounts/signup/")
    expect(citizen.locator("html")).to_have_attribute("dir", "rtl")
    citizen.locator("#id_email").fill("sara@example.org")
    citizen.locator("#id_password1").fill(PASSWORD)
    citizen.locator("#id_password2").fill(PASSWORD)
    citizen.locator("main form button[type=submit]").click()
    link = wait_for(
        lambda: _link_in(
            mailoutbox, "sara@example.org", r"https?://\S+/accounts/confirm-email/\S+/"
        )
    )
    citizen.goto(link)
    citizen.locator("main form button[type=submit]").click()
    expect(citizen).to_have_url(f"{live_server.url}/apply/")  # signed in by confirming

    # The application, with a real PDF and photo and a Solar Hijri date of birth.
    expect(citizen.get_by_role("heading", name="درخواست برای دیپلمات شهروندی شدن")).to_be_visible()
    citizen.locator("#id_full_name_fa").fill("سارا احمدی")
    citizen.locator("#id_full_name_latin").fill("Sara Ahmadi")
    citizen.locator("#id_date_of_birth").fill("۱۳۶۹/۰۲/۱۱")
    citizen.locator("#id_phone").fill("۰۹۱۳۱۲۳۴۵۶۷")
    citizen.locator("#id_district").select_option("3")
    citizen.locator("#id_occupation").fill("معمار")
    citizen.locator("#id_education").select_option("master")
    citizen.get_by_label("فرهنگی").check()
    citizen.get_by_label("فلورانس").check()
    citizen.locator("#id_hours_per_month").fill("12")
    citizen.locator("#id_motivation").fill(
        "خانه‌های تاریخی را مرمت می‌کنم و می‌خواهم با صنعتگران فلورانس همکاری کنم."
    )
    citizen.locator("#id_languages-0-language").select_option("it")
    citizen.locator("#id_languages-0-level").select_option("fluent")
    citizen.locator("#id_cv").set_input_files(documents[0])
    citizen.locator("#id_photo").set_input_files(documents[1])
    citizen.locator("button[name=submit]").click()
    expect(citizen.locator(".application-status")).to_contain_text("ارسال‌شده")
    application = DiplomatApplication.objects.get(user__email="sara@example.org")
    assert str(application.date_of_birth) == "1990-05-01"

    # Staff ask for changes from the admin.
    change_page = f"/admin/citizens/diplomatapplication/{application.pk}/change/"
    sign_in(staff, live_server, "maryam@example.org", next_url=change_page)
    expect(staff.get_by_text("Sara Ahmadi").first).to_be_visible()
    staff.get_by_role("link", name="Request changes").click()
    staff.locator("#id_note").fill("Please add the languages you speak besides Italian.")
    staff.get_by_role("button", name="Request changes").click()
    expect(staff.locator(".messagelist")).to_contain_text("Decision recorded")

    # The citizen reads the note, edits and submits again.
    citizen.goto(f"{live_server.url}/me/")
    note = "Please add the languages you speak besides Italian."
    expect(citizen.get_by_text(note)).to_be_visible()
    citizen.get_by_role("link", name="اعمال اصلاحات").click()
    citizen.locator("#id_languages-1-language").select_option("en")
    citizen.locator("#id_languages-1-level").select_option("intermediate")
    citizen.locator("button[name=submit]").click()
    expect(citizen.locator(".application-status")).to_contain_text("ارسال‌شده")

    # Staff approve.
    staff.goto(f"{live_server.url}{change_page}")
    staff.get_by_role("link", name="Approve").click()
    staff.locator("#id_note").fill("Welcome to the programme!")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messagelist")).to_contain_text("Decision recorded")

    # The citizen sees it on their page (now a diplomat's, with what to do next), with their
    # application one click away, in the inbox and in a Persian e-mail.
    citizen.goto(f"{live_server.url}/me/")
    expect(citizen.get_by_role("heading", name="گام‌های بعدی")).to_be_visible()
    citizen.get_by_role("link", name="نمایه و درخواست من").first.click()
    expect(citizen.locator(".application-status")).to_contain_text("تأییدشده")
    citizen.goto(f"{live_server.url}/inbox/")
    expect(citizen.get_by_role("link", name="اکنون دیپلمات شهروندی هستید")).to_be_visible()
    expect(citizen.get_by_text("Welcome to the programme!")).to_be_visible()
    # The two receipts, the changes asked for and the approval are all new; they are marked
    # read one by one, and the navigation's count follows.
    expect(citizen.get_by_role("link", name="درخواست شما دریافت شد")).to_have_count(2)
    unread, count = citizen.locator(".notification-unread"), citizen.locator("#main-nav .badge")
    expect(unread).to_have_count(4)
    expect(count).to_contain_text("۴")
    citizen.get_by_role("button", name="خوانده شد").first.click()
    expect(unread).to_have_count(3)
    expect(count).to_contain_text("۳")
    citizen.get_by_role("button", name="همه را خوانده‌شده علامت بزن").click()
    expect(unread).to_have_count(0)
    expect(count).to_have_count(0)
    approval = wait_for(
        lambda: [
            m
            for m in mailoutbox
            if m.to == ["sara@example.org"] and "دیپلمات شهروندی هستید" in m.subject
        ]
    )
    assert "Welcome to the programme!" in approval[0].body
    assert "درخواست شما تأیید شد" in approval[0].body
