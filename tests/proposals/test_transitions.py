import pytest
from django.db import IntegrityError, transaction

from proposals import services
from proposals.models import Proposal, ProposalStatusChange
from proposals.services import TRANSITIONS, ProposalError
from tests.initiatives.factories import coordinator, diplomat, staff

from .factories import make_proposal, proposal_in

# The programme's rules, written out here rather than read from TRANSITIONS: a wrong table in
# the code must not change what the tests expect.
STATUSES = ["draft", "submitted", "changes_requested", "accepted", "declined", "withdrawn"]
ACTIONS = ["submit", "withdraw", "accept", "decline", "request_changes"]
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("changes_requested", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("changes_requested", "withdraw"): "withdrawn",
    ("submitted", "accept"): "accepted",
    ("submitted", "decline"): "declined",
    ("submitted", "request_changes"): "changes_requested",
}
REFUSED = [
    (status, action) for status in STATUSES for action in ACTIONS if (status, action) not in ALLOWED
]


def _perform(proposal, action):
    author = proposal.author
    if action == "submit":
        return services.submit_proposal(proposal=proposal, actor=author)
    if action == "withdraw":
        return services.withdraw_proposal(proposal=proposal, actor=author)
    return services.decide_proposal(
        proposal=proposal,
        reviewer=staff("decider@example.org"),
        decision=action,
        note="A note",
    )


def test_the_tables_here_name_every_status_and_action_there_is():
    assert sorted(STATUSES) == sorted(Proposal.Status.values)
    assert sorted(ACTIONS) == sorted(TRANSITIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=str)
def test_every_allowed_move_works_and_is_logged_once(status, action):
    proposal = proposal_in(status)
    logged_before = proposal.history.count()

    moved = _perform(proposal, action)

    target = ALLOWED[status, action]
    assert moved.status == target
    assert Proposal.objects.get(pk=proposal.pk).status == target
    (change,) = proposal.history.all()[logged_before:]
    assert (change.from_status, change.to_status) == (status, target)
    expected = proposal.author.email if action in ("submit", "withdraw") else "decider@example.org"
    assert change.actor.email == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), REFUSED, ids=str)
def test_every_other_move_is_refused_and_changes_nothing(status, action):
    proposal = proposal_in(status)
    logged_before = proposal.history.count()

    with pytest.raises(ProposalError):
        _perform(proposal, action)

    assert Proposal.objects.get(pk=proposal.pk).status == status
    assert proposal.history.count() == logged_before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_only_the_author_submits_or_withdraws(action):
    proposal = make_proposal()
    call = services.submit_proposal if action == "submit" else services.withdraw_proposal

    with pytest.raises(ProposalError, match="Only the author"):
        call(proposal=proposal, actor=diplomat("someone-else@example.org"))

    assert Proposal.objects.get(pk=proposal.pk).status == "draft"


@pytest.mark.django_db
def test_a_diplomat_cannot_decide_proposals_and_nobody_decides_their_own():
    proposal = proposal_in("submitted")
    with pytest.raises(ProposalError, match="may not decide"):
        services.decide_proposal(
            proposal=proposal, reviewer=diplomat("other@example.org"), decision="accept"
        )
    own = proposal_in("submitted", author=coordinator("writes-too@example.org"))
    with pytest.raises(ProposalError, match="their own"):
        services.decide_proposal(proposal=own, reviewer=own.author, decision="accept")
    assert not ProposalStatusChange.objects.filter(to_status="accepted").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["decline", "request_changes"])
def test_declining_or_returning_needs_a_note_to_the_author(decision):
    proposal = proposal_in("submitted")

    with pytest.raises(ProposalError, match="note to the author"):
        services.decide_proposal(proposal=proposal, reviewer=staff(), decision=decision, note="   ")

    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


@pytest.mark.django_db
def test_a_coordinator_may_accept_without_a_note_and_the_author_is_told_by_inbox_and_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    proposal = proposal_in(
        "submitted", author=diplomat("author@example.org", preferred_language="fa")
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_proposal(proposal=proposal, reviewer=coordinator(), decision="accept")

    notice = proposal.author.notifications.get()
    assert notice.kind == "proposal_accepted"
    assert notice.url == f"/proposals/{proposal.pk}/"
    (email,) = mailoutbox
    assert email.to == ["author@example.org"]
    assert "پیشنهاد" in email.subject  # in the author's language


@pytest.mark.django_db
def test_the_history_is_append_only():
    proposal = proposal_in("changes_requested")
    change = proposal.history.first()

    for attempt in (
        lambda: ProposalStatusChange.objects.filter(pk=change.pk).update(note="rewritten"),
        lambda: ProposalStatusChange.objects.filter(pk=change.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()

    assert ProposalStatusChange.objects.get(pk=change.pk).to_status == "submitted"


@pytest.mark.django_db
def test_deleting_the_reviewers_account_keeps_the_history_without_their_name():
    proposal = proposal_in("changes_requested")
    reviewer = proposal.history.last().actor

    reviewer.delete()

    last = proposal.history.last()
    assert (last.actor, last.to_status, last.note) == (
        None,
        "changes_requested",
        "Please say which workshops.",
    )
