"""In Persian, a diplomat chooses a daily digest for meeting changes and a reminder an hour before
each meeting, then answers an invitation from their calendar program: the REPLY lands in the
portal's mailbox, and the meeting's page shows the answer."""

import mailbox

from playwright.sync_api import expect

from citizens.models import Delivery, User
from initiatives.models import CalendarReply, Invitation
from initiatives.services import calendar_replies
from tests.e2e.helpers import sign_in
from tests.initiatives.factories import MeetingFactory, diplomat, invitation


def test_a_diplomat_sets_a_digest_and_a_reminder_then_answers_from_the_calendar_program(
    live_server, browser, settings, tmp_path
):
    settings.CALENDAR_REPLY_MAILDIR = str(tmp_path / "replies")
    sara = diplomat("sara@example.org", preferred_language="fa")
    board = MeetingFactory(title="Board of the crafts exchange")
    invited = invitation(board, sara, sequence_sent=board.sequence)
    page = browser.new_page()

    # Her notices: meeting changes in a daily digest at seven, a reminder an hour before too.
    sign_in(page, live_server, "sara@example.org", next_url="/me/notices/")
    expect(page.get_by_role("heading", name="شیوهٔ دریافت اعلان‌ها")).to_be_visible()
    page.locator("input[name=meetings][value=digest]").check()
    page.locator("#id_digest_hour").select_option("7")
    page.get_by_label("یک ساعت پیش از جلسه").check()
    page.get_by_role("button", name="ذخیره").click()
    expect(page.get_by_text("انتخاب‌های شما ذخیره شد.")).to_be_visible()
    sara = User.objects.get(pk=sara.pk)
    assert sara.notice_delivery["meetings"] == Delivery.DIGEST
    assert sara.digest_hour == 7 and sorted(sara.reminder_leads) == [1, 24]

    # She presses "Accept" in her calendar program; its REPLY reaches the portal's mailbox,
    # which beat reads.
    reply = calendar_replies.calendar_program_reply(invited, "ACCEPTED")
    mailbox.Maildir(settings.CALENDAR_REPLY_MAILDIR, factory=None, create=True).add(reply)
    assert calendar_replies.read_maildir() == 1

    # The meeting's page shows her answer.
    page.goto(f"{live_server.url}/meetings/{board.pk}/")
    expect(page.locator(".my-answer")).to_have_text("پذیرفته")
    assert Invitation.objects.get(pk=invited.pk).state == Invitation.State.ACCEPTED
    assert CalendarReply.objects.get().outcome == CalendarReply.Outcome.APPLIED
