import pytest
from django.core.management import call_command

from proposals.models import Proposal, ProposalStatusChange, Support


@pytest.mark.django_db
def test_the_demo_has_proposals_at_every_stage_and_loading_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")

    def snapshot():
        return [
            list(model.objects.values().order_by("pk"))
            for model in (Proposal, ProposalStatusChange, Support)
        ]

    before = snapshot()
    call_command("load_demo")

    assert snapshot() == before
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert not Proposal.objects.filter(cities=None).exists()
    assert Support.objects.exists()
    became = Proposal.objects.get(initiative__isnull=False)
    assert became.initiative.memberships.filter(user=became.author, state="accepted").exists()
    # In both languages.
    titles = Proposal.objects.values_list("title", flat=True)
    assert any(title.isascii() for title in titles)
    assert any(not title.isascii() for title in titles)
