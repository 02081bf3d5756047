"""Proposals and the people around them, for tests."""

from proposals import services
from proposals.models import Proposal
from tests.factories import SisterCityFactory
from tests.initiatives.factories import diplomat, staff


def make_proposal(*, author=None, cities=None, **fields) -> Proposal:
    """A draft with everything a proposal needs."""
    proposal = Proposal.objects.create(
        author=author or diplomat(),
        title=fields.pop("title", "Miniature painting workshops with Florence"),
        field=fields.pop("field", "handicrafts"),
        summary=fields.pop(
            "summary", "Isfahan's miniaturists teach in Florence and Florence's restorers here."
        ),
        achieves=fields.pop("achieves", "Two workshops a year and a joint exhibition."),
        **fields,
    )
    proposal.cities.set(cities or [SisterCityFactory(name_en="Florence", name_fa="فلورانس")])
    return proposal


def proposal_in(status: str, **kwargs) -> Proposal:
    """A proposal brought to `status` the way people would: through the services."""
    proposal = make_proposal(**kwargs)
    author = proposal.author
    if status == "draft":
        return proposal
    if status == "withdrawn":
        return services.withdraw_proposal(proposal=proposal, actor=author)
    proposal = services.submit_proposal(proposal=proposal, actor=author)
    decision = {"accepted": "accept", "declined": "decline", "changes_requested": "request_changes"}
    if status in decision:
        proposal = services.decide_proposal(
            proposal=proposal,
            reviewer=staff("proposal-reviewer@example.org"),
            decision=decision[status],
            note="Please say which workshops.",
        )
    return proposal
