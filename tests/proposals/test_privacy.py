import json

import pytest

from proposals import services
from proposals.models import Proposal
from tests.initiatives.factories import diplomat

from .factories import proposal_in


@pytest.mark.django_db
def test_my_data_export_holds_my_proposals_and_my_supports(client):
    mine = proposal_in("submitted", title="My idea")
    services.support_proposal(
        proposal=proposal_in("submitted", title="Their idea"), user=mine.author
    )
    client.force_login(mine.author)

    data = json.loads(client.get("/me/export/").content)["proposals"]

    assert [p["title"] for p in data["proposals"]] == ["My idea"]
    assert [s["proposal"] for s in data["supports"]] == ["Their idea"]


@pytest.mark.django_db
def test_deleting_my_account_keeps_my_public_proposal_without_my_name(client):
    proposal = proposal_in("submitted", author=diplomat("leaving@example.org"))
    client.force_login(proposal.author)

    client.post("/me/delete/", {"password": "correct horse battery"})

    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.author is None
    assert proposal.history.get().actor is None
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
