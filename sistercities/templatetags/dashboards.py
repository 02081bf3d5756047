import datetime

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext as _

from diplomacy_portal import l10n
from sistercities.selectors.dashboard import DEFAULT_SORT
from sistercities.tables import DATE, NUMBER, PERCENT, Badge, Link

register = template.Library()


@register.simple_tag
def cell(kind: str, value):
    """One table cell, formatted for the reader's language."""
    if value is None or value == "":
        return format_html(
            '<span class="visually-hidden">{}</span><span aria-hidden="true">–</span>', _("none")
        )
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, Badge):
        return format_html(
            '<span class="badge health-badge health-{}">{}</span>', value.level, value.text
        )
    if kind == DATE and isinstance(value, datetime.date):
        return format_html(
            '<time datetime="{}">{}</time>', value.isoformat(), l10n.format_date(value)
        )
    if kind == PERCENT:
        return format_html("{}{}", l10n.digits(value), "٪" if l10n.is_persian() else "%")
    if kind == NUMBER:
        return l10n.digits(value)
    return value


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
