"""The open data API's public answers: what they hold, how they filter, page and answer
errors, and how little a client that polls costs."""

import pytest
from django.utils.http import http_date

from initiatives.models import Initiative, Meeting
from proposals.models import Support
from sistercities.models import Agreement

pytestmark = pytest.mark.django_db


def test_a_city_is_published_in_both_languages_with_its_health_and_links(client, programme):
    response = client.get("/api/v1/cities/florence/")

    city = response.json()
    assert response["Content-Type"] == "application/json"
    assert (city["name_en"], city["name_fa"], city["slug"]) == ("Florence", "فلورانس", "florence")
    assert city["since"] == 2000
    assert city["health"] in ("alive", "quiet", "fading", "suspended")
    assert city["url"] == "http://testserver/cities/florence/"
    assert city["api_url"] == "http://testserver/api/v1/cities/florence/"
    assert city["initiatives_url"] == "http://testserver/api/v1/initiatives/?city=florence"
    assert city["agreements_url"] == "http://testserver/api/v1/agreements/?city=florence"


def test_the_city_list_filters_by_status_and_search_like_the_pages(client, programme):
    dormant = client.get("/api/v1/cities/", {"status": "dormant"}).json()
    found = client.get("/api/v1/cities/", {"q": "فلور"}).json()

    assert [city["slug"] for city in dormant["results"]] == ["kuala-lumpur"]
    assert [city["slug"] for city in found["results"]] == ["florence"]


def test_an_initiative_shows_its_cities_and_member_count_but_no_members(client, programme):
    initiative = client.get("/api/v1/initiatives/crafts/").json()

    assert initiative["member_count"] == 2
    assert [city["slug"] for city in initiative["cities"]] == ["florence"]
    assert initiative["cities"][0]["api_url"] == "http://testserver/api/v1/cities/florence/"
    assert "coordinator" not in initiative and "members" not in initiative


def test_initiatives_filter_by_city_field_status_and_dates(client, programme):
    def slugs(**query):
        return [i["slug"] for i in client.get("/api/v1/initiatives/", query).json()["results"]]

    Initiative.objects.filter(slug="music").update(starts_on="2030-01-01")
    assert slugs(city="kuala-lumpur") == ["music"]
    assert slugs(field="handicrafts") == ["crafts"]
    assert slugs(status="proposed") == ["music"]
    assert slugs(starts_from="2029-12-31") == ["music"]
    assert slugs() == ["crafts", "music"]


def test_only_public_meetings_are_published_with_their_time_zone(client, programme):
    meetings = client.get("/api/v1/meetings/").json()["results"]
    board = client.get(f"/api/v1/meetings/{programme['board'].pk}/")

    assert [meeting["title"] for meeting in meetings] == ["Open workshop"]
    assert meetings[0]["timezone"] == "Europe/Rome"
    assert meetings[0]["starts_at"].endswith(("+01:00", "+02:00"))
    assert meetings[0]["initiative"]["slug"] == "crafts"
    assert board.status_code == 404


def test_lists_are_read_page_by_page_with_a_cursor(client, programme, settings):
    from opendata.views import BySlug

    BySlug.page_size, size = 1, BySlug.page_size
    try:
        first = client.get("/api/v1/cities/").json()
        second = client.get(first["next"]).json()
    finally:
        BySlug.page_size = size

    assert [first["results"][0]["slug"], second["results"][0]["slug"]] == [
        "florence",
        "kuala-lumpur",
    ]
    assert second["next"] is None


def test_only_public_agreements_are_published_with_their_status_and_city(client, programme):
    agreements = client.get("/api/v1/agreements/").json()["results"]
    secret = client.get(f"/api/v1/agreements/{programme['secret_agreement'].pk}/")

    assert [a["title_en"] for a in agreements] == ["Twinning", "Trade memorandum"]
    twinning, trade = agreements
    assert (twinning["title_fa"], twinning["kind"]) == ("Twinning (fa)", "sister_city")
    assert (twinning["signed_on"], twinning["valid_until"]) == ("2000-05-01", None)
    assert twinning["signatories"] == "The two mayors"
    assert (twinning["status"], trade["status"]) == ("in_force", "expiring")
    assert twinning["city"]["api_url"] == "http://testserver/api/v1/cities/florence/"
    assert twinning["api_url"] == f"http://testserver/api/v1/agreements/{twinning['id']}/"
    assert secret.status_code == 404


def test_an_agreement_s_document_is_linked_only_where_anyone_may_download_it(client, programme):
    twinning = client.get(f"/api/v1/agreements/{programme['twinning'].pk}/").json()
    trade = client.get(f"/api/v1/agreements/{programme['expiring'].pk}/").json()
    download = client.get(twinning["document_url"])

    public_id = programme["twinning"].public_id
    assert twinning["document_url"] == f"http://testserver/agreements/{public_id}/document/"
    assert download.status_code == 200
    assert trade["document_url"] is None


def test_agreements_filter_by_city_kind_and_today_s_status(client, programme):
    def titles(**query):
        found = client.get("/api/v1/agreements/", query).json()["results"]
        return [a["title_en"] for a in found]

    Agreement.objects.filter(title_en="Twinning").update(status="superseded")
    assert titles(city="kuala-lumpur") == ["Trade memorandum"]
    assert titles(kind="sister_city") == ["Twinning"]
    assert titles(status="expiring") == ["Trade memorandum"]
    assert titles(status="superseded") == ["Twinning"]
    assert titles(status="in_force") == []


def test_only_accepted_proposals_are_published_without_their_author(client, programme):
    proposals = client.get("/api/v1/proposals/").json()["results"]
    pending = client.get(f"/api/v1/proposals/{programme['pending'].pk}/")

    assert [p["title"] for p in proposals] == ["Miniature painting workshops"]
    proposal = proposals[0]
    assert (proposal["status"], proposal["field"]) == ("accepted", "handicrafts")
    assert proposal["summary"].startswith("Isfahan's miniaturists")
    assert proposal["support_count"] == 1
    assert proposal["decided_on"] is not None
    assert [city["slug"] for city in proposal["cities"]] == ["florence", "kuala-lumpur"]
    assert proposal["initiative"]["api_url"] == "http://testserver/api/v1/initiatives/crafts/"
    assert proposal["url"] == f"http://testserver/proposals/{proposal['id']}/"
    assert not {"author", "attachment", "history", "note", "supports"} & set(proposal)
    assert pending.status_code == 404


def test_proposals_filter_by_city_field_and_search(client, programme):
    def count(**query):
        return len(client.get("/api/v1/proposals/", query).json()["results"])

    assert count(city="kuala-lumpur") == count(field="handicrafts") == count(q="miniature") == 1
    assert count(field="cultural") == count(q="nowhere") == 0
    assert client.get("/api/v1/proposals/", {"city": "atlantis"}).status_code == 400


def test_a_proposal_s_support_taken_away_is_seen_at_the_next_poll(client, programme):
    first = client.get("/api/v1/proposals/")
    again = client.get("/api/v1/proposals/", headers={"if-none-match": first["ETag"]})
    Support.objects.filter(proposal=programme["accepted"]).delete()  # an account deleted

    changed = client.get("/api/v1/proposals/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["results"][0]["support_count"] == 0


def test_the_figures_are_the_programme_s_counts(client, programme):
    figures = client.get("/api/v1/figures/").json()

    assert figures["cities"] == 2
    assert figures["cities_by_status"]["dormant"] == 1
    assert figures["initiatives_by_status"] == {
        "proposed": 1,
        "active": 1,
        "paused": 0,
        "completed": 0,
    }
    assert figures["active_initiatives_by_field"] == {"handicrafts": 1}
    assert figures["upcoming_public_meetings"] == 1


def test_a_bad_filter_is_answered_in_the_reader_s_language_as_json(client, programme):
    english = client.get("/api/v1/initiatives/", {"status": "sleeping", "starts_from": "soon"})
    persian = client.get(
        "/api/v1/initiatives/", {"city": "atlantis"}, headers={"accept-language": "fa"}
    )

    assert english.status_code == 400
    assert set(english.json()) == {"status", "starts_from"}
    assert "valid" in english.json()["status"][0]
    assert persian.status_code == 400
    assert persian["Content-Type"] == "application/json"
    assert "معتبر" in persian.json()["city"][0]


@pytest.mark.parametrize(
    "url", ["/api/v1/cities/atlantis/", "/api/v1/no-such-thing/", "/api/v2/cities/"]
)
def test_what_is_not_there_is_a_json_404_in_the_reader_s_language(client, url):
    response = client.get(url, headers={"accept-language": "fa"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "یافت نشد."


def test_a_nul_character_is_refused_with_json_not_the_portal_s_page(client):
    response = client.get("/api/v1/cities/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_writing_is_refused(client, programme):
    response = client.post("/api/v1/cities/", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["detail"]


def test_a_client_polling_gets_304_while_nothing_changed(client, programme):
    first = client.get("/api/v1/initiatives/")
    again = client.get("/api/v1/initiatives/", headers={"if-none-match": first["ETag"]})
    since = client.get(
        "/api/v1/initiatives/", headers={"if-modified-since": first["Last-Modified"]}
    )

    assert first.status_code == 200 and first["ETag"]
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]
    assert since.status_code == 304


def test_a_client_polling_the_agreements_gets_304_until_one_changes(client, programme):
    first = client.get("/api/v1/agreements/")
    again = client.get("/api/v1/agreements/", headers={"if-none-match": first["ETag"]})
    agreement = programme["twinning"]
    agreement.signatories = "The two mayors and the two councils"
    agreement.save()

    changed = client.get("/api/v1/agreements/", headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again.content) == (304, b"")
    assert changed.status_code == 200
    assert "the two councils" in changed.json()["results"][0]["signatories"]


def test_a_change_is_seen_at_the_next_poll(client, programme):
    first = client.get("/api/v1/initiatives/")
    initiative = Initiative.objects.get(slug="music")
    initiative.status = Initiative.Status.ACTIVE
    initiative.save()

    again = client.get("/api/v1/initiatives/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_meeting_changed_is_seen_at_the_next_poll(client, programme):
    first = client.get("/api/v1/meetings/")
    Meeting.objects.filter(pk=programme["public"].pk).update(place="The old library")
    programme["public"].refresh_from_db()
    programme["public"].save()

    again = client.get("/api/v1/meetings/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 200
    assert again.json()["results"][0]["place"] == "The old library"


def test_an_old_if_modified_since_gets_the_answer(client, programme):
    response = client.get("/api/v1/cities/", headers={"if-modified-since": http_date(0)})

    assert response.status_code == 200


def test_anonymous_readers_are_limited_per_address_with_retry_after(client, settings):
    settings.API_ANONYMOUS_RATE = "3/min"
    first = [client.get("/api/v1/figures/", REMOTE_ADDR="192.0.2.1") for _ in range(3)]
    refused = client.get("/api/v1/figures/", REMOTE_ADDR="192.0.2.1")
    elsewhere = client.get("/api/v1/figures/", REMOTE_ADDR="192.0.2.2")
    forged = client.get(
        "/api/v1/figures/", REMOTE_ADDR="192.0.2.1", headers={"x-forwarded-for": "198.51.100.7"}
    )

    assert [response.status_code for response in first] == [200] * 3
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    assert elsewhere.status_code == 200
    assert forged.status_code == 429


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/api/v1/proposals/"])
def test_the_new_lists_count_against_the_same_limit(client, settings, url):
    settings.API_ANONYMOUS_RATE = "2/min"
    first = [client.get(url, REMOTE_ADDR="192.0.2.9") for _ in range(2)]
    refused = client.get(url, REMOTE_ADDR="192.0.2.9")

    assert [response.status_code for response in first] == [200] * 2
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
