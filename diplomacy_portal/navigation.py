"""Where the navigation bar (templates/_navigation.html) places the reader, and the starting
points it offers them by their role (the dashboards, the coordinator's desk); the rest it shows
comes from the request and the reader themselves. It is rendered for each request, never cached:
every link here is the reader's own."""

from citizens.auth import has_application
from citizens.roles import is_privileged
from initiatives.access import is_coordinator, may_schedule
from initiatives.selectors import coordinated_by

# The navigation's links, by the URL name of the page each leads to.
LINKS = {
    "home": "home",
    "cities": "sistercities:city-list",
    "initiatives": "initiatives:initiative-list",
    "apply": "citizens:application-form",
    "me": "me",
    "profile": "citizens:profile",
    "inbox": "citizens:inbox",
    "dashboard": "sistercities:dashboard",
    "desk": "initiatives:desk",
}


def may_see_dashboard(user) -> bool:
    """Whether the navigation links to the dashboards (only privileged people can)."""
    return (
        user.is_authenticated
        and is_privileged(user)
        and user.has_perm("sistercities.view_dashboard")
    )


def may_apply(user) -> bool:
    """Whether `user` may become a citizen diplomat by applying: not one already, and not
    someone who acts for the city (staff, officials, coordinators)."""
    return not user.is_diplomat and not is_privileged(user)


def starting_points(user) -> dict:
    """The reader's own links: Apply, or My application, or My page (a diplomat's home), and
    the initiatives a coordinator runs (a query each, only for whom they concern)."""
    if user is None or not user.is_authenticated:
        return {"apply": False, "application": False, "my_page": False, "coordinated": []}
    applied = not user.is_diplomat and has_application(user)
    return {
        "apply": not applied and may_apply(user),
        "application": applied,
        "my_page": user.is_diplomat,
        "coordinated": coordinated_by(user) if is_coordinator(user) else [],
    }


def place(request, user) -> dict:
    """The link of the page being read (`current`), the part of the site it is in (`section`),
    whether `user` may see the dashboards, and their starting points. Outside a request:
    nowhere in particular."""
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
        # The coordinator's desk: coordinators and the municipal staff.
        "desk": user is not None and may_schedule(user),
        **starting_points(user),
    }
