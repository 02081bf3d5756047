"""Starting and changing an initiative in the portal: who may, what is refused, what is kept."""

import datetime

import pytest

from initiatives.models import Initiative, InitiativeChange
from initiatives.services import InitiativeError
from initiatives.services.initiatives import create_initiative, update_initiative
from tests.factories import SisterCityFactory

from .factories import InitiativeFactory, coordinator, diplomat, staff

pytestmark = pytest.mark.django_db


def form_data(**changes):
    return {
        "title_en": "Tile makers' exchange",
        "title_fa": "تبادل کاشی‌کاران",
        "slug": "",
        "cities": ["florence"],
        "field": "handicrafts",
        "status": "proposed",
        "starts_on": "",
        "ends_on": "",
        "description_en": "",
        "description_fa": "",
        **changes,
    }


def html_of(response):
    return response.content.decode()


def test_a_coordinator_starts_an_initiative_and_coordinates_it(client, sister_city):
    neda = coordinator()
    client.force_login(neda)

    response = client.post("/initiatives/new/", form_data(starts_on="2026-12-20"))

    initiative = Initiative.objects.get()
    assert response["Location"] == "/initiatives/tile-makers-exchange/"
    assert initiative.coordinator == neda
    assert list(initiative.cities.all()) == [sister_city]
    assert initiative.starts_on == datetime.date(2026, 12, 20)
    (change,) = InitiativeChange.objects.all()
    assert (change.actor, change.action) == (neda, "created")
    assert change.changes["cities"] == ["", "florence"]
    assert "The initiative is started" in html_of(client.get(response["Location"]))


def test_a_persian_title_alone_makes_a_latin_address_and_a_solar_hijri_date_is_read(
    client, sister_city
):
    client.force_login(coordinator(preferred_language="fa"))
    data = form_data(title_en="", starts_on="۱۴۰۵/۰۹/۲۹", ends_on="1405/10/05")

    client.post("/initiatives/new/", data)

    initiative = Initiative.objects.get()
    assert initiative.slug == "tbdl-khshykhrn"  # the Persian letters, written in Latin ones
    assert initiative.starts_on == datetime.date(2026, 12, 20)
    assert initiative.ends_on == datetime.date(2026, 12, 26)


def test_a_title_with_no_letters_for_an_address_is_numbered(sister_city):
    initiative = create_initiative(
        actor=staff(),
        cities=[sister_city],
        details={"title_en": "—", "title_fa": "—", "field": "cultural", "slug": ""},
    )

    assert initiative.slug == "initiative-1"
    assert initiative.coordinator is None  # staff start it; they name a coordinator in the admin


def test_an_address_already_taken_is_refused_with_a_message(client, sister_city):
    InitiativeFactory(slug="tiles")
    client.force_login(coordinator())

    response = client.post("/initiatives/new/", form_data(slug="tiles"))

    assert response.status_code == 200
    assert "Another initiative has this address already." in html_of(response)
    assert Initiative.objects.count() == 1


def test_an_address_made_from_a_taken_title_gets_a_number(client, sister_city):
    InitiativeFactory(slug="tile-makers-exchange")
    client.force_login(coordinator())

    client.post("/initiatives/new/", form_data())

    assert Initiative.objects.filter(slug="tile-makers-exchange-2").exists()


@pytest.mark.parametrize("slug", ["new", "Tiles & more", "tiles--", "<script>"])
def test_an_address_the_portal_cannot_use_is_refused(client, sister_city, slug):
    client.force_login(coordinator())

    response = client.post("/initiatives/new/", form_data(slug=slug))

    assert response.status_code == 200
    assert not Initiative.objects.exists()


def test_an_end_before_the_start_is_refused_in_both_languages(client, sister_city):
    data = form_data(starts_on="2026-12-20", ends_on="2026-12-19")

    client.force_login(coordinator())
    english = html_of(client.post("/initiatives/new/", data))
    client.force_login(coordinator("parisa@example.org", preferred_language="fa"))
    persian = html_of(client.post("/initiatives/new/", data))

    assert "The initiative cannot end before it starts." in english
    assert "پایان طرح نمی‌تواند پیش از آغاز آن باشد." in persian
    assert not Initiative.objects.exists()


def test_a_date_that_is_no_date_is_explained(client, sister_city):
    client.force_login(coordinator())

    response = client.post("/initiatives/new/", form_data(starts_on="1405/13/40"))

    assert "Enter a date as year-month-day" in html_of(response)
    assert not Initiative.objects.exists()


def test_a_suspended_city_is_refused_with_the_reason(client, sister_city):
    SisterCityFactory(name_en="Kyoto", slug="kyoto", status="suspended")
    client.force_login(coordinator())

    response = client.post("/initiatives/new/", form_data(cities=["florence", "kyoto"]))

    assert "The relation with Kyoto is suspended" in html_of(response)
    assert "Kyoto (relation suspended)" in html_of(client.get("/initiatives/new/"))
    assert not Initiative.objects.exists()


def test_a_city_suspended_after_the_start_stays_on_the_initiative(sister_city):
    neda = coordinator()
    initiative = InitiativeFactory(coordinator=neda, cities=[sister_city])
    sister_city.status = "suspended"
    sister_city.save()

    update_initiative(
        initiative=initiative,
        actor=neda,
        cities=[sister_city],
        details={"title_en": "Renamed", "slug": initiative.slug},
    )

    assert Initiative.objects.get().title_en == "Renamed"


def test_no_city_at_all_or_no_title_is_refused(client, sister_city):
    client.force_login(coordinator())

    response = client.post("/initiatives/new/", form_data(cities=[], title_en="", title_fa=""))

    assert "Choose at least one sister city." in html_of(response)
    assert "Give a title in English, in Persian, or both." in html_of(response)
    assert not Initiative.objects.exists()


def test_script_typed_in_the_fields_is_shown_as_text(client, sister_city):
    client.force_login(coordinator())
    script = "<script>alert(1)</script>"

    response = client.post(
        "/initiatives/new/",
        form_data(title_en=script, title_fa=script, description_en=script),
        follow=True,
    )

    page = html_of(response)
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_coordinator_edits_their_own_and_the_change_is_recorded_once(client, sister_city):
    neda = coordinator()
    initiative = InitiativeFactory(coordinator=neda, slug="tiles", cities=[sister_city])
    client.force_login(neda)
    page = html_of(client.get("/initiatives/tiles/"))
    assert 'href="/initiatives/tiles/edit/"' in page
    data = form_data(slug="tiles", title_en="Tiles and glass", ends_on="2027-06-30")

    response = client.post("/initiatives/tiles/edit/", data)
    client.post("/initiatives/tiles/edit/", data)  # the same again: nothing changes

    initiative.refresh_from_db()
    assert response["Location"] == "/initiatives/tiles/"
    assert initiative.title_en == "Tiles and glass"
    (change,) = InitiativeChange.objects.filter(initiative=initiative)
    assert change.actor == neda
    assert change.changes["title_en"][1] == "Tiles and glass"
    assert change.changes["ends_on"] == ["", "2027-06-30"]


def test_the_edit_form_shows_the_dates_in_the_solar_hijri_calendar_under_persian(client):
    neda = coordinator(preferred_language="fa")
    InitiativeFactory(coordinator=neda, slug="tiles", starts_on=datetime.date(2026, 12, 20))
    client.force_login(neda)

    page = html_of(client.get("/initiatives/tiles/edit/"))

    assert 'value="۱۴۰۵/۰۹/۲۹"' in page
    assert "jalalidatepicker.min.js" in page


def test_a_forged_post_to_another_coordinators_initiative_changes_nothing(client, sister_city):
    InitiativeFactory(coordinator=coordinator("other@example.org"), slug="music")
    client.force_login(coordinator())

    response = client.post("/initiatives/music/edit/", form_data(slug="music", title_en="Mine"))

    assert response.status_code == 404
    assert Initiative.objects.get().title_en != "Mine"
    assert not InitiativeChange.objects.exists()


def test_the_service_refuses_an_initiative_someone_does_not_coordinate(sister_city):
    initiative = InitiativeFactory(coordinator=coordinator("other@example.org"))

    with pytest.raises(InitiativeError):
        update_initiative(
            initiative=initiative,
            actor=coordinator(),
            cities=[sister_city],
            details={"title_en": "Mine", "slug": initiative.slug},
        )
    with pytest.raises(InitiativeError):
        create_initiative(
            actor=diplomat(),
            cities=[sister_city],
            details={"title_en": "Mine", "title_fa": "", "field": "cultural", "slug": ""},
        )


def test_staff_edit_any_initiative(client, sister_city):
    InitiativeFactory(coordinator=coordinator("other@example.org"), slug="music")
    client.force_login(staff())

    client.post("/initiatives/music/edit/", form_data(slug="music", title_en="Music school"))

    assert Initiative.objects.get().title_en == "Music school"


def test_the_list_offers_new_initiative_to_coordinators_and_staff_only(client, sister_city):
    InitiativeFactory()
    assert "/initiatives/new/" not in html_of(client.get("/initiatives/"))
    client.force_login(diplomat())
    assert "/initiatives/new/" not in html_of(client.get("/initiatives/"))
    for who in (coordinator(), staff()):
        client.force_login(who)
        assert 'href="/initiatives/new/"' in html_of(client.get("/initiatives/"))


def test_readers_who_may_not_edit_see_no_edit_link(client):
    InitiativeFactory(coordinator=coordinator("other@example.org"), slug="music")
    for who in (None, diplomat(), coordinator()):
        if who:
            client.force_login(who)
        assert "/initiatives/music/edit/" not in html_of(client.get("/initiatives/music/"))


def test_the_edit_page_shows_the_changes_so_far(client, sister_city):
    neda = coordinator(first_name="Neda", last_name="Moradi")
    client.force_login(neda)
    client.post("/initiatives/new/", form_data(slug="tiles"))
    client.post("/initiatives/tiles/edit/", form_data(slug="tiles", ends_on="2027-06-30"))

    page = html_of(client.get("/initiatives/tiles/edit/"))

    history = page[page.index("Changes so far") :]
    assert history.count("Neda Moradi") == 2
    assert "Created" in history and "Changed" in history
    assert "ends" in history


def test_a_change_in_the_admin_is_recorded_in_the_history_too(client, sister_city):
    neda = coordinator()
    initiative = InitiativeFactory(coordinator=neda, slug="tiles", cities=[sister_city])
    client.force_login(neda)

    response = client.post(
        f"/admin/initiatives/initiative/{initiative.pk}/change/",
        {
            "slug": "tiles",
            "title_en": "Tiles and glass",
            "title_fa": initiative.title_fa,
            "description_en": initiative.description_en,
            "description_fa": initiative.description_fa,
            "field": initiative.field,
            "status": initiative.status,
            "cities": [sister_city.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    (change,) = InitiativeChange.objects.filter(initiative=initiative)
    assert (change.actor, change.action) == (neda, "changed")
    assert change.changes == {"title_en": [initiative.title_en, "Tiles and glass"]}
