"""Staff and coordinators review proposals in the admin: the queue, decisions with a note to the
author, and an accepted proposal turned into an initiative."""

import pytest

from citizens.models import Notification
from initiatives.models import Initiative, Membership
from proposals import services
from proposals.models import Proposal
from tests.factories import SisterCityFactory
from tests.initiatives.factories import coordinator, diplomat, staff

from .factories import proposal_in

QUEUE = "/admin/proposals/proposal/"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(params=["staff", "coordinator"])
def reviewer_client(request, client, db):
    person = staff() if request.param == "staff" else coordinator()
    client.force_login(person)
    return client


def _titles(response):
    return [proposal.title for proposal in response.context["cl"].result_list]


@pytest.mark.django_db
def test_the_queue_filters_by_city_field_status_and_support(reviewer_client):
    xian = SisterCityFactory(name_en="Xi'an", slug="xian")
    proposal_in("submitted", title="Oldest", field="economic")
    backed = proposal_in("submitted", title="Backed", cities=[xian])
    proposal_in("accepted", title="Done")
    services.support_proposal(proposal=backed, user=diplomat("fan@example.org"))

    assert _titles(reviewer_client.get(QUEUE))[:2] == ["Oldest", "Backed"]
    assert _titles(reviewer_client.get(f"{QUEUE}?field__exact=economic")) == ["Oldest"]
    assert _titles(reviewer_client.get(f"{QUEUE}?cities__id__exact={xian.pk}")) == ["Backed"]
    assert _titles(reviewer_client.get(f"{QUEUE}?status__exact=accepted")) == ["Done"]
    assert _titles(reviewer_client.get(f"{QUEUE}?support=some")) == ["Backed"]
    assert sorted(_titles(reviewer_client.get(f"{QUEUE}?support=none"))) == ["Done", "Oldest"]


@pytest.mark.django_db
def test_declining_without_a_note_is_refused_on_the_form(reviewer_client):
    proposal = proposal_in("submitted")

    response = reviewer_client.post(f"{QUEUE}{proposal.pk}/decide/decline/", {"note": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


@pytest.mark.django_db
def test_a_decision_reaches_the_author_with_the_note_escaped_in_the_email(
    reviewer_client, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = proposal_in("submitted", title=f"Title {SCRIPT}")

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            f"{QUEUE}{proposal.pk}/decide/request_changes/", {"note": f"Add dates {SCRIPT}"}
        )

    assert response.url == f"{QUEUE}{proposal.pk}/change/"
    assert Proposal.objects.get(pk=proposal.pk).status == "changes_requested"
    notice = Notification.objects.get(recipient=proposal.author)
    assert notice.kind == "proposal_changes_requested"
    (email,) = mailoutbox
    html = email.alternatives[0][0]
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "Add dates" in email.body


@pytest.mark.django_db
def test_the_admin_shows_script_in_a_proposal_as_text(reviewer_client):
    proposal = proposal_in("submitted", title=SCRIPT, summary=f"{SCRIPT} " * 5)

    for url in (QUEUE, f"{QUEUE}{proposal.pk}/change/"):
        page = reviewer_client.get(url).content.decode()
        assert SCRIPT not in page


@pytest.mark.django_db
def test_an_accepted_proposal_becomes_an_initiative_its_author_a_member(
    reviewer_client, django_capture_on_commit_callbacks
):
    proposal = proposal_in("accepted")
    assert (
        "Turn into an initiative"
        in reviewer_client.get(f"{QUEUE}{proposal.pk}/change/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            f"{QUEUE}{proposal.pk}/initiative/",
            {"title_en": "Miniature workshops", "title_fa": "کارگاه نگارگری", "slug": "miniatures"},
        )

    initiative = Initiative.objects.get(slug="miniatures")
    assert response.url == "/initiatives/miniatures/"
    assert Proposal.objects.get(pk=proposal.pk).initiative == initiative
    assert list(initiative.cities.all()) == list(proposal.cities.all())
    assert Membership.objects.get(initiative=initiative).user == proposal.author
    assert proposal.author.notifications.filter(kind="membership_accepted").exists()
    page = reviewer_client.get("/initiatives/miniatures/").content.decode()
    assert f'href="/proposals/{proposal.pk}/"' in page  # the initiative links back

    again = reviewer_client.post(
        f"{QUEUE}{proposal.pk}/initiative/",
        {"title_en": "Twice", "title_fa": "دوباره", "slug": "twice"},
    )
    assert "already an initiative" in again.content.decode()
    assert not Initiative.objects.filter(slug="twice").exists()


@pytest.mark.django_db
def test_a_proposal_not_accepted_does_not_become_an_initiative(reviewer_client):
    proposal = proposal_in("submitted")

    response = reviewer_client.post(
        f"{QUEUE}{proposal.pk}/initiative/",
        {"title_en": "Early", "title_fa": "زود", "slug": "early"},
    )

    assert "Only an accepted proposal" in response.content.decode()
    assert not Initiative.objects.filter(slug="early").exists()
