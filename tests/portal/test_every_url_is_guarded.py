"""Every URL pattern of the project, tried by every role: one table, and a new URL without an
entry fails the suite.

The portal's rules: anonymous visitors are sent to sign in; a page of a role one does not have
answers 403; someone else's object answers 404 (it may as well not exist). The admin answers in
its own ways where Django decides (a missing object is a redirect to the admin's index).

Staff, officials and coordinators are signed in here with their authenticator's code too, except
the last three roles: they have no authenticator, and every page but the public ones and their
own account's sends them to set one up (SET_UP) before anything else is checked.
"""

from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from citizens.auth import has_totp
from citizens.models import Notification, OutgoingEmail
from citizens.roles import CITY_OFFICIALS, MUNICIPAL_STAFF
from citizens.services import notices
from initiatives.models import CalendarReply, Follow, Membership
from initiatives.services import feeds, follows
from initiatives.tokens import rsvp_token
from opendata import services as api_tokens
from sistercities.models import Agreement, ContactLog
from tests.factories import SisterCityFactory, UserFactory, application_in, pdf_bytes, reviewer
from tests.helpers import complete_second_factor
from tests.initiatives.factories import (
    InitiativeFactory,
    MeetingFactory,
    coordinator,
    diplomat,
    invitation,
)
from tests.proposals.factories import make_proposal, proposal_in

ROLES = (
    "anonymous",
    "unverified",
    "citizen_a",
    "citizen_b",
    "diplomat",
    "staff",  # is_staff, no role: the admin opens, nothing in it does
    "reviewer",  # municipal staff, who review applications
    "official",
    "coordinator",
    "superuser",
    "staff_without_2fa",  # municipal staff, as the reviewer
    "official_without_2fa",
    "coordinator_without_2fa",
)

L = "login"  # a redirect to /accounts/login/?next=<this very URL>
HOME = "/"  # a redirect home (allauth's answer to a signed-in visitor of sign-in pages)
ADMIN = "/admin/"  # the admin's answer for an object it does not show this user
SET_UP = "/accounts/2fa/totp/activate/"  # set up an authenticator first, then come back
NO_2FA = (SET_UP,) * 3  # what the role holders without an authenticator get on most pages


@dataclass(frozen=True)
class Check:
    method: str
    url: str  # with {placeholders} filled from the world below
    expected: tuple
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        assert len(self.expected) == len(ROLES), self.url


def get(url, *expected):
    return Check("get", url, expected)


def post(url, *expected, **data):
    return Check("post", url, expected, data)


def everyone(outcome):
    return (outcome,) * len(ROLES)


def signed_in(outcome):
    """Anyone signed in gets `outcome`; the unverified citizen cannot sign in."""
    return (L, L, *(outcome,) * (len(ROLES) - 2))


def guarded(*outcomes):
    """A page that needs the second factor: `outcomes` for the first ten roles, and the three
    role holders without an authenticator are sent to set one up."""
    return (*outcomes, *NO_2FA)


def admin(url, staff, reviewer, coordinator, superuser, method="get"):
    """An admin page: those who are not staff are refused (anonymous sent to sign in), and
    these four get what is given."""
    return Check(
        method, url, guarded(L, L, 403, 403, 403, staff, reviewer, 403, coordinator, superuser)
    )


def admin_model(model, obj, *, changelist, add, change, delete, history):
    """The admin's six URLs of a model, each answer given for staff, reviewer, coordinator,
    superuser; `obj` names the object of the world they are tried on."""
    base = f"/admin/{model}/"
    one = f"{base}{{{obj}}}/"
    return {
        f"admin/{model}/": [admin(base, *changelist)],
        f"admin/{model}/add/": [admin(f"{base}add/", *add)],
        f"admin/{model}/<path:object_id>/change/": [admin(f"{one}change/", *change)],
        f"admin/{model}/<path:object_id>/delete/": [admin(f"{one}delete/", *delete)],
        f"admin/{model}/<path:object_id>/history/": [admin(f"{one}history/", *history)],
        # The bare object URL redirects to its change page for whoever may open the admin.
        f"admin/{model}/<path:object_id>/": [admin(one, *(f"{base}{{{obj}}}/change/",) * 4)],
    }


def dashboards(outcome):
    """Anonymous sent to sign in; the reviewer (municipal staff), the official and the superuser
    get `outcome`; everyone else 403."""
    return guarded(L, L, 403, 403, 403, 403, outcome, outcome, 403, outcome)


NONE = (403, 403, 403, 200)  # staff (no role), reviewer, coordinator, superuser
VIEW = (403, 200, 403, 200)  # the reviewer may look (superusers may do anything)
ONLY_SUPERUSER = (403, 403, 403, 200)
NEVER = (403, 403, 403, 403)  # read-only for everyone, superusers included

# Where a coordinator's actions lead back to.
MEMBERS, OTHER_MEMBERS = (
    "/initiatives/{initiative}/members/",
    "/initiatives/{other_initiative}/members/",
)
MT, OTHER_MT = "/meetings/{meeting}/", "/meetings/{other_meeting}/"
CMT, OTHER_CMT = "/meetings/{city_meeting}/", "/meetings/{other_city_meeting}/"
# The coordinator's desk: coordinators their own, the municipal staff (and superusers) all.
DESK = "/desk/"
WL, OTHER_WL = (
    "/desk/meetings/{meeting}/waiting-list/",
    "/desk/meetings/{other_meeting}/waiting-list/",
)
MESSAGE = {"subject": "Dates", "body": "Hello", "key": "8d0d8b5e-3f5c-4c86-9a55-0e0f2b0c1a11"}
REMINDER = {"note": "Bring the samples", "key": "1f0d8b5e-3f5c-4c86-9a55-0e0f2b0c1a12"}
PROPOSAL, DRAFT = "/proposals/{proposal}/", "/proposals/{draft}/"

PORTAL = {
    "": [get("/", *everyone(200))],
    "healthz": [get("/healthz", *everyone(200))],
    "livez": [get("/livez", *everyone(200))],
    "favicon.ico": [get("/favicon.ico", *everyone("/static/img/favicon.ico"))],
    "i18n/setlang/": [
        post("/i18n/setlang/", *everyone(HOME), language="fa", next="/"),
        get("/i18n/setlang/", *everyone(405)),
    ],
    "cities/": [get("/cities/", *everyone(200))],
    "cities/<city:slug>/": [
        get("/cities/{city}/", *everyone(200)),
        get("/cities/no-such-city/", *everyone(404)),
    ],
    # Following by e-mail, without an account: a wrong address is shown the form again (a
    # right one is counted against the hour's limit, which tests/initiatives/test_follows.py
    # tries).
    "cities/<city:slug>/follow/": [
        get("/cities/{city}/follow/", *everyone(200)),
        post("/cities/{city}/follow/", *everyone(200), email="not an address"),
        get("/cities/no-such-city/follow/", *everyone(404)),
    ],
    # The links e-mailed to a follower: whoever holds them may use them.
    "follow/confirm/<str:token>/": [
        get("/follow/confirm/{follow_confirm}/", *everyone(200)),
        post("/follow/confirm/{follow_confirm}/", *everyone(200)),
        get("/follow/confirm/not-a-token/", *everyone(400)),
    ],
    "follow/stop/<str:token>/": [
        get("/follow/stop/{follow_stop}/", *everyone(200)),
        post("/follow/stop/{follow_stop}/", *everyone(200)),
        get("/follow/stop/not-a-token/", *everyone(400)),
    ],
    # An agreement's document: a public one for anyone (role holders set up their second factor
    # first, as on every page but the public ones), the others for the municipal staff and the
    # city officials.
    "agreements/<uuid:public_id>/document/": [
        get(
            "/agreements/{private_agreement}/document/",
            *guarded(L, L, 404, 404, 404, 404, 200, 200, 404, 200),
        ),
        get("/agreements/{public_agreement}/document/", *guarded(*(200,) * 10)),
        get(
            "/agreements/00000000-0000-0000-0000-000000000000/document/",
            *guarded(*(404,) * 10),
        ),
    ],
    # The public calendar feeds: anyone, without signing in (calendar apps cannot).
    "cities/<city:slug>/meetings.ics": [
        get("/cities/{city}/meetings.ics", *everyone(200)),
        get("/cities/no-such-city/meetings.ics", *everyone(404)),
    ],
    # The dashboards: city officials and the municipal staff (superusers too), nobody else.
    "dashboard/": [get("/dashboard/", *dashboards(200))],
    "dashboard/tables/<slug:table>.<str:file_format>": [
        get("/dashboard/tables/cities.csv", *dashboards(200)),
        get("/dashboard/tables/funnel.xlsx", *dashboards(200)),
        get("/dashboard/tables/cities.pdf", *dashboards(404)),
        get("/dashboard/tables/no-such-table.csv", *dashboards(404)),
    ],
    "dashboard/cities/<city:slug>/": [
        get("/dashboard/cities/{city}/", *dashboards(200)),
        get("/dashboard/cities/no-such-city/", *dashboards(404)),
    ],
    "dashboard/cities/<city:slug>/tables/<slug:table>.<str:file_format>": [
        get("/dashboard/cities/{city}/tables/timeline.csv", *dashboards(200)),
        # The engaged diplomats by name are for the municipal staff only.
        get(
            "/dashboard/cities/{city}/tables/diplomats.xlsx",
            *guarded(L, L, 403, 403, 403, 403, 200, 404, 403, 200),
        ),
    ],
    # An application is one's own: citizen A's is submitted, so its form is closed to her.
    "apply/": [get("/apply/", L, L, "/me/", 200, "/me/", *(200,) * 8)],
    # A diplomat's home, everyone else's application and profile; the profile one click away.
    "me/": [get("/me/", *signed_in(200))],
    "me/profile/": [
        get("/me/profile/", *signed_in(200)),
        post("/me/profile/", *signed_in(200), first_name="S" * 151),
    ],
    "me/withdraw/": [
        post("/me/withdraw/", L, L, "/me/", 404, "/me/", *(404,) * 8),
    ],
    "me/export/": [get("/me/export/", *signed_in(200))],
    "me/delete/": [
        get("/me/delete/", *signed_in(200)),
        post("/me/delete/", *signed_in(200), password="wrong"),
    ],
    "me/notices/": [
        get("/me/notices/", *signed_in(200)),
        post("/me/notices/", *signed_in(200), digest_hour="not an hour"),
    ],
    # The way out of a topic's e-mails, from a link in one: the signed link is the permission
    # (a mail program's one-click POST carries no session).
    "notices/stop/<str:token>/": [
        get("/notices/stop/{unsubscribe}/", *everyone(200)),
        post("/notices/stop/{unsubscribe}/", *everyone(200)),
        get("/notices/stop/not-a-token/", *everyone(400)),
    ],
    "inbox/": [get("/inbox/", *signed_in(200))],
    "inbox/read/": [post("/inbox/read/", *signed_in("/inbox/"))],
    # An applicant's documents, by their random id: for the applicant and the municipal staff.
    "applications/<uuid:public_id>/documents/<str:document>/": [
        get(
            "/applications/{documents}/documents/cv/",
            *guarded(L, L, 200, 404, 404, 404, 200, 404, 404, 200),
        ),
        get(
            "/applications/{documents}/documents/photo/",
            *guarded(L, L, 200, 404, 404, 404, 200, 404, 404, 200),
        ),
        get("/applications/{documents}/documents/passport/", *guarded(L, L, *(404,) * 8)),
        get(
            "/applications/00000000-0000-4000-8000-000000000000/documents/cv/",
            *guarded(L, L, *(404,) * 8),
        ),
        # The application's number, as documents were addressed before, opens nothing.
        get("/applications/{application}/documents/cv/", *everyone(404)),
    ],
    # The open data API: public, read without the session (a personal token or nothing), so the
    # second factor changes nothing there.
    "api/v1/cities/": [get("/api/v1/cities/", *everyone(200))],
    "api/v1/cities/<slug:slug>/": [
        get("/api/v1/cities/{city}/", *everyone(200)),
        get("/api/v1/cities/no-such-city/", *everyone(404)),
    ],
    "api/v1/initiatives/": [get("/api/v1/initiatives/", *everyone(200))],
    "api/v1/initiatives/<slug:slug>/": [get("/api/v1/initiatives/{initiative}/", *everyone(200))],
    "api/v1/meetings/": [get("/api/v1/meetings/", *everyone(200))],
    "api/v1/meetings/<int:pk>/": [
        get("/api/v1/meetings/{public_meeting}/", *everyone(200)),
        # A board meeting is not public: not even its invitees read it here.
        get("/api/v1/meetings/{meeting}/", *everyone(404)),
    ],
    "api/v1/agreements/": [get("/api/v1/agreements/", *everyone(200))],
    "api/v1/agreements/<int:pk>/": [
        get("/api/v1/agreements/{agreement_pk}/", *everyone(200)),
        # Kept off the city's public page: not published here either, whoever asks.
        get("/api/v1/agreements/{hidden_agreement}/", *everyone(404)),
    ],
    "api/v1/proposals/": [get("/api/v1/proposals/", *everyone(200))],
    "api/v1/proposals/<int:pk>/": [
        get("/api/v1/proposals/{accepted_proposal}/", *everyone(200)),
        # Only the accepted ones are published: one still under consideration is not.
        get("/api/v1/proposals/{proposal}/", *everyone(404)),
    ],
    "api/v1/figures/": [get("/api/v1/figures/", *everyone(200))],
    # The dashboards' figures need an official's or staff's token: a session opens nothing.
    "api/v1/dashboard/cities/": [get("/api/v1/dashboard/cities/", *everyone(401))],
    "api/v1/schema/": [get("/api/v1/schema/", *everyone(200))],
    "api/v1/docs/": [get("/api/v1/docs/", *everyone(200))],
    "^api/": [
        get("/api/v1/no-such-thing/", *everyone(404)),
        post("/api/v1/no-such-thing/", *everyone(405)),
    ],
    # Personal API tokens: for those who read the dashboards, each one's own.
    "me/api-tokens/": [
        get("/me/api-tokens/", *dashboards(200)),
        post("/me/api-tokens/", *dashboards(200), name="Newsroom"),
    ],
    "me/api-tokens/<int:pk>/revoke/": [
        post(
            "/me/api-tokens/{api_token}/revoke/",
            *guarded(L, L, 403, 403, 403, 403, 404, "/me/api-tokens/", 403, 404),
        ),
        get("/me/api-tokens/{api_token}/revoke/", *guarded(*(405,) * 10)),
    ],
    "initiatives/": [get("/initiatives/", *everyone(200))],
    # Coordinators start initiatives (and coordinate what they start); the staff too.
    "initiatives/new/": [
        get("/initiatives/new/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200)),
        # Nothing given: the form answers with what is missing.
        post("/initiatives/new/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200)),
    ],
    "initiatives/<slug:slug>/edit/": [
        get(
            "/initiatives/{initiative}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        # Another coordinator's initiative, opened or written to.
        get(
            "/initiatives/{other_initiative}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        post(
            "/initiatives/{other_initiative}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
            title_en="Taken over",
        ),
        get(
            "/initiatives/no-such-thing/edit/",
            *guarded(L, L, 403, 403, 403, 403, 404, 403, 404, 404),
        ),
    ],
    "initiatives/<slug:slug>/": [
        get("/initiatives/{initiative}/", *guarded(*(200,) * 10)),
        get("/initiatives/no-such-thing/", *guarded(*(404,) * 10)),
    ],
    # As the initiative's page.
    "initiatives/<slug:slug>/follow/": [
        get("/initiatives/{initiative}/follow/", *guarded(*(200,) * 10)),
        post("/initiatives/{initiative}/follow/", *guarded(*(200,) * 10), email="not an address"),
        get("/initiatives/no-such-thing/follow/", *guarded(*(404,) * 10)),
    ],
    "initiatives/<slug:slug>/meetings.ics": [
        get("/initiatives/{initiative}/meetings.ics", *everyone(200)),
        get("/initiatives/no-such-thing/meetings.ics", *everyone(404)),
    ],
    # Anyone signed in may ask (the answer explains who may join) or leave.
    "initiatives/<slug:slug>/join/": [
        post(
            "/initiatives/{initiative}/join/", *guarded(L, L, *("/initiatives/{initiative}/",) * 8)
        ),
    ],
    "initiatives/<slug:slug>/leave/": [
        post(
            "/initiatives/{initiative}/leave/", *guarded(L, L, *("/initiatives/{initiative}/",) * 8)
        ),
    ],
    "initiatives/<slug:slug>/members/": [
        get(
            "/initiatives/{initiative}/members/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        # Another coordinator's initiative.
        get(
            "/initiatives/{other_initiative}/members/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
    ],
    "initiatives/<slug:slug>/members/<int:pk>/<str:decision>/": [
        post(
            "/initiatives/{initiative}/members/{request}/accept/",
            *guarded(L, L, 403, 403, 403, 403, MEMBERS, 403, MEMBERS, MEMBERS),
        ),
        post(
            "/initiatives/{initiative}/members/{request}/promote/",
            *guarded(L, L, 403, 403, 403, 403, 404, 403, 404, 404),
        ),
        post(
            "/initiatives/{other_initiative}/members/{other_request}/accept/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_MEMBERS, 403, 404, OTHER_MEMBERS),
        ),
    ],
    "meetings/new/": [
        get("/meetings/new/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200)),
        get(
            "/meetings/new/?initiative={other_initiative}",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
    ],
    # A meeting is seen by its organisers and its invitees only.
    "meetings/<int:pk>/": [
        get("/meetings/{meeting}/", *guarded(L, L, 404, 404, 200, 404, 200, 404, 200, 200)),
        get("/meetings/{other_meeting}/", *guarded(L, L, 404, 404, 404, 404, 200, 404, 404, 200)),
        # Held directly with a city: the coordinator's own, and another coordinator's.
        get("/meetings/{city_meeting}/", *guarded(L, L, 404, 404, 404, 404, 200, 404, 200, 200)),
        get(
            "/meetings/{other_city_meeting}/",
            *guarded(L, L, 404, 404, 404, 404, 200, 404, 404, 200),
        ),
        get("/meetings/999999/", *guarded(L, L, *(404,) * 8)),
    ],
    "meetings/<int:pk>/edit/": [
        get("/meetings/{meeting}/edit/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200)),
        get(
            "/meetings/{other_meeting}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        get(
            "/meetings/{city_meeting}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/meetings/{other_city_meeting}/edit/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        # Who may never schedule is refused before the meeting is looked up.
        get("/meetings/999999/edit/", *guarded(L, L, 403, 403, 403, 403, 404, 403, 404, 404)),
    ],
    "meetings/<int:pk>/cancel/": [
        post("/meetings/{meeting}/cancel/", *guarded(L, L, 403, 403, 403, 403, MT, 403, MT, MT)),
        post(
            "/meetings/{other_meeting}/cancel/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_MT, 403, 404, OTHER_MT),
        ),
        post(
            "/meetings/{city_meeting}/cancel/",
            *guarded(L, L, 403, 403, 403, 403, CMT, 403, CMT, CMT),
        ),
        post(
            "/meetings/{other_city_meeting}/cancel/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_CMT, 403, 404, OTHER_CMT),
        ),
    ],
    "meetings/<int:pk>/invite/": [
        post(
            "/meetings/{meeting}/invite/",
            *guarded(L, L, 403, 403, 403, 403, MT, 403, MT, MT),
            mode="members",
        ),
        post(
            "/meetings/{other_meeting}/invite/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_MT, 403, 404, OTHER_MT),
            mode="members",
        ),
        post(
            "/meetings/{city_meeting}/invite/",
            *guarded(L, L, 403, 403, 403, 403, CMT, 403, CMT, CMT),
            mode="members",
        ),
        post(
            "/meetings/{other_city_meeting}/invite/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_CMT, 403, 404, OTHER_CMT),
            mode="members",
        ),
    ],
    "meetings/<int:pk>/invitees.csv": [
        get(
            "/meetings/{meeting}/invitees.csv",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/meetings/{other_meeting}/invitees.csv",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        get(
            "/meetings/{city_meeting}/invitees.csv",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/meetings/{other_city_meeting}/invitees.csv",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
    ],
    # Only an invitee answers, for themselves.
    "meetings/<int:pk>/rsvp/": [
        post(
            "/meetings/{meeting}/rsvp/",
            *guarded(L, L, 404, 404, "/meetings/{meeting}/", 404, 404, 404, 404, 404),
            answer="accept",
        ),
    ],
    "desk/": [get("/desk/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200))],
    "desk/initiatives/<slug:slug>/write/": [
        get(
            "/desk/initiatives/{initiative}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/desk/initiatives/{other_initiative}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        post(
            "/desk/initiatives/{initiative}/write/",
            *guarded(L, L, 403, 403, 403, 403, DESK, 403, DESK, DESK),
            action="send",
            **MESSAGE,
        ),
        # A forged send to another coordinator's members.
        post(
            "/desk/initiatives/{other_initiative}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
            action="preview",
            **MESSAGE,
        ),
        # The other initiative has no member yet: the form says nobody would receive it.
        post(
            "/desk/initiatives/{other_initiative}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
            action="send",
            **MESSAGE,
        ),
    ],
    "meetings/<int:pk>/remind/": [
        get("/meetings/{meeting}/remind/", *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200)),
        get(
            "/meetings/{other_meeting}/remind/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        get(
            "/meetings/{city_meeting}/remind/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        # A forged reminder to another coordinator's invitees finds no meeting; with nobody
        # ticked, the form is shown again.
        post(
            "/meetings/{other_city_meeting}/remind/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
            **REMINDER,
        ),
    ],
    "desk/meetings/<int:pk>/write/": [
        get(
            "/desk/meetings/{meeting}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/desk/meetings/{other_meeting}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
        get(
            "/desk/meetings/{city_meeting}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        post(
            "/desk/meetings/{other_city_meeting}/write/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
            action="send",
            **MESSAGE,
        ),
        post(
            "/desk/meetings/{meeting}/write/",
            *guarded(L, L, 403, 403, 403, 403, DESK, 403, DESK, DESK),
            action="send",
            **MESSAGE,
        ),
    ],
    "desk/meetings/<int:pk>/waiting-list/": [
        get(
            "/desk/meetings/{meeting}/waiting-list/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 200, 200),
        ),
        get(
            "/desk/meetings/{other_meeting}/waiting-list/",
            *guarded(L, L, 403, 403, 403, 403, 200, 403, 404, 200),
        ),
    ],
    "desk/meetings/<int:pk>/waiting-list/<int:invitation>/up/": [
        post(
            "/desk/meetings/{meeting}/waiting-list/{invitation}/up/",
            *guarded(L, L, 403, 403, 403, 403, WL, 403, WL, WL),
        ),
        # The invitation named under another meeting is no invitation of it.
        post(
            "/desk/meetings/{other_meeting}/waiting-list/{invitation}/up/",
            *guarded(L, L, 403, 403, 403, 403, 404, 403, 404, 404),
        ),
    ],
    "desk/meetings/<int:pk>/offer-seat/": [
        post(
            "/desk/meetings/{meeting}/offer-seat/",
            *guarded(L, L, 403, 403, 403, 403, WL, 403, WL, WL),
        ),
        post(
            "/desk/meetings/{other_meeting}/offer-seat/",
            *guarded(L, L, 403, 403, 403, 403, OTHER_WL, 403, 404, OTHER_WL),
        ),
        get("/desk/meetings/{meeting}/offer-seat/", *guarded(*(405,) * 10)),
    ],
    # The RSVP link and the calendar feed are their own key: whoever holds them may use them.
    "rsvp/<str:token>/": [
        get("/rsvp/{token}/", *everyone(200)),
        post("/rsvp/{token}/", *everyone("/rsvp/{token}/"), answer="maybe"),
        get("/rsvp/not-a-token/", *everyone(400)),
    ],
    "calendar/<str:token>.ics": [
        get("/calendar/{feed}.ics", *everyone(200)),
        get("/calendar/not-a-feed.ics", *everyone(404)),
    ],
    "me/calendar/": [
        post("/me/calendar/", *guarded(L, L, 403, 403, "/me/", 403, 403, 403, 403, 403)),
        get("/me/calendar/", *guarded(*(405,) * 10)),
    ],
    # Public proposals for everyone; a draft for its author (the diplomat) and those who read
    # all (staff, officials, coordinators); only diplomats write, and only their own.
    "proposals/": [get("/proposals/", *everyone(200))],
    "proposals/mine/": [get("/proposals/mine/", *guarded(L, L, *(200,) * 8))],
    "proposals/new/": [
        get("/proposals/new/", *guarded(L, L, 403, 403, 200, 403, 403, 403, 403, 403)),
    ],
    "proposals/<int:pk>/": [
        get("/proposals/{proposal}/", *guarded(*(200,) * 10)),
        get("/proposals/{draft}/", *guarded(*(404,) * 4, *(200,) * 6)),
        get("/proposals/999999/", *guarded(*(404,) * 10)),
    ],
    "proposals/<int:pk>/edit/": [
        get("/proposals/{draft}/edit/", *guarded(L, L, 403, 403, 200, *(403,) * 5)),
        get("/proposals/{proposal}/edit/", *guarded(L, L, 403, 403, 404, *(403,) * 5)),
    ],
    "proposals/<int:pk>/submit/": [
        post("/proposals/{draft}/submit/", *guarded(L, L, 404, 404, DRAFT, *(404,) * 5)),
        post("/proposals/{proposal}/submit/", *guarded(L, L, *(404,) * 8)),
    ],
    "proposals/<int:pk>/withdraw/": [
        post("/proposals/{draft}/withdraw/", *guarded(L, L, 404, 404, DRAFT, *(404,) * 5)),
        post("/proposals/{proposal}/withdraw/", *guarded(L, L, *(404,) * 8)),
    ],
    # Anyone signed in may try (the answer explains who may support); never a draft.
    "proposals/<int:pk>/support/": [
        post("/proposals/{proposal}/support/", *guarded(L, L, *(PROPOSAL,) * 8)),
        post("/proposals/{draft}/support/", *guarded(L, L, *(404,) * 8)),
    ],
    "proposals/<int:pk>/support/withdraw/": [
        post("/proposals/{proposal}/support/withdraw/", *guarded(L, L, *(PROPOSAL,) * 8)),
        post("/proposals/{draft}/support/withdraw/", *guarded(L, L, *(404,) * 8)),
    ],
    # A proposal's attachment: for its author and those who review proposals.
    "proposals/<uuid:public_id>/attachment/": [
        get(
            "/proposals/{attachment}/attachment/",
            *guarded(L, L, 404, 404, 200, 404, 200, 404, 200, 200),
        ),
        get(
            "/proposals/00000000-0000-4000-8000-000000000000/attachment/",
            *guarded(L, L, *(404,) * 8),
        ),
    ],
}

# allauth asks for the password again before two-factor settings change (a session opened
# without signing in, as here, has not given it).
REAUTH = "/accounts/reauthenticate/"
# Pages of a sign-in in progress, where there is none: back to sign in, or home if signed in.
SIGN_IN_FIRST = ("/accounts/login/", "/accounts/login/", *(HOME,) * 11)

ACCOUNTS = {
    "accounts/login/": [get("/accounts/login/", 200, 200, *(HOME,) * 11)],
    "accounts/logout/": [get("/accounts/logout/", HOME, HOME, *(200,) * 11)],
    "accounts/inactive/": [get("/accounts/inactive/", *everyone(200))],
    "accounts/signup/": [get("/accounts/signup/", 200, 200, *(HOME,) * 11)],
    "accounts/reauthenticate/": [get("/accounts/reauthenticate/", *signed_in(200))],
    "accounts/reauthenticate/code/": [get("/accounts/reauthenticate/code/", *signed_in(200))],
    "accounts/reauthenticate/code/confirm/": [
        get(
            "/accounts/reauthenticate/code/confirm/",
            *signed_in("/accounts/reauthenticate/code/"),
        )
    ],
    "accounts/email/": [get("/accounts/email/", *signed_in(200))],
    "accounts/confirm-email/": [get("/accounts/confirm-email/", *everyone(200))],
    "accounts/password/change/": [get("/accounts/password/change/", *signed_in(200))],
    "accounts/password/set/": [
        get("/accounts/password/set/", *signed_in("/accounts/password/change/"))
    ],
    "accounts/password/reset/": [get("/accounts/password/reset/", *everyone(200))],
    "accounts/login/code/confirm/": [get("/accounts/login/code/confirm/", *SIGN_IN_FIRST)],
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": [
        get("/accounts/confirm-email/{confirmation_key}/", *everyone(200)),
        get("/accounts/confirm-email/not-a-key/", *everyone(200)),
    ],
    "accounts/password/reset/key/done/": [
        get("/accounts/password/reset/key/done/", *everyone(200))
    ],
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": [
        # A good link is put in the session and swapped for one without the key.
        get(
            "/accounts/password/reset/key/{reset_key}/",
            *everyone("/accounts/password/reset/key/{reset_uid}-set-password/"),
        ),
        get("/accounts/password/reset/key/1-not-a-key/", *everyone(200)),
    ],
    "accounts/password/reset/done/": [get("/accounts/password/reset/done/", *everyone(200))],
    "accounts/2fa/": [get("/accounts/2fa/", *signed_in(200))],
    "accounts/2fa/authenticate/": [get("/accounts/2fa/authenticate/", *SIGN_IN_FIRST)],
    "accounts/2fa/reauthenticate/": [
        get(
            "/accounts/2fa/reauthenticate/",
            *(L, L, *(REAUTH,) * 3, *(200,) * 5, *(REAUTH,) * 3),
        )
    ],
    "accounts/2fa/totp/activate/": [get("/accounts/2fa/totp/activate/", *signed_in(REAUTH))],
    "accounts/2fa/totp/deactivate/": [
        get(
            "/accounts/2fa/totp/deactivate/",
            *(L, L, 404, 404, 404, *(REAUTH,) * 5, 404, 404, 404),
        )
    ],
    "accounts/2fa/recovery-codes/": [get("/accounts/2fa/recovery-codes/", *signed_in(404))],
    "accounts/2fa/recovery-codes/generate/": [
        get("/accounts/2fa/recovery-codes/generate/", *signed_in(REAUTH))
    ],
    "accounts/2fa/recovery-codes/download/": [
        get("/accounts/2fa/recovery-codes/download/", *signed_in(404))
    ],
}

ADMIN_SITE = {
    "admin/": [admin("/admin/", 200, 200, 200, 200)],
    "admin/login/": [admin("/admin/login/", *(ADMIN,) * 4)],
    # Logging out takes a POST; the admin sends those it does not know home.
    "admin/logout/": [get("/admin/logout/", *guarded(*(ADMIN,) * 5, 405, 405, ADMIN, 405, 405))],
    "admin/password_change/": [admin("/admin/password_change/", *(200,) * 4)],
    "admin/password_change/done/": [admin("/admin/password_change/done/", *(200,) * 4)],
    "admin/autocomplete/": [admin("/admin/autocomplete/", *(403,) * 4)],
    "admin/jsi18n/": [admin("/admin/jsi18n/", *(200,) * 4)],
    # "View on site" sends staff to the portal's page of the object, which guards itself.
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        admin("/admin/r/{city_type}/{city_pk}/", *("/cities/{city}/",) * 4)
    ],
    "admin/^(?P<app_label>auth|account|mfa|citizens|sistercities|initiatives|proposals)/$": [
        admin("/admin/citizens/", 404, 200, 404, 200),
        admin("/admin/initiatives/", 404, 200, 200, 200),
        admin("/admin/proposals/", 404, 200, 200, 200),
        admin("/admin/auth/", 404, 404, 404, 200),
    ],
    "admin/(?P<url>.*)$": [admin("/admin/no/such/page/", *(404,) * 4)],
    "admin/citizens/diplomatapplication/<int:pk>/decide/<str:decision>/": [
        admin("/admin/citizens/diplomatapplication/{application}/decide/approve/", *VIEW),
    ],
    "admin/citizens/user/<id>/password/": [
        admin("/admin/citizens/user/{citizen_a}/password/", *ONLY_SUPERUSER)
    ],
    **admin_model(
        "auth/group",
        "group",
        changelist=ONLY_SUPERUSER,
        add=ONLY_SUPERUSER,
        change=ONLY_SUPERUSER,
        delete=ONLY_SUPERUSER,
        history=ONLY_SUPERUSER,
    ),
    **admin_model(
        "account/emailaddress",
        "email_address",
        changelist=ONLY_SUPERUSER,
        add=ONLY_SUPERUSER,
        change=ONLY_SUPERUSER,
        delete=ONLY_SUPERUSER,
        history=ONLY_SUPERUSER,
    ),
    **admin_model(
        "mfa/authenticator",
        "authenticator",
        changelist=ONLY_SUPERUSER,
        add=ONLY_SUPERUSER,
        change=ONLY_SUPERUSER,
        delete=ONLY_SUPERUSER,
        history=ONLY_SUPERUSER,
    ),
    **admin_model(
        "citizens/diplomatapplication",
        "application",
        changelist=VIEW,
        add=NEVER,
        change=VIEW,
        delete=NEVER,
        history=VIEW,
    ),
    **admin_model(
        "citizens/applicationstatuschange",
        "status_change",
        changelist=VIEW,
        add=NEVER,
        change=VIEW,
        delete=NEVER,
        history=VIEW,
    ),
    **admin_model(
        "citizens/user",
        "citizen_a",
        changelist=VIEW,
        add=ONLY_SUPERUSER,
        change=VIEW,
        delete=ONLY_SUPERUSER,
        history=VIEW,
    ),
    **admin_model(
        "citizens/outgoingemail",
        "outgoing_email",
        changelist=VIEW,
        add=NEVER,
        change=VIEW,
        delete=NEVER,
        history=VIEW,
    ),
    **admin_model(
        "citizens/notification",
        "notification",
        changelist=VIEW,
        add=NEVER,
        change=VIEW,
        delete=NEVER,
        history=VIEW,
    ),
    **admin_model(
        "sistercities/sistercity",
        "city_pk",
        changelist=VIEW,
        add=ONLY_SUPERUSER,
        change=VIEW,
        delete=ONLY_SUPERUSER,
        history=VIEW,
    ),
    **admin_model(
        "sistercities/agreement",
        "agreement_pk",
        changelist=VIEW,
        add=VIEW,
        change=VIEW,
        delete=ONLY_SUPERUSER,
        history=VIEW,
    ),
    **admin_model(
        "sistercities/contactlog",
        "contact",
        changelist=VIEW,
        add=VIEW,
        change=VIEW,
        delete=ONLY_SUPERUSER,
        history=VIEW,
    ),
    # Coordinators see their own initiatives, meetings and invitations only. A history page
    # looks its object up before checking permissions (Django's order): staff with no role
    # see none of these objects, so theirs is "no such object".
    **admin_model(
        "initiatives/initiative",
        "initiative_pk",
        changelist=(403, 200, 200, 200),
        add=(403, 403, 200, 200),
        change=(403, 200, 200, 200),
        delete=ONLY_SUPERUSER,
        history=(ADMIN, 200, 200, 200),
    ),
    **admin_model(
        "initiatives/meeting",
        "meeting",
        changelist=(403, 200, 200, 200),
        add=NEVER,
        change=(403, 200, 200, 200),
        delete=NEVER,
        history=(ADMIN, 200, 200, 200),
    ),
    **admin_model(
        "initiatives/invitation",
        "invitation",
        changelist=(403, 200, 200, 200),
        add=NEVER,
        change=(403, 200, 200, 200),
        delete=NEVER,
        history=(ADMIN, 200, 200, 200),
    ),
    # Answers read from the calendar reply mailbox: the coordinator's are to their meeting.
    **admin_model(
        "initiatives/calendarreply",
        "calendar_reply",
        changelist=(403, 200, 200, 200),
        add=NEVER,
        change=(403, 200, 200, 200),
        delete=NEVER,
        history=(ADMIN, 200, 200, 200),
    ),
}

# Someone else's objects in the admin, for the coordinator: the admin does not show them.
# Staff and coordinators review and decide proposals; they are never typed or deleted here.
REVIEW = (403, 200, 200, 200)
ADMIN_SITE.update(
    {
        "admin/proposals/proposal/<int:pk>/decide/<str:decision>/": [
            admin("/admin/proposals/proposal/{proposal}/decide/decline/", *REVIEW),
            admin("/admin/proposals/proposal/{proposal}/decide/promote/", *(403,) * 4),
        ],
        "admin/proposals/proposal/<int:pk>/initiative/": [
            admin("/admin/proposals/proposal/{proposal}/initiative/", *REVIEW),
        ],
        **admin_model(
            "proposals/proposal",
            "proposal",
            changelist=REVIEW,
            add=NEVER,
            change=REVIEW,
            delete=NEVER,
            history=REVIEW,
        ),
        **admin_model(
            "proposals/proposalstatuschange",
            "proposal_change",
            changelist=REVIEW,
            add=NEVER,
            change=REVIEW,
            delete=NEVER,
            history=REVIEW,
        ),
    }
)

ADMIN_SITE["admin/initiatives/initiative/<path:object_id>/change/"].append(
    admin("/admin/initiatives/initiative/{other_initiative_pk}/change/", 403, 200, ADMIN, 200)
)
ADMIN_SITE["admin/initiatives/meeting/<path:object_id>/change/"].append(
    admin("/admin/initiatives/meeting/{other_meeting}/change/", 403, 200, ADMIN, 200)
)

TABLE = {**PORTAL, **ACCOUNTS, **ADMIN_SITE}


def url_patterns(patterns=None, prefix=""):
    """Every pattern of the URL configuration, includes walked, as its full route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_pattern_is_in_the_table():
    routes = list(url_patterns())
    missing = [route for route in routes if route not in TABLE]
    assert not missing, "URL patterns without an entry in the permission table: " + ", ".join(
        missing
    )
    gone = [route for route in TABLE if route not in routes]
    assert not gone, "Entries for URL patterns that no longer exist: " + ", ".join(gone)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One set of people and objects for the whole module, rolled back at its end; each
    request below runs in a savepoint of its own, so what one role does never shows to the
    next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
    city = SisterCityFactory(name_en="Florence", slug="florence")
    application = application_in("submitted", user=UserFactory(email="a@example.org"))
    citizen_a = application.user
    neda = coordinator("neda@example.org")
    users = {
        "unverified": UserFactory(email="unverified@example.org", verified=False),
        "citizen_a": citizen_a,
        "citizen_b": UserFactory(email="b@example.org"),
        "diplomat": application_in("approved", user=diplomat("reza@example.org")).user,
        "staff": UserFactory(email="staff@example.org", is_staff=True),
        "reviewer": reviewer("maryam@example.org"),
        "official": UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]),
        "coordinator": neda,
        "superuser": UserFactory(email="root@example.org", is_staff=True, is_superuser=True),
        "staff_without_2fa": UserFactory(
            email="new-staff@example.org", is_staff=True, roles=[MUNICIPAL_STAFF], totp=False
        ),
        "official_without_2fa": UserFactory(
            email="new-official@example.org", roles=[CITY_OFFICIALS], totp=False
        ),
        "coordinator_without_2fa": coordinator("new-coordinator@example.org", totp=False),
    }
    initiative = InitiativeFactory(slug="crafts", coordinator=neda, cities=[city])
    other_initiative = InitiativeFactory(slug="music", coordinator=coordinator("o@example.org"))
    Membership.objects.create(initiative=initiative, user=users["diplomat"], state="accepted")
    request = Membership.objects.create(initiative=initiative, user=diplomat("ali@example.org"))
    other_request = Membership.objects.create(
        initiative=other_initiative, user=diplomat("sara@example.org")
    )
    meeting = MeetingFactory(initiative=initiative, organiser=neda)
    other_meeting = MeetingFactory(initiative=other_initiative)
    city_meeting = MeetingFactory(initiative=None, city=city, organiser=neda)
    other_city_meeting = MeetingFactory(
        initiative=None, city=city, organiser=other_initiative.coordinator
    )
    invited = invitation(meeting, users["diplomat"])
    agreements = {}
    for published in (False, True):
        agreements[published] = Agreement.objects.create(
            city=city, title_en="Protocol", title_fa="پروتکل", kind="protocol", is_public=True
        )
        agreements[published].document_public = published
        agreements[published].document.save("signed.pdf", ContentFile(pdf_bytes()))
    proposal = proposal_in("submitted", author=diplomat("author@example.org"), cities=[city])
    accepted = proposal_in("accepted", author=diplomat("accepted@example.org"), cities=[city])
    hidden_agreement = Agreement.objects.create(
        city=city, title_en="Draft", title_fa="پیش‌نویس", kind="protocol", is_public=False
    )
    draft = make_proposal(author=users["diplomat"], cities=[city])
    draft.attachment.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    public_meeting = MeetingFactory(initiative=initiative, kind="public_event")
    follow = Follow.objects.create(email="reader@example.net", city=city, language="en")
    api_token, _key = api_tokens.create_token(user=users["official"], name="Newsroom")
    unverified_address = EmailAddress.objects.get(user=users["unverified"])
    # Signing in changes last_login, on which a password reset token depends: sessions first.
    sessions = _sessions(users)
    reset_token = default_token_generator.make_token(citizen_a)
    keys = {
        "city": city.slug,
        "city_pk": city.pk,
        "city_type": ContentType.objects.get_for_model(city).pk,
        "contact": ContactLog.objects.create(city=city, date="2025-01-01", note="Call").pk,
        "agreement_pk": agreements[False].pk,
        "private_agreement": agreements[False].public_id,
        "public_agreement": agreements[True].public_id,
        "application": application.pk,
        "documents": application.public_id,
        "status_change": application.history.first().pk,
        "citizen_a": citizen_a.pk,
        "group": Group.objects.get(name=MUNICIPAL_STAFF).pk,
        "email_address": EmailAddress.objects.get(user=citizen_a).pk,
        "authenticator": Authenticator.objects.get(user=neda).pk,
        "notification": Notification.objects.first().pk,
        "outgoing_email": OutgoingEmail.objects.first().pk,
        "initiative": initiative.slug,
        "initiative_pk": initiative.pk,
        "other_initiative": other_initiative.slug,
        "other_initiative_pk": other_initiative.pk,
        "request": request.pk,
        "other_request": other_request.pk,
        "meeting": meeting.pk,
        "other_meeting": other_meeting.pk,
        "city_meeting": city_meeting.pk,
        "other_city_meeting": other_city_meeting.pk,
        "invitation": invited.pk,
        "calendar_reply": CalendarReply.objects.create(
            message_id="<reply@calendar.example>",
            outcome=CalendarReply.Outcome.APPLIED,
            invitation=invited,
            raw="BEGIN:VCALENDAR",
        ).pk,
        "proposal": proposal.pk,
        "accepted_proposal": accepted.pk,
        "hidden_agreement": hidden_agreement.pk,
        "draft": draft.pk,
        "attachment": draft.public_id,
        "proposal_change": proposal.history.first().pk,
        "public_meeting": public_meeting.pk,
        "api_token": api_token.pk,
        "token": rsvp_token(invited),
        "unsubscribe": notices.unsubscribe_url(citizen_a, "meeting_reminder").rsplit("/", 2)[1],
        "follow_confirm": follows.confirm_url(follow).rsplit("/", 2)[1],
        "follow_stop": follows.stop_url(follow).rsplit("/", 2)[1],
        "feed": feeds.reset_calendar_feed(user=users["diplomat"]).token,
        "confirmation_key": EmailConfirmationHMAC(unverified_address).key,
        "reset_uid": user_pk_to_url_str(citizen_a),
        "reset_key": f"{user_pk_to_url_str(citizen_a)}-{reset_token}",
    }
    # One client for all: each new one sets up the middleware again, WhiteNoise's file scan
    # with it, which would take most of the module's time.
    return keys, sessions, Client(raise_request_exception=False)


def _sessions(users) -> dict[str, str | None]:
    """Each role's session key: signed in with the authenticator's code by those who have one;
    the unverified citizen tries to sign in like anyone would."""
    sessions = {"anonymous": None}
    for role, user in users.items():
        client = Client()
        if role == "unverified":
            client.post(
                "/accounts/login/", {"login": user.email, "password": "correct horse battery"}
            )
            assert "_auth_user_id" not in client.session
        else:
            client.force_login(user)
            if has_totp(user):
                complete_second_factor(client, user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def outcome(client, check: Check, url: str):
    """The status code, or where a redirect leads (L: to sign in, and back here after)."""
    response = getattr(client, check.method)(url, check.data)
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        # The admin sends everyone it refuses to its login page, which allauth guards:
        # signed-in people without staff status are refused there, the others sent to sign in.
        response = client.get(response["Location"])
    if response.status_code not in (301, 302):
        return response.status_code
    location = urlsplit(response["Location"])
    if location.path == reverse("account_login") and parse_qs(location.query).get("next") == [url]:
        return L
    return location.path


CHECKS = [(route, check) for route, checks in TABLE.items() for check in checks]


@pytest.mark.parametrize(
    ("route", "check"), CHECKS, ids=[f"{c.method} {c.url}" for _route, c in CHECKS]
)
def test_each_role_gets_what_the_table_says(db, world, route, check):
    keys, sessions, client = world
    url = check.url.format(**keys)
    wrong = []
    for role, expected in zip(ROLES, check.expected, strict=True):
        client.cookies = SimpleCookie()
        if sessions[role]:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        with transaction.atomic():
            got = outcome(client, check, url)
            transaction.set_rollback(True)
        if isinstance(expected, str) and expected != L:
            expected = expected.format(**keys)
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got}")
    assert not wrong, f"{check.method.upper()} {url}:\n" + "\n".join(wrong)
