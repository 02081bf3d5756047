from functools import partial

from django import template
from django.utils.safestring import SafeString, mark_safe

from diplomacy_portal.forms import escaped

register = template.Library()


@register.simple_tag
def inbox_entries(entries, new, mark_read) -> SafeString:
    """The inbox's entries (InboxEntry, with what notifications.show_in_inbox() set), written
    in Python: the template's loop over twenty of them cost a third of the page."""
    entry_html = partial(_entry, new=escaped(new), mark_read=escaped(mark_read))
    return mark_safe("".join(map(entry_html, entries)))


def _entry(entry, new: str, mark_read: str) -> str:
    unread = not entry.read_at
    subject = escaped(entry.text["subject"])
    if entry.url:
        subject = f'<a href="{escaped(entry.url)}">{subject}</a>'
    badge = f'<span class="badge text-bg-primary">{new}</span> ' if unread else ""
    button = (
        f'<button type="submit" form="inbox-read" name="notification" value="{entry.id}" '
        f'class="btn btn-sm btn-outline-secondary align-self-start">{mark_read}</button>'
        if unread
        else ""
    )
    return (
        f'<li class="list-group-item{" notification-unread" if unread else ""}">'
        '<div class="d-flex flex-column flex-sm-row justify-content-between gap-2"><div>'
        f'<h2 class="h6 mb-1">{badge}{subject}</h2>'
        f'<p class="mb-1">{escaped(entry.text["message_html"])}</p>'
        f'<time datetime="{escaped(entry.when_iso)}" class="small text-body-secondary">'
        f"{escaped(entry.when)}</time>"
        f"</div>{button}</div></li>\n"
    )
