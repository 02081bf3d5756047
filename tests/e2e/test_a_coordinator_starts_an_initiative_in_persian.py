from datetime import timedelta

import jdatetime
from django.utils import timezone
from playwright.sync_api import expect

from diplomacy_portal import l10n
from initiatives.models import Initiative, Meeting
from tests.e2e.helpers import sign_in
from tests.factories import SisterCityFactory
from tests.initiatives.factories import coordinator


def persian(number) -> str:
    return l10n.digits(number, "fa")


def test_a_coordinator_starts_an_initiative_with_a_solar_hijri_date_and_schedules_its_meeting(
    live_server, page
):
    SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")
    coordinator("neda@example.org", preferred_language="fa")
    # The 20th of this Solar Hijri month: the picker opens on today's month.
    chosen = jdatetime.date.today().replace(day=20)

    sign_in(page, live_server, "neda@example.org", next_url="/initiatives/")
    page.get_by_role("link", name="طرح جدید").click()
    page.locator("#id_title_en").fill("Tile makers' exchange")
    page.locator("#id_title_fa").fill("تبادل کاشی‌کاران")
    page.get_by_label("فلورانس").check()
    page.locator("#id_field").select_option("handicrafts")

    # The date is chosen in the Solar Hijri calendar the box opens.
    page.locator("#id_starts_on").click()
    picker = page.locator("jdp-container")
    expect(picker).to_be_visible()
    picker.locator("div.jdp-day:not(.not-in-month)", has_text=persian(20)).first.click()
    # The picker writes Latin digits (its own days show Persian ones); the server reads both.
    expect(page.locator("#id_starts_on")).to_have_value(f"{chosen.year}/{chosen.month:02d}/20")
    page.get_by_role("button", name="آغاز طرح").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("تبادل کاشی‌کاران")
    initiative = Initiative.objects.get()
    assert initiative.slug == "tile-makers-exchange"
    assert initiative.starts_on == chosen.togregorian()

    # Its page offers to change it; the picker opens on the day kept.
    page.get_by_role("link", name="ویرایش").click()
    page.locator("#id_starts_on").click()
    expect(picker.locator("div.jdp-day.selected")).to_have_text(persian(20))
    page.keyboard.press("Escape")
    page.get_by_role("link", name="بازگشت").click()

    # Then its first meeting, the day typed in the Solar Hijri calendar, in Persian digits.
    day = jdatetime.date.fromgregorian(date=timezone.localdate() + timedelta(days=10))
    page.get_by_role("link", name="برنامه‌ریزی جلسه").click()
    page.locator("#id_title").fill("جلسهٔ نخست کاشی‌کاران")
    page.locator("#id_kind").select_option("board")
    page.locator("#id_date").fill(persian(f"{day.year}/{day.month:02d}/{day.day:02d}"))
    page.keyboard.press("Escape")  # the picker closes; the typed day stays
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("12:00")
    page.locator("#id_place").fill("تالار شهر")
    page.get_by_role("button", name="برنامه‌ریزی جلسه").click()

    expect(page.get_by_text("جلسه برنامه‌ریزی شد.")).to_be_visible()
    meeting = Meeting.objects.get()
    assert meeting.initiative == initiative
    assert meeting.starts_at.astimezone(meeting.zone).date() == day.togregorian()
