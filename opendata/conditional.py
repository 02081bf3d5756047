"""ETag and Last-Modified for the API's answers, so a client polling every minute costs the
portal a few cache reads (a 304) while nothing changed.

The validators come from what the answer is made of: the topic versions of
diplomacy_portal.fragments (a city, a contact, an initiative or a membership changed), the day
(a city's health depends on it) and, for meetings, one aggregate query. Last-Modified is when
the API first saw that combination, kept in the cache: nothing is held by a process.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from diplomacy_portal import fragments

# A day: the validators name the day, so an older entry is never needed.
SEEN_SECONDS = 24 * 3600


def validators(request, made_of: str) -> tuple[str, int]:
    """The ETag and Last-Modified (a timestamp) of the answer to `request`."""
    who = "token" if request.auth is not None else "anonymous"
    parts = [made_of, get_language(), who, request.get_full_path(), str(timezone.localdate())]
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
            response = super().get(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(modified)
            response["Cache-Control"] = "no-cache"
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        return response
