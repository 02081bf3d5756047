"""A person's proposals and supports, for their data export (citizens.services.privacy)."""

from .models import Proposal, Support


def my_proposals_data(user) -> dict:
    return {
        "proposals": [
            {
                "title": proposal.title,
                "cities": [city.name_en for city in proposal.cities.all()],
                "field": proposal.field,
                "summary": proposal.summary,
                "achieves": proposal.achieves,
                "needs_people": proposal.needs_people,
                "budget": proposal.budget,
                "partners": proposal.partners,
                "status": proposal.status,
                "created_at": proposal.created_at,
                "submitted_at": proposal.submitted_at,
                "decided_at": proposal.decided_at,
            }
            for proposal in Proposal.objects.filter(author=user).prefetch_related("cities")
        ],
        "supports": [
            {"proposal": support.proposal.title, "since": support.created_at}
            for support in Support.objects.filter(supporter=user).select_related("proposal")
        ],
    }
