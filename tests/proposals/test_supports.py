import pytest

from proposals import services
from proposals.models import Support
from proposals.services import ProposalError
from tests.factories import UserFactory
from tests.initiatives.factories import diplomat

from .factories import proposal_in


@pytest.mark.django_db
def test_a_diplomat_supports_anothers_proposal_once_and_may_take_it_back():
    proposal = proposal_in("submitted")
    supporter = diplomat("supporter@example.org")

    services.support_proposal(proposal=proposal, user=supporter)
    with pytest.raises(ProposalError, match="already support"):
        services.support_proposal(proposal=proposal, user=supporter)
    assert Support.objects.filter(proposal=proposal).count() == 1

    services.withdraw_support(proposal=proposal, user=supporter)
    assert not Support.objects.filter(proposal=proposal).exists()
    with pytest.raises(ProposalError, match="do not support"):
        services.withdraw_support(proposal=proposal, user=supporter)


@pytest.mark.django_db
def test_nobody_supports_their_own_proposal():
    proposal = proposal_in("submitted")

    with pytest.raises(ProposalError, match="your own"):
        services.support_proposal(proposal=proposal, user=proposal.author)

    assert not Support.objects.exists()


@pytest.mark.django_db
def test_a_citizen_who_is_not_a_diplomat_cannot_support():
    proposal = proposal_in("submitted")

    with pytest.raises(ProposalError, match="Only citizen diplomats"):
        services.support_proposal(proposal=proposal, user=UserFactory())

    assert not Support.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "accepted", "declined", "withdrawn"])
def test_only_a_proposal_under_consideration_takes_support(status):
    proposal = proposal_in(status)

    with pytest.raises(ProposalError):
        services.support_proposal(proposal=proposal, user=diplomat("late@example.org"))

    assert not Support.objects.exists()


@pytest.mark.django_db
def test_a_returned_proposal_keeps_and_takes_support():
    proposal = proposal_in("submitted")
    services.support_proposal(proposal=proposal, user=diplomat("first@example.org"))
    proposal = services.decide_proposal(
        proposal=proposal,
        reviewer=UserFactory(email="r@example.org", is_staff=True, roles=["Municipal staff"]),
        decision="request_changes",
        note="Which workshops?",
    )

    services.support_proposal(proposal=proposal, user=diplomat("second@example.org"))

    assert proposal.supports.count() == 2
