import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from citizens import session_cache
from citizens.auth import has_totp
from citizens.roles import is_privileged

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class ReadersForgottenAfterChangesMiddleware:
    """A request that may have changed data (any but GET, HEAD, OPTIONS, TRACE) leaves this
    process holding no session or reader (citizens/session_cache.py): the person's next page,
    when this process serves it, shows their change without waiting for PostgreSQL's notification.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and settings.SESSION_READER_CACHE:
            session_cache.cache.forget_everything()
        return response


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


class PrivilegedMFAMiddleware:
    """Staff, officials and coordinators use the admin and the dashboards only once they have
    two-factor authentication (an authenticator app) set up; allauth has no switch for this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith(settings.MFA_REQUIRED_PATHS)
            and user is not None
            and user.is_authenticated
            and is_privileged(user)
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication first: the administration and the "
                    "dashboards need it."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


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
            return bad_request(request, SuspiciousOperation("NUL character in the request"))
        return self.get_response(request)


def _keys_and_values(data) -> list[str]:
    return [text for key, values in data.lists() for text in (key, *values)]
