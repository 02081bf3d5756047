"""Parts of pages that are the same for every reader, rendered once and kept in the cache.

Only those parts: the page around them (navigation, messages, CSP nonces) stays each reader's
own. A part must not use anything of the reader's but the language, which belongs in its key.
A part drawn from data that people change names its topics: changed(topic), called when such
data changes, makes every part of that topic be rendered again on its next read.
"""

import functools
import hashlib
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

from diplomacy_portal import navigation

logger = logging.getLogger(__name__)


def shared(
    request, *, key: str, template: str, context, timeout: int, topics: tuple[str, ...] = ()
) -> "SharedPart":
    """`template` rendered with `context()`, kept `timeout` seconds under `key` with the
    versions of `topics` it was drawn from; `context` is called only when the part must be
    rendered. With a timeout of 0, rendered every time.

    A part this process holds already costs one round trip to Redis for a few bytes (its
    stamp and its topics' versions), or none for TRUSTED_SECONDS after one if it has no
    topics; another, a second one for the part itself."""
    return shared_parts(
        request,
        key=key,
        templates={"part": template},
        context=context,
        timeout=timeout,
        topics=topics,
    )["part"]


def shared_parts(
    request,
    *,
    key: str,
    templates: dict[str, str],
    context,
    timeout: int,
    topics: tuple[str, ...] = (),
) -> dict[str, "SharedPart"]:
    """shared() for several parts drawn from one `context()`: {name: part} for `templates`
    ({name: template})."""

    def render() -> dict[str, str]:
        values = context()
        return {
            name: str(render_to_string(template, values, request=request))
            for name, template in templates.items()
        }

    parts = None
    if timeout > 0:
        try:
            parts = _kept_or_rendered(f"parts:{release()}:{key}", topics, render, timeout)
        except RedisError:
            # The page does without the cache while Redis is away.
            logger.warning("Cache unavailable: rendering %s afresh", key, exc_info=True)
    if parts is None:
        parts = _as_parts(render())
    return parts


class SharedPart(SafeString):
    """A rendered part, with its UTF-8 encoding made once (render_page() sends it): encoding
    the dashboard's 130 KB, mostly non-ASCII, cost a tenth of its page."""

    @functools.cached_property
    def encoded(self) -> bytes:
        return self.encode()


def _as_parts(rendered: dict[str, str]) -> dict[str, SharedPart]:
    return {name: SharedPart(html) for name, html in rendered.items()}


_PART_MARK = re.compile("(\x00part:[^\x00]+\x00)")
# At most the pages holding parts × the kinds of reader of navigation.reader(): a few thousand
# layouts of a few KB in all.
_layouts: dict[tuple, str] = {}


def render_page(request, template: str, parts: dict[str, str]) -> HttpResponse:
    """django.shortcuts.render() for a page made of `parts` ({name: part}) in a layout: shared
    parts, and parts of the request's own rendered for it (render_to_string()).

    A shared part goes into the response as the bytes it was encoded to once, rather than
    through the page's text. The layout around the parts is rendered once per process for each
    kind of reader (navigation.reader()) and completed with the request's own values
    (navigation.fill()): rendering it cost a third of the dashboard's request. So the template
    must use nothing of the request's but what makes its kind of reader; what else it shows
    belongs in its parts. A page with messages to show is rendered whole. (A rendered page
    never holds a NUL character, so one marks where a part goes.)"""
    marks = {name: mark_safe(f"\x00part:{name}\x00") for name in parts}
    held = {mark: parts[name] for name, mark in marks.items()}
    if settings.DEBUG or _has_messages(request):
        html = render_to_string(template, marks, request=request)
    else:
        seen_by = navigation.reader(request, request.user, get_token(request))
        key = (template, seen_by.kind, tuple(parts))
        layout = _layouts.get(key)
        if layout is None:
            layout = render_to_string(
                template, {**marks, navigation.UNFILLED: True}, request=request
            )
            if getattr(request, "_csp_nonce", None) is None:  # a nonce is the request's own
                _layouts[key] = layout
        html = navigation.fill(layout, request, seen_by)
    return HttpResponse([_encoded(held.get(chunk, chunk)) for chunk in _PART_MARK.split(html)])


def _encoded(text: str) -> bytes:
    return text.encoded if isinstance(text, SharedPart) else text.encode()


@receiver(setting_changed)
def _forget_layouts(**kwargs):
    # A layout is drawn from settings too (the home city's name, the languages): tests change them.
    _layouts.clear()


def _has_messages(request) -> bool:
    # Counting them reads them, but leaves them to be shown (only iterating marks them shown).
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


# A part of no topics changes only when it expires, or the cache is emptied: the process uses
# the copy it holds without asking Redis for this long after Redis last named it current. The
# round trip cost a sixth of the dashboard's request.
TRUSTED_SECONDS = 1.0


def _kept_or_rendered(part_key: str, topics, render, timeout: int) -> dict[str, SharedPart]:
    if not topics:
        trusted = _local.trusted(part_key)
        if trusted is not None:
            return trusted
    stamp_key = f"{part_key}:stamp"
    found = cache.get_many([stamp_key, *map(_version_key, topics)])
    versions = [found.get(_version_key(topic)) or _new_version(topic) for topic in topics]
    stamp = found.get(stamp_key)
    if stamp is not None:
        local = _local.get(part_key, stamp, versions)
        if local is not None:
            return local
        kept = cache.get(part_key)
        # Anything else under the key (left by another release) is rendered again.
        if (
            isinstance(kept, tuple)
            and len(kept) == 3
            and kept[0] == versions
            and isinstance(kept[1], dict)
        ):
            parts = _as_parts(kept[1])
            _local.keep(part_key, kept[2], versions, parts)
            return parts
    rendered = render()
    parts = _as_parts(rendered)
    stamp = uuid.uuid4().hex
    try:
        cache.set_many({part_key: (versions, rendered, stamp), stamp_key: stamp}, timeout)
    except RedisError:
        logger.warning("Cache unavailable: %s not kept", part_key, exc_info=True)
        return parts
    _local.keep(part_key, stamp, versions, parts)
    return parts


class _LocalParts:
    """The parts this process read last, each with the stamp it is kept under in Redis, the
    versions of its topics and when Redis last named it current. A reader fetches the stamp
    (a few bytes) and uses the part held here while the stamp and versions match, rather than
    moving the part from Redis again: the dashboard's is over 100 KB."""

    def __init__(self, budget: int):
        self.budget, self.size = budget, 0
        self.parts: OrderedDict[str, tuple[str, list, dict[str, str], float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, stamp: str, versions: list) -> dict[str, str] | None:
        with self.lock:
            held = self.parts.get(key)
            if held is None or held[0] != stamp or held[1] != versions:
                return None
            self.parts[key] = (*held[:3], time.monotonic())
            self.parts.move_to_end(key)
            return held[2]

    def trusted(self, key: str) -> dict[str, str] | None:
        """The part held under `key` if Redis named it current under TRUSTED_SECONDS ago."""
        held = self.parts.get(key)  # one read of a dict: no lock needed
        if held is None or time.monotonic() - held[3] >= TRUSTED_SECONDS:
            return None
        return held[2]

    def keep(self, key: str, stamp: str, versions: list, parts: dict[str, str]) -> None:
        with self.lock:
            self._drop(key)
            self.parts[key] = (stamp, versions, parts, time.monotonic())
            self.size += _size(parts)
            while self.size > self.budget:
                self._drop(next(iter(self.parts)))

    def _drop(self, key: str) -> None:
        held = self.parts.pop(key, None)
        if held is not None:
            self.size -= _size(held[2])


def forget_held() -> None:
    """Let go of every part this process holds: the next read of each asks Redis (the tests
    empty the cache between them)."""
    with _local.lock:
        _local.parts.clear()
        _local.size = 0


def _size(parts: dict[str, str]) -> int:
    return sum(map(len, parts.values()))


# About 16 MB of Persian text (two bytes a character), and as much again as the UTF-8 sent: a
# few dozen dashboards' worth.
_local = _LocalParts(budget=8_000_000)


@functools.cache
def release() -> str:
    """Tells one release of the portal from another by its templates, translations, static
    files and code: a part kept by an earlier release (an older template or wording, an old
    static file's hashed name, figures in the shape older code gave them) is never served by
    the next."""
    digest = hashlib.sha256(getattr(staticfiles_storage, "manifest_hash", "").encode())
    sources = [(folder, "*") for folder in engines["django"].template_dirs]
    sources += [(folder, "*") for folder in settings.LOCALE_PATHS]
    sources += [(folder, "*.py") for folder in _own_code()]
    for folder, pattern in sources:
        for path in sorted(Path(folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _own_code() -> list[Path]:
    """The folders of the portal's own Python code: its apps, and this package."""
    return sorted(
        {Path(__file__).parent}
        | {
            Path(config.path)
            for config in apps.get_app_configs()
            if Path(config.path).parent == settings.BASE_DIR
        }
    )


def version(topic: str) -> str:
    """A token that changes whenever `topic` does (see changed())."""
    return cache.get(_version_key(topic)) or _new_version(topic)


def changed(topic: str) -> None:
    """A new version of `topic` now, and again once the change is committed: a reader between
    the two may have kept what it read before the commit under the first new version."""
    _forget_version(topic)
    transaction.on_commit(lambda: _forget_version(topic))


def _forget_version(topic: str) -> None:
    try:
        cache.delete(_version_key(topic))
    except RedisError:
        # The change itself stands; the parts of the topic show it once they expire.
        logger.warning("Cache unavailable: %s kept until it expires", topic, exc_info=True)


def _version_key(topic: str) -> str:
    return f"version:{topic}"


def _new_version(topic: str) -> str:
    # Of two readers starting a version at once, the first one's stands for both.
    cache.add(_version_key(topic), uuid.uuid4().hex, None)
    return cache.get(_version_key(topic))
