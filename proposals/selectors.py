"""Read queries of the proposals' pages."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Proposal, Support


def with_support_count(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    # A subquery, not a join with GROUP BY: Postgres counts the supports of the page's rows only.
    supports = (
        Support.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return proposals.annotate(supports_count=Coalesce(Subquery(supports), 0))


def public_proposals(
    *, q: str = "", city=None, field: str = "", status: str = ""
) -> QuerySet[Proposal]:
    """Submitted proposals and what became of them (never drafts), newest first."""
    proposals = with_support_count(
        Proposal.objects.filter(status__in=Proposal.PUBLIC)
    ).prefetch_related("cities")
    if q:
        # Written in either language; a city is found by its name in both.
        proposals = proposals.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(achieves__icontains=q)
            | Q(
                pk__in=Proposal.objects.filter(
                    Q(cities__name_en__icontains=q) | Q(cities__name_fa__icontains=q)
                ).values("pk")
            )
        )
    if city is not None:
        proposals = proposals.filter(pk__in=Proposal.objects.filter(cities=city).values("pk"))
    if field:
        proposals = proposals.filter(field=field)
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-submitted_at", "-pk")


def authored_by(user) -> QuerySet[Proposal]:
    """The author's own proposals, drafts included, latest first."""
    return (
        with_support_count(Proposal.objects.filter(author=user))
        .prefetch_related("cities")
        .order_by("-created_at", "-pk")
    )


def proposal_for_page(pk: int, reader) -> Proposal | None:
    """One proposal with its count of supports and whether `reader` supports it."""
    proposals = with_support_count(Proposal.objects.select_related("initiative")).prefetch_related(
        "cities"
    )
    if reader.is_authenticated:
        proposals = proposals.annotate(
            supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), supporter=reader))
        )
    return proposals.filter(pk=pk).first()


def history(proposal: Proposal) -> QuerySet:
    return proposal.history.all()
