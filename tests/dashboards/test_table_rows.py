"""How a dashboard table's rows read on the page (templates/sistercities/_dashboard_table.html)."""

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from sistercities.tables import DATE, NUMBER, PERCENT, Badge, Column, Link, Table


def table_rows(table: Table) -> str:
    """The table's body rows as a city's dashboard shows them."""
    html = render_to_string(
        "sistercities/_dashboard_table.html",
        {"table": table, "city": SimpleNamespace(slug="florence")},
    )
    return html[html.index("<tbody>") + len("<tbody>") : html.index("\n      </tbody>")]


COLUMNS = [
    Column("City"),
    Column("Initiatives", NUMBER),
    Column("Health"),
    Column("Last", DATE),
    Column("Accepted", PERCENT),
]


def test_each_cell_is_formatted_escaped_and_a_fading_city_is_marked():
    table = Table(
        slug="cities",
        title="Cities",
        columns=COLUMNS,
        rows=[
            [
                Link("Florence", "/dashboard/cities/florence/"),
                12,
                Badge("Alive", "alive"),
                datetime.date(2026, 11, 1),
                50.5,
            ],
            ["<b>Porto</b>", None, Badge("Fading", "fading"), None, 0],
        ],
    )

    with translation.override("en"):
        florence, porto = table_rows(table).split("\n")[1:]

    assert florence == (
        '<tr><th scope="row"><a href="/dashboard/cities/florence/">Florence</a></th>'
        '<td>12</td><td class="text-start"><span class="badge health-badge health-alive">Alive'
        '</span></td><td><time datetime="2026-11-01">1 November 2026</time></td><td>50.5%</td>'
        "</tr>"
    )
    assert porto.startswith('<tr class="is-fading"><th scope="row">&lt;b&gt;Porto&lt;/b&gt;</th>')
    assert '<span class="visually-hidden">none</span>' in porto


def test_a_table_without_row_headers_and_in_persian():
    table = Table(
        slug="funnel", title="Funnel", columns=COLUMNS[1:2], rows=[[1405]], row_headers=False
    )

    with translation.override("fa"):
        assert table_rows(table) == "\n<tr><td>۱۴۰۵</td></tr>"


def test_an_empty_table_says_so_across_every_column():
    table = Table(slug="cities", title="Cities", columns=COLUMNS)

    with translation.override("en"):
        assert table_rows(table) == (
            '\n<tr><td colspan="5" class="text-start">Nothing to show yet.</td></tr>'
        )
