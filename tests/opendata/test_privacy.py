"""Nothing personal leaves through the API: no member's or applicant's name, no e-mail
address, no application data, no proposal's author, supporter, note to the author or
attachment. Every field of every answer is walked, and every field the
schema describes is looked at by name."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from citizens.models import DiplomatApplication, User
from proposals.models import Proposal, ProposalStatusChange

pytestmark = pytest.mark.django_db

# Names of fields that would carry a person or their application.
PERSONAL = re.compile(
    r"e.?mail|first_name|last_name|full_name|user|member(?!_count)|coordinator|organi[sz]er|"
    r"invit|applica|motivation|phone|birth|occupation|partner_contact|contact_name|online_link|"
    r"note|address|author|attachment|support(?!_count)|public_id",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def _schema_properties(node, found=None):
    found = set() if found is None else found
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.add(name)
            _schema_properties(value, found)
        for key, value in node.items():
            if key != "properties":
                _schema_properties(value, found)
    elif isinstance(node, list):
        for value in node:
            _schema_properties(value, found)
    return found


def _walk(value, path=""):
    """Every (path, key or value) of a JSON answer."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield f"{path}.{key}", key
            yield from _walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{n}]")
    else:
        yield path, value


def _personal_texts() -> set[str]:
    texts = set()
    for user in User.objects.all():
        texts |= {user.email, user.first_name, user.last_name, user.get_full_name()}
    for application in DiplomatApplication.objects.all():
        texts |= {
            application.full_name_fa,
            application.full_name_latin,
            application.phone,
            application.occupation,
            application.motivation,
        }
    # What only a proposal's author and the staff read: the notes of decisions, the attachment.
    texts |= set(ProposalStatusChange.objects.values_list("note", flat=True))
    for proposal in Proposal.objects.all():
        texts |= {proposal.attachment.name, str(proposal.public_id)}
    return {text for text in texts if text and len(text) >= 4}


def test_no_field_the_schema_describes_names_a_person():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    fields = _schema_properties(schema["components"]["schemas"])
    assert {"member_count", "support_count", "name_fa", "signatories"} <= fields
    assert not [name for name in fields if PERSONAL.search(name)]


def _answers(client, programme, key):
    crafts, florence, public = programme["crafts"], programme["florence"], programme["public"]
    urls = [
        "/api/v1/cities/",
        f"/api/v1/cities/{florence.slug}/",
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/{crafts.slug}/",
        "/api/v1/meetings/",
        f"/api/v1/meetings/{public.pk}/",
        "/api/v1/agreements/",
        f"/api/v1/agreements/{programme['twinning'].pk}/",
        "/api/v1/proposals/",
        f"/api/v1/proposals/{programme['accepted'].pk}/",
        "/api/v1/figures/",
        "/api/v1/dashboard/cities/",
    ]
    for url in urls:
        response = client.get(url, headers={"authorization": f"Bearer {key}"})
        assert response.status_code == 200, url
        yield url, response.json()


def test_every_field_of_every_answer_is_free_of_personal_data(client, programme, official_key):
    people = _personal_texts()
    # Members, an applicant, the coordinator, the official; the proposals' authors, supporter,
    # reviewer, note and attachment.
    assert len(people) > 6
    assert {"author@example.org", "supporter@example.org", "Please say which workshops."} <= people

    for url, answer in _answers(client, programme, official_key):
        assert answer, url
        for path, value in _walk(answer):
            text = str(value)
            assert not EMAIL.search(text), f"{url} {path}: {text}"
            assert not [person for person in people if person in text], f"{url} {path}: {text}"


def test_every_field_of_every_answer_is_one_the_schema_describes(client, programme, official_key):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    described = _schema_properties(schema["components"]["schemas"]) | {
        "next",
        "previous",
        "results",
        *programme_figure_keys(),
    }

    for url, answer in _answers(client, programme, official_key):
        keys = {key for path, key in _walk(answer) if path.rsplit(".", 1)[-1] == key}
        assert keys <= described, f"{url}: {keys - described}"


def programme_figure_keys():
    """The figures' dictionaries are keyed by status and field codes, which the schema names
    as the values of its enumerations."""
    from diplomacy_portal.vocabulary import CooperationField
    from initiatives.models import Initiative
    from sistercities.models import SisterCity

    return {*SisterCity.Status.values, *Initiative.Status.values, *CooperationField.values}
