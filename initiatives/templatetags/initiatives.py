from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from diplomacy_portal import l10n

register = template.Library()


@register.simple_tag
def bilingual(english: str, persian: str) -> str:
    """{% bilingual title title_fa %}: the Persian text under Persian when there is one."""
    if get_language() == "fa":
        return persian or english
    return english or persian


@register.filter
def webcal(url: str) -> str:
    """{{ feed_url|webcal }}: a feed's address with the scheme calendar apps subscribe with."""
    return "webcal://" + url.split("://", 1)[-1]


@register.filter
def isodatetime(value):
    """{{ "2026-12-01T10:00:00+03:30"|isodatetime|localdatetime }}: a stored ISO time, read back."""
    return parse_datetime(value) if isinstance(value, str) else value


@register.filter
def meeting_time(meeting) -> str:
    """When a meeting is, in the portal's zone: the day and start, then the end's time."""
    start = l10n.format_datetime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    if end.date() != timezone.localtime(meeting.starts_at).date():
        return f"{start} – {l10n.format_datetime(meeting.ends_at)}"
    return f"{start}–{l10n.digits(f'{end.hour:02d}:{end.minute:02d}')}"


@register.filter
def meeting_local_time(meeting) -> str:
    """The same, in the meeting's own zone when that differs from the portal's ('' if not)."""
    if meeting.timezone == timezone.get_current_timezone_name():
        return ""
    with timezone.override(meeting.zone):
        return f"{meeting_time(meeting)} ({meeting.timezone})"


@register.inclusion_tag("initiatives/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context, feed):
    """The /me/ card with the person's private calendar address (`feed`, if they have one)
    and its reset button."""
    request = context["request"]
    return {
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        "csrf_token": context.get("csrf_token"),
    }
