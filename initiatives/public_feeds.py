"""Public calendar feeds: the public meetings of an initiative or of a sister city, for anyone
to subscribe to without an account. Nothing personal is in them (no organizer, no attendee).

A calendar program polls its subscriptions every few minutes, so a feed is kept in the cache
under the versions of what it is drawn from, and a poll with the feed's ETag or date is answered
304 without reading the database.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from diplomacy_portal import fragments

from . import ical
from .models import Meeting

# A city's feed changes with its initiatives' cities, and each feed with its meetings and its
# host's name.
TOPICS = ("cities", "initiatives", "meetings")
# How long a calendar program or a proxy may reuse a feed before asking again.
MAX_AGE = 300


def feed_response(
    request, *, key: str, build: Callable[[], tuple[Iterable[Meeting], str, str]]
) -> HttpResponse:
    """The feed kept under `key`, else made from `build()`, which returns the meetings, the
    calendar's name and the public page it links to (or raises Http404, and nothing is kept)."""

    def calendar() -> dict:
        meetings, name, page_url = build()
        body = ical.public_feed_calendar(meetings, name=name, page_url=page_url)
        # When this version was made: a change to any of its topics makes a new one, later.
        return {"body": body, "made_at": int(timezone.now().timestamp())}

    feed = fragments.kept(
        f"public-feed:{key}:{get_language()}",
        calendar,
        timeout=settings.PUBLIC_PAGES_CACHE_SECONDS,
        topics=TOPICS,
    )
    etag = f'"{hashlib.sha256(feed["body"]).hexdigest()[:32]}"'
    response = HttpResponse(feed["body"], content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(feed["made_at"])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(
        request, etag=etag, last_modified=feed["made_at"], response=response
    )
