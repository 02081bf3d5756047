"""ETag and Last-Modified for the API's answers, so a client polling every minute costs the
portal a few cache reads (a 304) while nothing changed.

The validators come from what the answer is made of: the topic versions of
diplomacy_portal.fragments (a city, a contact, an agreement, an initiative or a membership
changed), the day (a city's health and an agreement's status depend on it) and, for meetings
and for proposals, one aggregate query each. Last-Modified is when the API first saw that
combination, kept in the cache: nothing is held by a process. The answer itself is kept in
the cache under its ETag for PUBLIC_PAGES_CACHE_SECONDS, as the public pages are: a new
version of its data is a new ETag, so a change shows at once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from rest_framework.response import Response

from diplomacy_portal import fragments

# A day: the validators name the day, so an older entry is never needed.
SEEN_SECONDS = 24 * 3600


def validators(request, made_of: str) -> tuple[str, int]:
    """The ETag and Last-Modified (a timestamp) of the answer to `request`."""
    # Who asks changes nothing in a public answer but its limits; kept apart all the same.
    who = "token" if request.auth is not None else "anonymous"
    # The whole address, host included: the answer's links are absolute.
    address = request.build_absolute_uri()
    parts = [made_of, get_language(), who, address, str(timezone.localdate())]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    # With Redis away each request sees a new time, so only the ETag gives a 304 then.
    seen = cache.get_or_set(
        f"api-seen:{digest}", lambda: int(timezone.now().timestamp()), SEEN_SECONDS
    )
    return f'"{digest}"', seen


# GET answers carry validators and answer 304 while the client's copy is still current. (A
# comment, not a docstring: the schema would show a docstring as every operation's description.)
class ConditionalMixin:
    topics: tuple[str, ...] = ("cities", "initiatives")

    def made_of(self) -> str:
        return ":".join(fragments.versions(self.topics))

    def get(self, request, *args, **kwargs):
        etag, modified = validators(request, self.made_of())
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        if response is None:
            # An error (a bad filter, no such object) is raised inside and kept nowhere.
            data = fragments.kept(
                "api:" + etag.strip('"'),
                lambda: super(ConditionalMixin, self).get(request, *args, **kwargs).data,
                timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
            )
            response = Response(data)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(modified)
            response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        return response
