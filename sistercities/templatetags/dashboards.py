import datetime

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_date

from sistercities.selectors.dashboard import DEFAULT_SORT
from sistercities.tables import DATE, NUMBER, PERCENT, Badge, Link

register = template.Library()


@register.filter
def cell_shape(value, kind: str) -> str:
    """How a table cell of `kind` (sistercities.tables) shows `value`: none, link, badge, date,
    percent, number or text; the markup is the table's template."""
    if value is None or value == "":
        return "none"
    if isinstance(value, Link):
        return "link"
    if isinstance(value, Badge):
        return "badge"
    if kind == DATE and isinstance(value, datetime.date):
        return "date"
    if kind in (PERCENT, NUMBER):
        return kind
    return "text"


@register.filter
def is_fading(row) -> bool:
    """Whether a row of the health table (Table.body: its cells with their kinds) is a fading
    city's: its third cell is the city's health."""
    return len(row) > 2 and getattr(row[2][1], "level", None) == "fading"


@register.simple_tag(takes_context=True)
def sort_link(context, column) -> dict:
    """The URL that sorts the health table by `column`, and the column's current aria-sort."""
    # From the filters, not the request: the table is shared by every reader of them.
    query = filter_query(context["filters"])
    current = context["filters"]["sort"] or DEFAULT_SORT
    descending = current.startswith("-")
    active = current.lstrip("-") == column.sort
    if active:
        query["sort"] = column.sort if descending else f"-{column.sort}"
    else:
        # Names and statuses read best A to Z; figures largest (or most neglected) first.
        query["sort"] = column.sort if column.sort in ("name", "status") else f"-{column.sort}"
    state = ("descending" if descending else "ascending") if active else ""
    return {"url": f"?{query.urlencode()}", "state": state}


@register.simple_tag(takes_context=True)
def export_url(context, table, file_format: str) -> str:
    city = context.get("city")
    if city is not None:
        return reverse(
            "sistercities:dashboard-city-export", args=[city.slug, table.slug, file_format]
        )
    query = filter_query(context["filters"]).urlencode()
    url = reverse("sistercities:dashboard-export", args=[table.slug, file_format])
    return f"{url}?{query}" if query else url


def filter_query(filters: dict) -> QueryDict:
    """The health table's filters as the dashboard's query string has them."""
    query = QueryDict(mutable=True)
    if filters["status"]:
        query["status"] = filters["status"]
    if filters["fading_only"]:
        query["fading"] = "on"
    if filters["sort"] != DEFAULT_SORT:
        query["sort"] = filters["sort"]
    return query


@register.filter
def isodate(value):
    """{{ "2026-11-30"|isodate|localdate }}: a stored ISO date, read back."""
    return parse_date(value) if isinstance(value, str) else value
