"""The navigation bar, rendered once per process for each kind of reader (language, roles,
signed in or not) and place in the site, then completed with what is the request's own: the
CSRF token, the address to come back to after switching language, the e-mail address and the
unread count. Rendering it afresh cost about a third of a public page (the bench's `/`)."""

import functools
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from citizens.auth import unread_count
from citizens.roles import is_privileged
from diplomacy_portal import l10n

LINKS = {
    "home": "home",
    "cities": "sistercities:city-list",
    "initiatives": "initiatives:initiative-list",
    "apply": "citizens:application-form",
    "me": "citizens:me",
    "inbox": "citizens:inbox",
    "dashboard": "sistercities:dashboard",
}
# Stand-ins for the request's own values; a rendered page never holds a NUL character.
CSRF, NEXT, EMAIL, UNREAD = (f"\x00{name}\x00" for name in ("csrf", "next", "email", "unread"))

# At most a few hundred: languages × places × kinds of reader.
_kept: dict[tuple, str] = {}


@functools.cache
def _urls(script_prefix: str, urlconf: str) -> dict[str, str]:
    """The links' addresses, looked up once per prefix and URL configuration."""
    return {name: reverse(url_name) for name, url_name in LINKS.items()}


def may_see_dashboard(user) -> bool:
    """Whether the navigation links to the dashboards (only privileged people can)."""
    return (
        user.is_authenticated
        and is_privileged(user)
        and user.has_perm("sistercities.view_dashboard")
    )


class Reader(NamedTuple):
    """What the navigation shows a request: its skeleton depends on `nav` only."""

    nav: dict
    user: object
    token: str
    unread: int

    @property
    def kind(self) -> tuple:
        return tuple(self.nav.values())


def reader(request, user, token) -> Reader:
    path = request.path if request else ""
    match = request.resolver_match if request else None
    urls = _urls(get_script_prefix(), settings.ROOT_URLCONF)
    token = "" if token is None or str(token) == "NOTPROVIDED" else str(token)
    unread = unread_count(user) if user.is_authenticated else 0
    nav = {
        "language": get_language(),
        "current": next((name for name, url in urls.items() if url == path), ""),
        "section": (
            "dashboard"
            if match and (match.url_name or "").startswith("dashboard")
            else (match.namespace if match else "")
        ),
        "signed_in": user.is_authenticated,
        "diplomat": user.is_authenticated and user.is_diplomat,
        "dashboard": may_see_dashboard(user),
        "staff": user.is_staff,
        "unread": bool(unread),
        "csrf": bool(token),
    }
    return Reader(nav, user, token, unread)


# Set in a page's context, the navigation is left with its stand-ins: fill() completes the page.
UNFILLED = "navigation_unfilled"


def render(context) -> SafeString:
    # Without a request (a page rendered outside one): the navigation of an anonymous visitor.
    request = context.get("request")
    user = context.get("user") or AnonymousUser()
    seen_by = reader(request, user, context.get("csrf_token"))
    if context.get(UNFILLED):
        return mark_safe(skeleton(seen_by))
    return mark_safe(fill(skeleton(seen_by), request, seen_by))


def skeleton(seen_by: Reader) -> str:
    """The navigation of a kind of reader, with stand-ins for the request's own values."""
    kept = _kept.get(seen_by.kind)
    if kept is not None:
        return kept
    kept = render_to_string(
        "_navigation.html",
        {
            "nav": seen_by.nav,
            "urls": _urls(get_script_prefix(), settings.ROOT_URLCONF),
            "csrf_token": CSRF if seen_by.token else None,
            "next_path": NEXT,
            "email": EMAIL,
            "unread": UNREAD,
        },
    )
    if not settings.DEBUG:  # in development, an edited template shows at once
        _kept[seen_by.kind] = kept
    return kept


def fill(text: str, request, seen_by: Reader) -> str:
    """`text` (a navigation, or a page holding one) with the request's own values."""
    user = seen_by.user
    return (
        text.replace(CSRF, seen_by.token)
        .replace(NEXT, escape(request.get_full_path() if request else ""))
        .replace(EMAIL, escape(user.email) if user.is_authenticated else "")
        .replace(UNREAD, escape(l10n.digits(seen_by.unread)))
    )
