"""Django's message storage (a cookie, or the session when the messages do not fit), with the
cookie named like the session's and the CSRF token's when cookies are HTTPS-only (settings)."""

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class HostCookieStorage(CookieStorage):
    # A __Host- cookie is HTTPS-only and bound to this host: no subdomain can set or read it.
    cookie_name = "__Host-messages"


class HostFallbackStorage(FallbackStorage):
    storage_classes = (HostCookieStorage, SessionStorage)
