"""A citizen is approved in the admin, finds on their page an initiative that matches them, asks
to join it, and once invited answers the meeting from the same page."""

from playwright.sync_api import expect

from initiatives.models import Invitation, Membership
from initiatives.services import invitations, memberships
from tests.e2e.helpers import sign_in
from tests.factories import SisterCityFactory, application_in, reviewer
from tests.initiatives.factories import InitiativeFactory, MeetingFactory, coordinator


def test_a_new_diplomat_joins_a_suggested_initiative_and_answers_its_meeting_from_my_page(
    live_server, browser
):
    kuala_lumpur = SisterCityFactory(name_en="Kuala Lumpur", country_code="MY")
    neda = coordinator("neda@example.org")
    tea = InitiativeFactory(
        title_en="Tea house evenings", field="cultural", cities=[kuala_lumpur], coordinator=neda
    )
    lyon = SisterCityFactory(name_en="Lyon", country_code="FR")
    InitiativeFactory(title_en="Port logistics", field="economic", cities=[lyon])
    board = MeetingFactory(initiative=tea, title="Tea house board")
    application = application_in(
        "submitted",
        user__email="sara@example.org",
        fields_of_expertise=["cultural"],
        preferred_cities=[kuala_lumpur],
    )
    reviewer("maryam@example.org")
    staff, sara = browser.new_page(), browser.new_page()

    # Staff approve the application in the admin.
    change_page = f"/admin/citizens/diplomatapplication/{application.pk}/change/"
    sign_in(staff, live_server, "maryam@example.org", next_url=change_page)
    staff.get_by_role("link", name="Approve").click()
    staff.locator("#id_note").fill("Welcome to the programme!")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messagelist")).to_contain_text("Decision recorded")

    # The new diplomat's page says what to do next and suggests the matching initiative only.
    sign_in(sara, live_server, "sara@example.org", next_url="/me/")
    expect(sara.get_by_role("heading", name="What next")).to_be_visible()
    expect(sara.get_by_role("link", name="My page")).to_have_attribute("aria-current", "page")
    suggestions = sara.locator(".suggestions li")
    expect(suggestions).to_have_count(1)
    expect(suggestions).to_contain_text("Tea house evenings")
    expect(suggestions).to_contain_text("Matches your field: cultural; works with Kuala Lumpur")
    suggestions.get_by_role("button", name="Ask to join").click()
    expect(sara.get_by_text("Your request was sent to the coordinator.")).to_be_visible()
    expect(sara.locator(".my-initiatives")).to_contain_text("Asked to join")
    expect(sara.locator(".suggestions")).to_have_count(0)

    # The coordinator takes her in and invites the members to the board.
    membership = Membership.objects.get(initiative=tea, user__email="sara@example.org")
    memberships.decide_membership(membership=membership, coordinator=neda, accept=True)
    invitations.invite_members(meeting=board, invited_by=neda)

    # She answers from her page and stays on it.
    sara.reload()
    expect(sara.locator(".my-initiatives")).to_contain_text("Member")
    meeting = sara.locator(".my-meetings li", has_text="Tea house board")
    expect(meeting.locator(".my-answer")).to_contain_text("not answered yet")
    sara.get_by_role("group", name="Tea house board").get_by_role("button", name="Accept").click()
    expect(sara.get_by_text("Thank you. Your answer: Accepted.")).to_be_visible()
    expect(sara).to_have_url(f"{live_server.url}/me/")
    expect(meeting.locator(".my-answer")).to_contain_text("Accepted")
    assert Invitation.objects.get(meeting=board).state == Invitation.State.ACCEPTED
