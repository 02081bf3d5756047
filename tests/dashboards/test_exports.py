"""Every table downloads as CSV and XLSX, and each download is the table on the page."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from initiatives.models import Initiative, Membership
from sistercities.models import ContactLog
from tests.factories import SisterCityFactory, UserFactory

from .conftest import days_ago, make_initiative, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    florence = SisterCityFactory(name_en="Florence", slug="florence")
    kazan = SisterCityFactory(name_en="Kazan", slug="kazan", status="dormant")
    crafts = make_initiative("crafts", [florence], updated_days_ago=50)
    make_meeting(starts_at=days_ago(20), initiative=crafts, title="Board, with a comma")
    ContactLog.objects.create(city=kazan, date=timezone.localdate(), kind="letter", note="Hi")
    return florence, kazan


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # how openpyxl reads a date back
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _page_rows(table):
    return [[_cell(v) for v in row] for row in table.rows]


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("slug", ["figures", "cities", "activity", "fields", "funnel"])
def test_each_dashboard_table_downloads_as_csv_and_xlsx(official_client, cities, slug):
    table = official_client.get("/dashboard/").context["tables"][slug]
    header = [column.label for column in table.columns]

    response = official_client.get(f"/dashboard/tables/{slug}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert _csv(response) == [header, *_page_rows(table)]

    response = official_client.get(f"/dashboard/tables/{slug}.xlsx")
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx(response)
    assert rows[0] == header
    assert [[_cell(v) for v in row] for row in rows[1:]] == _page_rows(table)


def test_the_downloaded_health_table_keeps_the_filter(official_client, cities):
    rows = _csv(official_client.get("/dashboard/tables/cities.csv?status=dormant"))

    assert [row[0] for row in rows[1:]] == ["Kazan"]


@pytest.mark.parametrize(
    "slug", ["trend", "initiatives", "held", "upcoming", "engaged", "diplomats", "timeline"]
)
def test_each_city_table_downloads_as_csv_and_xlsx(client, staff, cities, slug):
    client.force_login(staff)
    table = client.get("/dashboard/cities/florence/").context["tables"][slug]

    rows = _csv(client.get(f"/dashboard/cities/florence/tables/{slug}.csv"))
    assert rows == [[c.label for c in table.columns], *_page_rows(table)]
    rows = _xlsx(client.get(f"/dashboard/cities/florence/tables/{slug}.xlsx"))
    assert [[_cell(v) for v in row] for row in rows[1:]] == _page_rows(table)


def test_text_that_looks_like_a_formula_stays_text(client, staff, cities):
    florence, _kazan = cities
    ContactLog.objects.create(
        city=florence, date=timezone.localdate(), kind="call", note='=HYPERLINK("http://x")'
    )
    client.force_login(staff)

    rows = _csv(client.get("/dashboard/cities/florence/tables/timeline.csv"))
    assert [row[2] for row in rows if "HYPERLINK" in row[2]] == ['\'=HYPERLINK("http://x")']

    response = client.get("/dashboard/cities/florence/tables/timeline.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    (cell,) = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")'


def _first_hundred_of_103_shown(client, slug):
    """Florence's table `slug` on its page shows 100 rows of 103 and says so; its CSV's rows."""
    html = client.get("/dashboard/cities/florence/").content.decode()
    table = html.split(f'id="table-{slug}"')[1].split('class="dashboard-table')[0]
    assert table.count('<th scope="row">') == 100
    assert "The first 100 of 103 are shown; the downloads have them all." in table
    return _csv(client.get(f"/dashboard/cities/florence/tables/{slug}.csv"))


def test_a_busy_citys_page_shows_the_first_hundred_diplomats_and_the_download_has_all(
    client, staff, cities
):
    florence, _kazan = cities
    crafts = Initiative.objects.get(slug="crafts")
    people = UserFactory.create_batch(103)
    Membership.objects.bulk_create(
        Membership(initiative=crafts, user=person, state=Membership.State.ACCEPTED)
        for person in people
    )
    client.force_login(staff)

    rows = _first_hundred_of_103_shown(client, "diplomats")

    assert len(rows) == 1 + 103


def test_a_busy_citys_page_shows_the_first_hundred_initiatives_and_the_download_has_all(
    client, staff, cities
):
    florence, _kazan = cities
    for n in range(102):  # and "crafts"
        make_initiative(f"workshop-{n:03}", [florence])
    client.force_login(staff)

    rows = _first_hundred_of_103_shown(client, "initiatives")

    assert len(rows) == 1 + 103
    assert len({row[0] for row in rows[1:]}) == 103
