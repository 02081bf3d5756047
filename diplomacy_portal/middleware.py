import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import DisallowedRedirect
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


class NullCharacterQueryMiddleware:
    """Drop query parameters that carry a NUL character: no view or filter (the admin's
    included) can use one, and PostgreSQL refuses it in any text comparison."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tainted = request.method in ("GET", "HEAD") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        )
        if tainted:
            clean = request.GET.copy()
            for key in list(clean):
                values = [value for value in clean.getlist(key) if "\x00" not in value]
                if "\x00" in key or not values:
                    del clean[key]
                else:
                    clean.setlist(key, values)
            query = clean.urlencode()
            try:
                response = redirect(request.path + ("?" + query if query else ""))
            except DisallowedRedirect as exc:  # longer than Django redirects to
                return bad_request(request, exc)
            messages.warning(request, _("Part of the address was not valid and was ignored."))
            return response
        return self.get_response(request)
