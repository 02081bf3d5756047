"""A coordinator opens their desk, writes to an initiative's members (preview, count, send) and
moves someone up a full meeting's waiting list."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from initiatives.models import Invitation
from tests.e2e.helpers import sign_in
from tests.initiatives.factories import (
    InitiativeFactory,
    MeetingFactory,
    coordinator,
    diplomat,
    invitation,
    member,
)


def test_a_coordinator_writes_to_the_members_and_moves_someone_up_the_waiting_list(
    live_server, page, mailoutbox
):
    neda = coordinator("neda@example.org", first_name="Neda", last_name="Moradi")
    initiative = InitiativeFactory(slug="crafts", title_en="Crafts exchange", coordinator=neda)
    people = [
        diplomat(f"{first.lower()}@example.org", first_name=first, last_name="Karimi")
        for first in ("Reza", "Ali", "Sara")
    ]
    for person in people[:2]:
        member(initiative, person)
    meeting = MeetingFactory(initiative=initiative, title="Workshop visit", capacity=1)
    invitation(meeting, people[0], state=Invitation.State.ACCEPTED)
    now = timezone.now()
    for n, person in enumerate(people[1:]):
        invitation(
            meeting,
            person,
            state=Invitation.State.WAITLISTED,
            waitlisted_at=now - timedelta(hours=2 - n),
        )

    # The desk, from the menu, says what needs doing.
    sign_in(page, live_server, "neda@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Desk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator's desk")
    todo = page.locator(".desk-todo")
    expect(todo).to_contain_text("“Workshop visit” is full; 2 waiting")

    # Writing to the members: a preview and the count first, then the sending.
    page.locator(".desk-initiatives").get_by_role("link", name="Write to members").click()
    expect(page.locator(".recipients-count")).to_contain_text("This message will reach 2 members.")
    page.get_by_label("Subject").fill("Workshop dates")
    page.get_by_role("textbox", name="Message").fill("We meet on Tuesday.\nBring your sketches.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview-subject")).to_have_text("Workshop dates")
    expect(page.locator(".preview-message")).to_contain_text("Bring your sketches.")
    assert not mailoutbox
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_text("Your message was sent to 2 people.")).to_be_visible()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ali@example.org",
        "reza@example.org",
    ]
    expect(page.locator(".desk-messages")).to_contain_text("Workshop dates")

    # The waiting list: Sara, who came second, is moved up before Ali.
    todo.get_by_role("link", name="“Workshop visit” is full; 2 waiting").click()
    names = page.locator(".waiting-list .waiting-name")
    expect(names).to_have_text(["Ali Karimi", "Sara Karimi"])
    page.get_by_role("button", name="Move Sara Karimi up").click()
    expect(page.get_by_text("Sara Karimi moved up the waiting list.")).to_be_visible()
    expect(names).to_have_text(["Sara Karimi", "Ali Karimi"])
