import pytest
from django.core.management import call_command
from django.utils import timezone

from citizens.models import User
from initiatives.models import CalendarReply, Initiative, Invitation, Meeting, Membership


@pytest.mark.django_db
def test_the_demo_has_initiatives_of_the_demo_coordinator_and_loading_it_twice_changes_nothing(
    settings,
):
    settings.DEBUG = True
    call_command("load_demo")

    def snapshot():
        return [
            list(model.objects.values().order_by("pk"))
            for model in (Initiative, Membership, Meeting, Invitation, CalendarReply)
        ]

    before = snapshot()
    call_command("load_demo")

    assert snapshot() == before
    # Three of its own, two suggested to the demo diplomat, and one begun from a citizen's
    # proposal (proposals/demo.py).
    assert Initiative.objects.filter(coordinator__email="coordinator@example.org").count() == 6
    assert Membership.objects.filter(user__email="diplomat@example.org", state="accepted").exists()
    # Two meetings to come to answer (the past ones, answered, are the dashboards' history).
    to_come = Invitation.objects.filter(
        invitee__email="diplomat@example.org", meeting__starts_at__gt=timezone.now()
    )
    assert to_come.count() == 2
    assert to_come.filter(state="sent").count() == 1  # one still to answer
    assert not Initiative.objects.filter(cities=None).exists()


@pytest.mark.django_db
def test_the_demo_shows_an_answer_from_a_calendar_program_and_one_that_changed_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")

    replies = dict(CalendarReply.objects.values_list("outcome", "sender"))
    assert replies == {
        CalendarReply.Outcome.APPLIED: "diplomat@example.org",
        CalendarReply.Outcome.FORGED: "someone@example.net",
    }
    answered = Invitation.objects.get(calendar_replies__outcome=CalendarReply.Outcome.APPLIED)
    assert answered.state == Invitation.State.ACCEPTED


@pytest.mark.django_db
def test_the_demo_diplomats_page_has_a_meeting_to_answer_and_initiatives_to_join(client, settings):
    settings.DEBUG = True
    call_command("load_demo")
    client.force_login(User.objects.get(email="diplomat@example.org"))

    html = client.get("/me/").content.decode()

    assert "Demo: board meeting on the crafts exchange" in html
    assert "not answered yet" in html
    assert "Smart city exchange with Xi&#x27;an" in html
    assert "Matches your field: technology" in html
    assert "Matches your field: economic; works with Samarkand, where Russian is spoken" in html
