"""How often the API may be asked: per address without a token, per token with one. The counts
live in Django's cache (Redis), so every web process counts the same requests."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class AddressThrottle(SimpleRateThrottle):
    scope = "address"

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
