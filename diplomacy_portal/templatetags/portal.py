from django import template

from diplomacy_portal import l10n, navigation

register = template.Library()


@register.filter
def localdate(value):
    """{{ value|localdate }}: Solar Hijri with Persian digits under Persian, else Gregorian."""
    return l10n.format_date(value)


@register.filter
def localdatetime(value):
    return l10n.format_datetime(value)


@register.filter
def isoformat(value):
    """{{ moment|isoformat }}: for <time datetime>, to the second (HTML allows no microseconds),
    in the portal's time zone."""
    return l10n.isoformat(value)


@register.filter
def digits(value):
    """{{ count|digits }}: Persian digits under Persian."""
    return l10n.digits(value)


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL with its filters kept and `page` set to `number`."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def navigation_place(context) -> dict:
    """{% navigation_place as nav %}: what the navigation marks (diplomacy_portal/navigation.py)."""
    return navigation.place(context.get("request"), context.get("user"))
