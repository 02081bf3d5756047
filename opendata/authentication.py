"""Personal API tokens, sent as `Authorization: Bearer <key>`."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import BaseThrottle

from . import selectors, services

REFUSED = _("This API token is unknown, revoked or expired.")


class ApiTokenAuthentication(BaseAuthentication):
    """A request without a token is anonymous; one with a bad token is refused (401), never
    served as anonymous, so its sender learns the token no longer works."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != b"bearer":
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        token = selectors.token_for_key(key)
        if token is None:
            raise AuthenticationFailed(REFUSED)
        # The address as the throttles see it (settings.REST_FRAMEWORK's NUM_PROXIES).
        services.record_use(token=token, address=BaseThrottle().get_ident(request))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
