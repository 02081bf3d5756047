"""Generated input thrown at the proposals' forms and filters: never a server error, never a
write to a field the form does not offer, never a move the rules do not allow."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proposals.models import Proposal
from tests.initiatives.factories import diplomat, staff
from tests.portal.test_generated_input import (
    EXAMPLES,
    FUZZ,
    TEXT,
    answered,
    answered_in_full,
    form_data,
)

from .factories import proposal_in

# The portal's forms share their checks (crispy layout, citizens' validators), fuzzed at length
# in tests/portal: here fewer examples of each, to keep the suite near its ten minutes.
FUZZ = settings(FUZZ, max_examples=min(EXAMPLES, 50))

PROPOSAL_FIELDS = [
    "title",
    "cities",
    "field",
    "summary",
    "achieves",
    "needs_people",
    "budget",
    "partners",
    "save",
    "submit",
    "author",
    "initiative",
    "submitted_at",
]


@pytest.fixture
def author_client(client, db):
    user = diplomat("fuzz@example.org")
    client.force_login(user)
    return client, user


@given(data=form_data(PROPOSAL_FIELDS))
@FUZZ
def test_the_proposal_form(author_client, data):
    client, user = author_client
    response = client.post("/proposals/new/", data)

    assert answered(response, data, 200, 302)
    for proposal in Proposal.objects.all():
        assert proposal.author_id == user.pk and proposal.initiative_id is None
        assert proposal.status in ("draft", "submitted") and proposal.decided_at is None


@given(query=st.dictionaries(st.sampled_from(["page", "q", "status", "field", "city"]), TEXT))
@FUZZ
def test_the_public_list_filters(client, db, query):
    assert answered_in_full(client.get("/proposals/", query), query)


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(staff())
    return client


@pytest.fixture
def waiting_proposal(db):
    return proposal_in("submitted")


@given(data=form_data(["note"]))
@FUZZ
def test_the_decision_form(reviewer_client, waiting_proposal, data):
    proposal = waiting_proposal
    Proposal.objects.filter(pk=proposal.pk).update(status="submitted")
    response = reviewer_client.post(
        f"/admin/proposals/proposal/{proposal.pk}/decide/decline/", data
    )

    assert answered(response, data, 200, 302)
    proposal.refresh_from_db()
    assert proposal.status in ("submitted", "declined")
    assert proposal.status == "submitted" or proposal.history.last().note.strip()


@given(
    query=st.dictionaries(
        st.sampled_from(
            ["status__exact", "field__exact", "cities__id__exact", "support", "q", "o"]
        ),
        TEXT,
        max_size=4,
    )
)
@FUZZ
def test_the_review_queue_filters(reviewer_client, query):
    assert answered(reviewer_client.get("/admin/proposals/proposal/", query), query, 200, 302)
