import pytest

from sistercities.models import SisterCity
from sistercities.services import import_sister_cities


@pytest.mark.django_db
def test_importing_creates_isfahans_sixteen_sister_cities():
    created, updated = import_sister_cities()

    assert (created, updated) == (16, 0)
    florence = SisterCity.objects.get(slug="florence")
    assert (florence.name_en, florence.name_fa, florence.country_code) == (
        "Florence",
        "فلورانس",
        "IT",
    )
    assert florence.established_year == 1998
    assert not SisterCity.objects.filter(name_en="Isfahan").exists()


@pytest.mark.django_db
def test_importing_again_changes_nothing_and_keeps_what_staff_edited():
    import_sister_cities()
    SisterCity.objects.filter(slug="porto").update(
        status=SisterCity.Status.DORMANT, description_en="Wine and tiles."
    )

    assert import_sister_cities() == (0, 0)
    porto = SisterCity.objects.get(slug="porto")
    assert porto.status == SisterCity.Status.DORMANT
    assert porto.description_en == "Wine and tiles."
