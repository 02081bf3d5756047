"""Where the navigation bar (templates/_navigation.html) places the reader, and whether it
links to the dashboards; the rest it shows comes from the request and the reader themselves."""

from citizens.roles import is_privileged

# The navigation's links, by the URL name of the page each leads to.
LINKS = {
    "home": "home",
    "cities": "sistercities:city-list",
    "initiatives": "initiatives:initiative-list",
    "apply": "citizens:application-form",
    "me": "citizens:me",
    "inbox": "citizens:inbox",
    "dashboard": "sistercities:dashboard",
}


def may_see_dashboard(user) -> bool:
    """Whether the navigation links to the dashboards (only privileged people can)."""
    return (
        user.is_authenticated
        and is_privileged(user)
        and user.has_perm("sistercities.view_dashboard")
    )


def place(request, user) -> dict:
    """The link of the page being read (`current`), the part of the site it is in (`section`)
    and whether `user` may see the dashboards. Outside a request: nowhere in particular."""
    match = request.resolver_match if request is not None else None
    if match is None:
        current = section = ""
    else:
        current = next((name for name, view in LINKS.items() if view == match.view_name), "")
        dashboards = (match.url_name or "").startswith("dashboard")
        section = "dashboard" if dashboards else match.namespace
    return {
        "current": current,
        "section": section,
        "dashboard": user is not None and may_see_dashboard(user),
    }
