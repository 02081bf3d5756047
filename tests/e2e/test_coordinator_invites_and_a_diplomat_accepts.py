import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from initiatives import forms as initiative_forms
from initiatives.models import Invitation, Meeting, Membership
from tests.e2e.helpers import sign_in
from tests.helpers import wait_for
from tests.initiatives.factories import (
    InitiativeFactory,
    MeetingFactory,
    coordinator,
    diplomat,
    invitation,
    staff,
)


def schedule_crafts_board(page, day) -> None:
    """Fill in the meeting form, its initiative already chosen, and schedule the meeting."""
    page.get_by_label("Title").fill("Crafts board")
    page.get_by_label("Kind").select_option("board")
    page.locator("#id_date").fill(day.isoformat())  # "Day", not the reminders "a day before"
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("Place").fill("City hall")
    page.get_by_role("button", name="Schedule the meeting").click()


def test_a_coordinator_invites_the_members_and_a_diplomat_accepts_from_the_email(
    live_server, page, browser, mailoutbox, settings
):
    settings.SITE_URL = live_server.url  # the address the e-mails link to
    neda = coordinator("neda@example.org", first_name="Neda", last_name="Moradi")
    initiative = InitiativeFactory(slug="crafts", title_en="Crafts exchange", coordinator=neda)
    for email, first, last in [
        ("reza@example.org", "Reza", "Karimi"),
        ("ali@example.org", "Ali", "Rahimi"),
    ]:
        person = diplomat(email, first_name=first, last_name=last)
        Membership.objects.create(initiative=initiative, user=person, state="accepted")
    day = timezone.localdate() + timedelta(days=10)

    # The coordinator schedules a meeting of the initiative and invites its members.
    sign_in(page, live_server, "neda@example.org")
    page.goto(live_server.url + "/initiatives/crafts/")
    page.get_by_role("link", name="Schedule a meeting").click()
    schedule_crafts_board(page, day)
    expect(page.get_by_role("heading", level=1)).to_have_text("Crafts board")
    page.get_by_role("button", name="Invite all members of the initiative").click()
    expect(page.get_by_text("2 invited; the e-mails are being sent.")).to_be_visible()

    # The diplomat opens the e-mail's accept link, not signed in, and confirms.
    def accept_link():
        for message in mailoutbox:
            found = re.search(r"https?://\S+/rsvp/\S+/\?answer=accept", message.body)
            if found and message.to == ["reza@example.org"]:
                return found.group(0)

    reza = browser.new_context(locale="en-GB").new_page()
    reza.goto(wait_for(accept_link))
    expect(reza.get_by_role("heading", level=1)).to_contain_text("Crafts board")
    expect(reza.get_by_text("Press the button to confirm your answer.")).to_be_visible()
    reza.get_by_role("button", name="Accept").click()
    expect(reza.get_by_text("You answered: Accepted.")).to_be_visible()

    # The coordinator's meeting page shows the acceptance.
    page.reload()
    expect(page.locator('[data-count="accepted"]')).to_have_text("1")
    expect(page.locator(".invitee-table tr", has_text="Reza Karimi")).to_contain_text("Accepted")
    expect(page.locator(".invitee-table tr", has_text="Ali Rahimi")).to_contain_text(
        "No answer yet"
    )

    # The diplomat's private calendar feed lists the meeting, for a calendar app not signed in.
    sign_in(reza, live_server, "reza@example.org")
    reza.goto(live_server.url + "/me/")
    reza.get_by_role("button", name="Get my calendar address").click()
    feed_url = reza.locator(".calendar-feed-url").input_value()
    calendar_app = browser.new_context().request
    feed = calendar_app.get(feed_url)
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Crafts board" in feed.text()
    assert "DTSTART;TZID=Asia/Tehran:" + day.strftime("%Y%m%d") + "T100000" in feed.text()


def test_the_coordinator_watches_the_invitations_go_out_without_reloading(live_server, page):
    neda = coordinator("neda@example.org", first_name="Neda", last_name="Moradi")
    meeting = MeetingFactory(initiative__coordinator=neda, title="Crafts board")
    invitation(meeting, state="sent")
    for _ in range(3):
        invitation(meeting, state="pending")

    sign_in(page, live_server, "neda@example.org", next_url=f"/meetings/{meeting.pk}/")
    progress = page.locator("#sending-progress")
    expect(progress).to_have_text("Sending the invitations: 1 of 4 sent.")
    expect(page.locator("#sending-progress progress")).to_have_attribute("value", "1")

    # The worker gets through the rest; the page, left open, catches up by itself.
    Invitation.objects.filter(meeting=meeting).update(state="sent")

    expect(progress).to_have_text("All 4 invitations have gone out.", timeout=15_000)
    expect(page.locator('[data-count="sent"]')).to_have_text("4")


def test_staff_find_an_initiative_among_too_many_to_list_and_schedule_its_meeting(
    live_server, page, monkeypatch
):
    monkeypatch.setattr(initiative_forms, "INITIATIVES_LISTED", 2)
    staff("maryam@example.org")
    for slug, title in [("crafts", "Crafts exchange"), ("port", "Port forum"), ("tea", "Tea")]:
        InitiativeFactory(slug=slug, title_en=title)
    day = timezone.localdate() + timedelta(days=10)

    sign_in(page, live_server, "maryam@example.org")
    page.goto(live_server.url + "/meetings/new/")
    expect(page.get_by_text("the 2 most recently changed of 3 initiatives")).to_be_visible()
    page.get_by_label("Find an initiative").fill("crafts")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("the initiative whose title contains “crafts”")).to_be_visible()
    page.get_by_label("Initiative", exact=True).select_option(label="Crafts exchange")
    schedule_crafts_board(page, day)

    expect(page.get_by_role("heading", level=1)).to_have_text("Crafts board")
    assert Meeting.objects.get().initiative.slug == "crafts"
