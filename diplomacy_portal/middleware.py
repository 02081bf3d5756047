import time
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from citizens.auth import has_totp
from citizens.roles import is_privileged


class UserLanguageMiddleware:
    """Use the signed-in user's chosen language, whatever browser they sign in from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class PrivilegedSessionTimeoutMiddleware:
    """Staff, officials and coordinators are signed out after a while without a request."""

    # Pushing the expiry back writes the session; once a minute is precise enough.
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_privileged(user):
            now = int(time.time())
            if now - request.session.get("idle_touched_at", 0) >= self.TOUCH_EVERY_SECONDS:
                request.session["idle_touched_at"] = now
                request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
        return self.get_response(request)


# What a role holder may open before signing in with the second factor: what anyone may see,
# their own account, and allauth's pages (signing in and out, setting up the authenticator,
# named "account_..." and "mfa_..."). Every other page, a new one included, asks for it first.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "home",
        "healthz",
        "livez",
        "favicon",
        "set_language",
        "sistercities:city-list",
        "sistercities:city-detail",
        "sistercities:city-follow",
        "initiatives:follow-confirm",
        "initiatives:follow-stop",
        "sistercities:city-meetings-feed",
        "initiatives:initiative-list",
        "initiatives:initiative-meetings-feed",
        "proposals:proposal-list",
        "initiatives:rsvp",
        "initiatives:calendar-feed",
        "citizens:application-form",
        "me",
        "citizens:profile",
        "citizens:notices",
        "citizens:notices-unsubscribe",
        "citizens:application-withdraw",
        "citizens:data-export",
        "citizens:account-delete",
        "citizens:inbox",
        "citizens:inbox-read",
    }
)
ALLAUTH_URL_NAMES = ("account_", "mfa_")
# The open data API reads no session (a personal token or nothing), so a session's second
# factor changes nothing there; its documentation page is public.
API_URL_NAMES = ("opendata:api-",)
# Where a role holder sent to set up an authenticator was going.
GOING_TO = "two_factor_going_to"


def signed_in_with_second_factor(request) -> bool:
    """Whether this session's sign-in included an authenticator's code, as allauth records it."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def needs_second_factor(request) -> bool:
    user = request.user
    if not (user.is_authenticated and is_privileged(user)):
        return False
    name = request.resolver_match.view_name
    if name in OPEN_BEFORE_SECOND_FACTOR or name.startswith(ALLAUTH_URL_NAMES + API_URL_NAMES):
        return False
    return not signed_in_with_second_factor(request)


def _with_next(url_name: str, going_to: str | None) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': going_to})}" if going_to else url


class PrivilegedMFAMiddleware:
    """Staff, officials and coordinators see other people's data and act for the city only in
    a session signed in with the second factor; allauth has no switch for this. One without
    an authenticator is sent to set one up, then back to where they were going."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.view_name == "mfa_activate_totp"
            and request.method == "POST"
            and response.status_code == 302
            and response["Location"] in (reverse("mfa_view_recovery_codes"), reverse("mfa_index"))
            and GOING_TO in request.session
        ):
            # Set up: one code confirms this sign-in, then on to the page they asked for.
            going_to = request.session.pop(GOING_TO)
            messages.info(
                request,
                _(
                    "Enter your authenticator's code once more to continue. Your recovery "
                    "codes are on the two-factor authentication page: keep them safe."
                ),
            )
            return redirect(_with_next("mfa_reauthenticate", going_to))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not needs_second_factor(request):
            return None
        # A form's target cannot be opened again by a link: after a POST, they start afresh.
        going_to = request.get_full_path() if request.method in ("GET", "HEAD") else None
        if has_totp(request.user):
            messages.warning(
                request,
                _(
                    "Enter your authenticator's code first: other people's data and the "
                    "programme's tools need a sign-in with two-factor authentication."
                ),
            )
            return redirect(_with_next("mfa_reauthenticate", going_to))
        messages.warning(
            request,
            _(
                "Set up two-factor authentication first: other people's data and the "
                "programme's tools need it."
            ),
        )
        if going_to:
            request.session[GOING_TO] = going_to
        return redirect(_with_next("mfa_activate_totp", going_to))


class NullCharacterMiddleware:
    """A NUL character in the address, its query or a form answers 400 with the portal's page:
    no view or filter (the admin's included) can use one, and PostgreSQL refuses it in any text
    (a calendar feed's token, a search)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = [request.path_info, *_keys_and_values(request.GET)]
        if request.method == "POST":
            sent += _keys_and_values(request.POST)
        if any("\x00" in text for text in sent):
            if request.path_info.startswith("/api/"):
                # The API's readers are programs: they get JSON, as for any other bad request.
                detail = _("The request contains a NUL character, which nothing here accepts.")
                return JsonResponse({"detail": detail}, status=400)
            return bad_request(request, SuspiciousOperation("NUL character in the request"))
        return self.get_response(request)


def _keys_and_values(data) -> list[str]:
    return [text for key, values in data.lists() for text in (key, *values)]
