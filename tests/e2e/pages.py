"""Every page of the portal, read from the URL configuration, and who can open it.

tests/e2e/test_every_page_is_accessible.py checks each page found here. A URL pattern is either
visited or excluded below with a reason: a new pattern that is neither fails that test until
someone decides, so a page cannot be forgotten. Which role can open which page is not typed by
hand either: each role asks for each page with Django's test client, and what answers 200 with
HTML is visited (see `plan`).
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from citizens.auth import has_totp
from citizens.models import DiplomatApplication, User
from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS
from citizens.services import notices
from initiatives.demo import FULL_MEETING
from initiatives.models import Follow, Initiative, Invitation, Membership
from initiatives.services import follows
from initiatives.services.initiatives import record_change
from initiatives.tokens import rsvp_token
from proposals.models import Proposal
from sistercities.models import SisterCity
from tests.factories import UserFactory, application_in, reviewer
from tests.proposals.factories import make_proposal

PASSWORD = "correct horse battery"  # tests/factories.py's UserFactory


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route of an unnamed pattern
    takes_arguments: bool


def url_patterns(patterns=None, prefix: str = "", namespace: str = "", arguments: bool = False):
    """Every URL pattern of the project, with included ones flattened."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        takes_arguments = arguments or entry.pattern.regex.groups > 0
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            found += url_patterns(entry.url_patterns, route, inner, takes_arguments)
        elif isinstance(entry, URLPattern):
            key = ":".join(filter(None, [namespace, entry.name])) if entry.name else route
            found.append(Pattern(key, takes_arguments))
    return found


# Not pages, or pages no one can reach here: URL name (or route, when unnamed) and why.
EXCLUDED = {
    "healthz": "JSON for the load balancer, not a page",
    "livez": "plain text for the load balancer and the benchmark, not a page",
    "favicon": "the icon: a redirect to the static file, not a page",
    "set_language": "the language switch: POST only, answers with a redirect",
    "citizens:application-withdraw": "POST only: withdraws, then redirects to the applicant's page",
    "citizens:inbox-read": "POST only: marks notifications read, then redirects back",
    "citizens:data-export": "a JSON download, not a page",
    "citizens:application-document": "a file download (the CV or the photo), not a page",
    "mfa_download_recovery_codes": "a text file download, not a page",
    "account_set_password": (
        "for accounts without a password (social sign-in), which the portal does not have: "
        "redirects to the password change"
    ),
    "account_confirm_reauthentication_code": (
        "asks for the code the previous page e-mails; until one is asked for (a POST that "
        "sends mail), it redirects there"
    ),
    "account_confirm_login_code": "sign-in by e-mailed code is off: redirects to the sign-in",
    "admin:citizens_diplomatapplication_add": (
        "applicants make applications on the portal; the admin only reads and decides them (403)"
    ),
    "admin:citizens_applicationstatuschange_add": "the decision log is written, never typed (403)",
    "admin:citizens_outgoingemail_add": "e-mails are queued by the portal, never typed (403)",
    "admin:citizens_notification_add": "notifications are written by the portal, never typed (403)",
    "admin:login": (
        "redirects: staff to the admin, everyone else to the portal's own sign-in "
        "(secure_admin_login); a signed-in user who is not staff gets the 403 page, which "
        "test_the_error_pages_are_accessible_... checks"
    ),
    "admin:logout": "POST only",
    "admin:autocomplete": "JSON for the admin's autocomplete boxes",
    "admin:jsi18n": "the admin's JavaScript translations",
    "admin:view_on_site": "redirects to the object's public page",
    "initiatives:initiative-join": "POST only: asks to join, then redirects to the initiative",
    "initiatives:initiative-leave": "POST only: leaves, then redirects to the initiative",
    "initiatives:membership-decide": "POST only: accepts or declines a request, then redirects",
    "initiatives:meeting-cancel": "POST only: cancels, then redirects to the meeting",
    "initiatives:meeting-invite": "POST only: invites, then redirects to the meeting",
    "initiatives:meeting-rsvp": "POST only: answers, then redirects to the meeting",
    "initiatives:meeting-invitees-csv": "a CSV download, not a page",
    "sistercities:dashboard-export": "a CSV or XLSX download of a dashboard table, not a page",
    "sistercities:dashboard-city-export": "a CSV or XLSX download of a city's table, not a page",
    "sistercities:agreement-document": "a file download (an agreement's PDF), not a page",
    "initiatives:calendar-feed": "an iCalendar feed for calendar apps, not a page",
    "initiatives:initiative-meetings-feed": "a public iCalendar feed for calendar apps, not a page",
    "sistercities:city-meetings-feed": "a public iCalendar feed for calendar apps, not a page",
    "initiatives:calendar-feed-reset": "POST only: makes a new feed address, then redirects",
    "initiatives:desk-move-up": "POST only: moves someone up a waiting list, then redirects",
    "initiatives:desk-offer-seat": "POST only: gives free seats to those waiting, then redirects",
    "admin:initiatives_meeting_add": "meetings are scheduled on the portal, whose services send "
    "the calendar invitations; the admin only shows them (403)",
    "admin:initiatives_invitation_add": "invitations are sent from the meeting's page; the admin "
    "only shows them (403)",
    "admin:initiatives_calendarreply_add": "answers are read from the calendar reply mailbox, "
    "never typed (403)",
    "admin/(?P<url>.*)$": "the admin's catch-all: adds a slash or answers 404",
    "proposals:proposal-submit": "POST only: submits, then redirects to the proposal",
    "proposals:proposal-withdraw": "POST only: withdraws, then redirects to the proposal",
    "proposals:proposal-support": "POST only: supports, then redirects to the proposal",
    "proposals:proposal-unsupport": "POST only: takes support back, then redirects",
    "proposals:proposal-attachment": "a file download (the proposal's PDF), not a page",
    "admin:proposals_proposal_add": "diplomats write proposals on the portal; the admin only "
    "reads and decides them (403)",
    "admin:proposals_proposalstatuschange_add": "the decision log is written, never typed (403)",
    **{
        f"opendata:api-{name}": "JSON of the open data API for programs, not a page"
        for name in (
            "city-list",
            "city-detail",
            "initiative-list",
            "initiative-detail",
            "meeting-list",
            "meeting-detail",
            "agreement-list",
            "agreement-detail",
            "proposal-list",
            "proposal-detail",
            "figures",
            "dashboard-cities",
            "not-found",
        )
    },
    "opendata:api-schema": "the API's OpenAPI schema (YAML or JSON), not a page",
    "opendata:token-revoke": "POST only: revokes a token, then redirects to the tokens page",
}

# Families of admin URLs that every registered model has.
EXCLUDED_FAMILIES = [
    (
        re.compile(r"^admin:\w+_history$"),
        "Django's own change-history list: one template for every model, no project code",
    ),
    (
        re.compile(r"^admin:\w+_delete$"),
        "Django's own delete confirmation: one template for every model, no project code",
    ),
    (
        re.compile(r"^admin/\w+/\w+/<path:object_id>/$"),
        "an old admin URL form that redirects to the change page",
    ),
]

# The admin of these apps' models is checked; of other apps' (Django's, allauth's), excluded.
PROJECT_APPS = {"citizens", "sistercities", "initiatives", "proposals"}


def exclusion(pattern: Pattern) -> str | None:
    """Why this pattern is not visited, or None when it is."""
    if pattern.key in EXCLUDED:
        return EXCLUDED[pattern.key]
    for family, reason in EXCLUDED_FAMILIES:
        if family.search(pattern.key):
            return reason
    if pattern.key in _other_apps_admin_pages():
        return (
            "the admin of another app's model (Django's groups, allauth's addresses and "
            "authenticators): their own pages and translations, on the admin templates that "
            "the project's models are checked with"
        )
    return None


def _other_apps_admin_pages() -> set[str]:
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        for model in admin.site._registry
        if model._meta.app_label not in PROJECT_APPS
        for page in ("changelist", "add", "change")
    }


@dataclass
class Portal:
    """What the pages show: the demo's sister cities and contacts, one account per role, and
    the records (applications, notifications, e-mails) their pages list."""

    users: dict[str, User]
    newcomer: User  # signed up, address not verified yet
    submitted: DiplomatApplication  # waiting for the municipal staff's decision
    draft: Proposal  # the crawl's diplomat's, to edit


@transaction.atomic
def build_portal() -> Portal:
    call_command("load_demo", allow_production=True, verbosity=0)
    users = {
        "citizen": UserFactory(email=_email("citizen")),
        "applicant": application_in("draft", user__email=_email("applicant")).user,
        "diplomat": application_in("approved", user__email=_email("diplomat")).user,
        "staff": reviewer(_email("staff")),
        "official": UserFactory(email=_email("official"), roles=[CITY_OFFICIALS]),
        "coordinator": UserFactory(
            email=_email("coordinator"), is_staff=True, roles=[INITIATIVE_COORDINATORS]
        ),
        "superuser": UserFactory(email=_email("superuser"), is_staff=True, is_superuser=True),
    }
    for name in ("staff", "official", "coordinator", "superuser"):
        _with_two_factor(users[name])
    # No saved preference: each visit's language comes from the browser's language cookie.
    User.objects.filter(pk__in=[user.pk for user in users.values()]).update(preferred_language="")
    application_in("needs_changes", user__email=_email("returned"))
    # The crawl's coordinator runs the demo's crafts exchange; its diplomat is a member,
    # invited to the exchange's meeting.
    crafts = Initiative.objects.get(slug=CRAFTS)
    crafts.coordinator = users["coordinator"]
    crafts.save(update_fields=["coordinator"])
    # A change in its history, which its edit page lists.
    record_change(
        initiative=crafts,
        actor=users["coordinator"],
        created=False,
        changes={"ends_on": ["", "2027-06-30"], "cities": ["florence", "florence, porto"]},
    )
    Membership.objects.create(initiative=crafts, user=users["diplomat"], state="accepted")
    Invitation.objects.create(
        meeting=crafts.meetings.first(),
        invitee=users["diplomat"],
        state="sent",
        sent_at=timezone.now(),
    )
    # Someone follows Florence by e-mail: the pages of its confirmation and way-out links.
    Follow.objects.create(
        email=_email("follower"), city=SisterCity.objects.get(slug="florence"), language="en"
    )
    return Portal(
        users=users,
        newcomer=UserFactory(email=_email("newcomer"), verified=False),
        submitted=application_in("submitted", user__email=_email("waiting")),
        draft=make_proposal(author=users["diplomat"], cities=[crafts.cities.first()]),
    )


def _with_two_factor(user: User) -> None:
    """An authenticator app and recovery codes, as the portal asks of whoever sees more than
    their own data (the citizens' two-factor pages are checked without)."""
    if not user.authenticator_set.filter(type="totp").exists():
        TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)


def _email(who: str) -> str:
    # Beside the demo's own accounts (citizen@example.org, ...), which load_demo creates.
    return f"{who}@crawl.example.org"


def _admin_change_arguments() -> dict[str, Callable[[Portal], dict]]:
    """The change page of each model in the admin opens its first object."""

    def first_object(model):
        def arguments(portal):
            obj = model._default_manager.order_by("pk").first()
            assert obj is not None, f"Nothing to open {model.__name__}'s change page with"
            return {"object_id": obj.pk}

        return arguments

    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change": first_object(model)
        for model in admin.site._registry
    }


CRAFTS = "florence-crafts-exchange"  # a demo initiative (initiatives/demo.py)


def _crafts_meeting(portal) -> dict:
    return {"pk": Initiative.objects.get(slug=CRAFTS).meetings.first().pk}


def _follow_token(link: Callable[[Follow], str]) -> dict:
    """A link e-mailed to someone who follows Florence (its confirmation, or its way out)."""
    follow = Follow.objects.get(email=_email("follower"))
    return {"token": link(follow).rsplit("/", 2)[1]}


def _demo_proposal(status: str, **more) -> Proposal:
    """One of the demo's proposals (proposals/demo.py), supported by others."""
    return Proposal.objects.filter(status=status, **more).order_by("pk").first()


# URL name → its arguments, from the portal built above.
ARGUMENTS: dict[str, Callable[[Portal], dict]] = {
    "initiatives:initiative-detail": lambda portal: {"slug": CRAFTS},
    "initiatives:initiative-members": lambda portal: {"slug": CRAFTS},
    "initiatives:initiative-edit": lambda portal: {"slug": CRAFTS},
    "initiatives:meeting-detail": _crafts_meeting,
    "initiatives:meeting-edit": _crafts_meeting,
    "initiatives:desk-write-to-members": lambda portal: {"slug": CRAFTS},
    "initiatives:desk-write-to-invitees": _crafts_meeting,
    "initiatives:meeting-remind": _crafts_meeting,
    "initiatives:desk-waiting-list": lambda portal: {
        "pk": Initiative.objects.get(slug=CRAFTS).meetings.get(title=FULL_MEETING).pk
    },
    "initiatives:rsvp": lambda portal: {
        "token": rsvp_token(Invitation.objects.get(invitee=portal.users["diplomat"]))
    },
    "citizens:notices-unsubscribe": lambda portal: {
        "token": notices.unsubscribe_url(portal.users["diplomat"], "meeting_reminder").rsplit(
            "/", 2
        )[1]
    },
    "sistercities:city-detail": lambda portal: {"slug": "florence"},
    "sistercities:city-follow": lambda portal: {"slug": "florence"},
    "initiatives:initiative-follow": lambda portal: {"slug": CRAFTS},
    "initiatives:follow-confirm": lambda portal: _follow_token(follows.confirm_url),
    "initiatives:follow-stop": lambda portal: _follow_token(follows.stop_url),
    "sistercities:dashboard-city": lambda portal: {"slug": "florence"},
    "account_confirm_email": lambda portal: {
        "key": EmailConfirmationHMAC(EmailAddress.objects.get(user=portal.newcomer)).key
    },
    "account_reset_password_from_key": lambda portal: {
        "uidb36": user_pk_to_url_str(portal.users["citizen"]),
        "key": default_token_generator.make_token(portal.users["citizen"]),
    },
    "admin:app_list": lambda portal: {"app_label": "citizens"},
    "admin:citizens_diplomatapplication_decide": lambda portal: {
        "pk": portal.submitted.pk,
        "decision": "request_changes",
    },
    "admin:auth_user_password_change": lambda portal: {"id": portal.users["citizen"].pk},
    "proposals:proposal-detail": lambda portal: {"pk": _demo_proposal("submitted").pk},
    "proposals:proposal-edit": lambda portal: {"pk": portal.draft.pk},
    "admin:proposals_proposal_decide": lambda portal: {
        "pk": _demo_proposal("submitted").pk,
        "decision": "decline",
    },
    "admin:proposals_proposal_initiative": lambda portal: {
        "pk": _demo_proposal("accepted", initiative=None).pk
    },
    **_admin_change_arguments(),
}


@dataclass(eq=False)
class Role:
    """Someone who opens pages: anonymous, or signed in as one of the portal's users."""

    name: str
    user: User | None = None
    # The first step of signing in done (the password), the second (the 2FA code) not yet.
    at_second_factor: bool = False

    def client(self) -> Client:
        """A test client holding this role's session, as a browser would."""
        client = Client()
        if self.at_second_factor:
            client.post(reverse("account_login"), {"login": self.user.email, "password": PASSWORD})
        elif self.user is not None:
            client.force_login(self.user, "allauth.account.auth_backends.AuthenticationBackend")
            # The password confirmed a moment ago, as allauth records it: pages that ask for it
            # again before a sensitive change (two-factor set-up) open directly.
            methods = [{"method": "password", "at": time.time(), "reauthenticated": True}]
            if has_totp(self.user):
                # And with the authenticator's code, as role holders sign in.
                methods.append({"method": "mfa", "at": time.time(), "type": "totp"})
            session = client.session
            session["account_authentication_methods"] = methods
            session["account_authentication_methods_user"] = str(self.user.pk)
            session.save()
        return client

    def holds(self, client: Client) -> bool:
        """Whether the client's session is still this role's (no page signed it out)."""
        session = client.session
        if self.at_second_factor:
            return "account_login" in session
        if self.user is not None:
            return session.get("_auth_user_id") == str(self.user.pk)
        return True

    def session_cookie(self) -> str | None:
        if self.user is None:
            return None
        return self.client().cookies[settings.SESSION_COOKIE_NAME].value


def roles(portal: Portal) -> list[Role]:
    """Everyone, the public first; among the staff, the widest rights first, so the admin's
    pages are checked with every control they can show (see `plan`)."""
    users = portal.users
    return [
        Role("anonymous"),
        *(Role(name, users[name]) for name in ("citizen", "applicant", "diplomat", "official")),
        *(Role(name, users[name]) for name in ("superuser", "staff", "coordinator")),
        Role("superuser-signing-in", users["superuser"], at_second_factor=True),
    ]


@dataclass(frozen=True)
class Page:
    pattern: Pattern
    url: str

    @property
    def name(self) -> str:
        """For file names."""
        return re.sub(r"\W+", "-", self.pattern.key).strip("-")

    @property
    def is_landing(self) -> bool:
        return self.pattern.key in LANDING_PAGES


# Where each role's navigation shows; elsewhere the navigation is left out of the comparison
# below and of axe's checks, as the same for the role on every page.
LANDING_PAGES = {"home", "admin:index"}
NAVIGATION = "body > header, #header, #nav-sidebar"  # the portal's, the admin's


@dataclass(frozen=True)
class Visit:
    role: Role
    page: Page


def plan(portal: Portal) -> tuple[list[Visit], list[tuple[str, str]]]:
    """The visits to make, and the patterns neither visited nor excluded (with what is missing).

    A role visits a page when the page answers it with HTML and leaves it signed in as it was,
    unless every kind of element the role would see there (tag, class, role, type) has been
    seen on that page already, by an earlier role: another user's name in the same form adds
    nothing to check, a button only the superuser has does.
    """
    with transaction.atomic():
        visits, forgotten = _plan(portal)
        transaction.set_rollback(True)  # the probes' sessions
    return visits, forgotten


def _plan(portal: Portal) -> tuple[list[Visit], list[tuple[str, str]]]:
    pages, forgotten = [], []
    for pattern in url_patterns():
        if exclusion(pattern):
            continue
        if pattern.takes_arguments and pattern.key not in ARGUMENTS:
            forgotten.append((pattern.key, "no arguments for its URL"))
            continue
        kwargs = ARGUMENTS[pattern.key](portal) if pattern.takes_arguments else {}
        pages.append(Page(pattern, reverse(pattern.key, kwargs=kwargs)))
    visits, seen, opened = [], {}, set()
    for role in roles(portal):
        client = role.client()
        for page in pages:
            html = _opened(client, page)
            if not role.holds(client):
                client = role.client()
                continue
            if html is None:
                continue
            opened.add(page.pattern.key)
            kinds = element_kinds(html, with_navigation=page.is_landing)
            if not kinds <= seen.get(page.pattern.key, set()):
                seen[page.pattern.key] = seen.get(page.pattern.key, set()) | kinds
                visits.append(Visit(role, page))
    forgotten += [
        (p.pattern.key, "no role can open it") for p in pages if p.pattern.key not in opened
    ]
    return visits, forgotten


def _opened(client: Client, page: Page) -> str | None:
    """The page's HTML, when it answers with it (after redirects within its own URL pattern:
    a password reset link moves its key into the session, say)."""
    response = client.get(page.url)
    while response.status_code == 302 and url_key(response["Location"]) == page.pattern.key:
        response = client.get(response["Location"])
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        return response.content.decode()
    return None


def url_key(url: str) -> str | None:
    """The URL name (with its namespace) that a URL resolves to."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return ":".join(filter(None, [match.namespace, match.url_name]))


class _ElementKinds(HTMLParser):
    def __init__(self, with_navigation: bool):
        super().__init__()
        self.kinds = set()
        self.with_navigation = with_navigation
        self.in_main = False
        self.skipping, self.depth = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_main = self.in_main or tag == "main"
        # NAVIGATION: the header before <main> (the portal's, the admin's), the admin's sidebar.
        navigation = (tag == "header" and not self.in_main) or attrs.get("id") == "nav-sidebar"
        if self.skipping is None and navigation and not self.with_navigation:
            self.skipping = tag
        if tag == self.skipping:
            self.depth += 1
        if self.skipping is None:
            self.kinds.add((tag, attrs.get("class"), attrs.get("role"), attrs.get("type")))

    def handle_endtag(self, tag):
        if tag == self.skipping:
            self.depth -= 1
            if self.depth == 0:
                self.skipping = None


def element_kinds(html: str, with_navigation: bool) -> set[tuple]:
    """The kinds of element on a page: tag, class, role and type, without text or values."""
    parser = _ElementKinds(with_navigation)
    parser.feed(html)
    return parser.kinds
