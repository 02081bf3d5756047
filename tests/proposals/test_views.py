"""The proposals' pages, driven through their URLs as people use them."""

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Proposal, ProposalStatusChange, Support
from sistercities.models import SisterCity
from tests.factories import SisterCityFactory, UserFactory
from tests.initiatives.factories import diplomat

from .factories import make_proposal, proposal_in

SCRIPT = "<script>alert('x')</script>"


def _pdf() -> bytes:
    out = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(out)
    return out.getvalue()


def _form(city, **overrides) -> dict:
    return {
        "title": "Tile-makers' exchange",
        "cities": [city.pk],
        "field": "handicrafts",
        "summary": "Isfahan's tile-makers spend a month in the partner city's workshops.",
        "achieves": "A restored façade in each city.",
        "needs_people": "Six craftspeople and a translator.",
        "budget": "small",
        "partners": ["university", "chamber"],
        **overrides,
    }


@pytest.fixture
def author(client):
    user = diplomat("author@example.org")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_a_diplomat_writes_a_draft_then_submits_it_and_the_public_sees_it(client, author):
    city = SisterCityFactory(name_en="Florence", name_fa="فلورانس")

    response = client.post(reverse("proposals:proposal-create"), _form(city, save="1"))

    proposal = Proposal.objects.get()
    assert response.url == f"/proposals/{proposal.pk}/"
    assert proposal.status == "draft" and proposal.author == author
    assert proposal.partners == ["university", "chamber"]
    client.logout()
    assert client.get("/proposals/").content.count(b"Tile-makers") == 0
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404

    client.force_login(author)
    assert b"Tile-makers" in client.get("/proposals/mine/").content
    client.post(f"/proposals/{proposal.pk}/submit/")
    client.logout()

    page = client.get("/proposals/").content.decode()
    assert "Tile-makers" in page and "Florence" in page
    detail = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "A restored façade" in detail and "Submitted" in detail


@pytest.mark.django_db
def test_submitting_from_the_form_saves_and_submits_at_once(client, author):
    city = SisterCityFactory()

    client.post(reverse("proposals:proposal-create"), _form(city, submit="1"))

    proposal = Proposal.objects.get()
    assert proposal.status == "submitted"
    assert list(proposal.history.values_list("to_status", flat=True)) == ["submitted"]


@pytest.mark.django_db
def test_a_suspended_relation_is_refused_with_its_reason_and_nothing_is_saved(client, author):
    city = SisterCityFactory(name_en="Closed", status=SisterCity.Status.SUSPENDED)

    response = client.post(reverse("proposals:proposal-create"), _form(city, submit="1"))

    assert response.status_code == 200
    assert "relation with Closed is suspended" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_draft_whose_city_was_suspended_since_cannot_be_submitted(client, author):
    proposal = make_proposal(author=author)
    proposal.cities.update(status=SisterCity.Status.SUSPENDED)

    response = client.post(f"/proposals/{proposal.pk}/submit/", follow=True)

    assert "is suspended" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "draft"
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": "", "summary": "", "achieves": "", "cities": []}, "This field is required."),
        ({"summary": "Too short."}, "at least 30 characters"),
        ({"summary": "x" * 5001}, "at most 5000 characters"),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"field": "astrology"}, "Select a valid choice"),
        ({"budget": "billions"}, "Select a valid choice"),
        ({"cities": ["999999"]}, "Select a valid choice"),
        ({"cities": ["not-a-number"]}, "is not a valid value"),
    ],
)
def test_empty_enormous_or_unknown_input_is_explained_and_nothing_is_saved(
    client, author, overrides, message
):
    city = SisterCityFactory()

    response = client.post(reverse("proposals:proposal-create"), _form(city, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_script_in_every_field_is_shown_as_text(client, author):
    city = SisterCityFactory()
    fields = {"title": SCRIPT, "summary": SCRIPT * 2, "achieves": SCRIPT, "needs_people": SCRIPT}
    client.post(reverse("proposals:proposal-create"), _form(city, submit="1", **fields))
    proposal = Proposal.objects.get()

    for url in ("/proposals/", f"/proposals/{proposal.pk}/", "/proposals/mine/"):
        page = client.get(url).content.decode()
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_a_pdf_attachment_is_kept_private_to_its_author(client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city = SisterCityFactory()
    upload = SimpleUploadedFile("plan.pdf", _pdf(), content_type="application/pdf")

    client.post(reverse("proposals:proposal-create"), _form(city, submit="1", attachment=upload))

    proposal = Proposal.objects.get()
    url = f"/proposals/{proposal.public_id}/attachment/"
    assert client.get(url).status_code == 200
    client.force_login(diplomat("nosy@example.org"))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_attachment_that_is_not_a_pdf_is_refused_in_the_attachments_words(client, author):
    city = SisterCityFactory()
    upload = SimpleUploadedFile("plan.pdf", b"<html><script>x</script></html>")

    response = client.post(reverse("proposals:proposal-create"), _form(city, attachment=upload))

    assert "The attachment must be a PDF document." in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_citizen_who_is_not_a_diplomat_may_read_but_not_write(client):
    client.force_login(UserFactory())
    proposal = proposal_in("submitted")

    assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
    assert client.get("/proposals/new/").status_code == 403
    response = client.post(f"/proposals/{proposal.pk}/support/", follow=True)
    assert "Only citizen diplomats can support" in response.content.decode()


@pytest.mark.django_db
def test_someone_elses_proposal_cannot_be_edited_submitted_or_withdrawn(client, author):
    other = make_proposal(author=diplomat("other@example.org"))

    assert client.get(f"/proposals/{other.pk}/edit/").status_code == 404
    assert client.post(f"/proposals/{other.pk}/submit/").status_code == 404
    assert client.post(f"/proposals/{other.pk}/withdraw/").status_code == 404
    assert Proposal.objects.get(pk=other.pk).status == "draft"


@pytest.mark.django_db
def test_a_submitted_proposal_is_no_longer_edited(client, author):
    proposal = proposal_in("submitted", author=author)

    response = client.get(f"/proposals/{proposal.pk}/edit/", follow=True)

    assert "can no longer be edited" in response.content.decode()


@pytest.mark.django_db
def test_support_shows_as_a_count_and_twice_or_ones_own_is_explained(client, author):
    proposal = proposal_in("submitted")

    client.post(f"/proposals/{proposal.pk}/support/")
    again = client.post(f"/proposals/{proposal.pk}/support/", follow=True).content.decode()
    assert "You already support this proposal." in again
    assert "supported by one diplomat" in again
    assert "Withdraw my support" in again

    own = proposal_in("submitted", author=author)
    refused = client.post(f"/proposals/{own.pk}/support/", follow=True).content.decode()
    assert "You cannot support your own proposal." in refused
    assert Support.objects.count() == 1


@pytest.mark.django_db
def test_the_list_filters_and_searches_in_both_languages(client):
    florence = SisterCityFactory(name_en="Florence", name_fa="فلورانس")
    xian = SisterCityFactory(name_en="Xi'an", name_fa="شیان")
    proposal_in("submitted", title="Silk weaving course", cities=[xian], field="cultural")
    proposal_in("accepted", title="کارگاه نگارگری", cities=[florence])
    make_proposal(title="A secret draft", cities=[florence])

    def titles(query):
        page = client.get(f"/proposals/?{query}").content.decode()
        return [t for t in ("Silk weaving", "کارگاه نگارگری", "secret draft") if t in page]

    assert titles("") == ["Silk weaving", "کارگاه نگارگری"]
    assert titles("q=نگارگری") == ["کارگاه نگارگری"]
    assert titles("q=شیان") == ["Silk weaving"]
    assert titles("q=silk") == ["Silk weaving"]
    assert titles("city=florence") == ["کارگاه نگارگری"]
    assert titles("field=cultural") == ["Silk weaving"]
    assert titles("status=accepted") == ["کارگاه نگارگری"]
    assert titles("status=draft") == ["Silk weaving", "کارگاه نگارگری"]  # not a public status
    assert client.get("/proposals/?page=999").status_code == 200


@pytest.mark.django_db
def test_the_history_shows_decisions_and_their_notes_only_to_the_author(client, author):
    proposal = proposal_in("changes_requested", author=author)

    own = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Changes requested" in own and "Please say which workshops." in own
    client.logout()
    public = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Changes requested" in public and "Please say which workshops." not in public
