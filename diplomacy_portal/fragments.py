"""Parts of pages that are the same for every reader of a language, kept in the cache (Redis).

A part must use nothing of the reader's but the language, which belongs in its key; the page
around it (navigation, messages, forms' tokens) is rendered for each request. A part drawn from
data that people change names its topics: changed(topic), called when such data changes, gives
the topic a new version, and the versions of its topics are in the key of every part, so its
next read renders it again. The release is in every key of the cache (settings.RELEASE).
"""

import uuid

from django.core.cache import cache
from django.db import transaction


def kept(key: str, build, *, timeout: int, topics: tuple[str, ...] = ()):
    """What `build()` returns, kept `timeout` seconds under `key` and the current versions of
    `topics`; `build` runs only when nothing is kept. With a timeout of 0, built every time."""
    if timeout <= 0:
        return build()
    # With Redis away every read is a miss (settings.CACHES), so the part is built afresh.
    return cache.get_or_set(f"part:{key}:{':'.join(versions(topics))}", build, timeout)


def version(topic: str) -> str:
    """A token that changes whenever `topic` does (see changed())."""
    return cache.get(_version_key(topic)) or _new_version(topic)


def versions(topics: tuple[str, ...]) -> list[str]:
    """version() of each of `topics`, read in one round trip."""
    if not topics:
        return []
    found = cache.get_many([_version_key(topic) for topic in topics])
    return [found.get(_version_key(topic)) or _new_version(topic) for topic in topics]


def changed(topic: str) -> None:
    """A new version of `topic` now, and again once the change is committed: a reader between
    the two may have kept what it read before the commit under the first new version."""
    _forget_version(topic)
    transaction.on_commit(lambda: _forget_version(topic))


def _forget_version(topic: str) -> None:
    # With Redis away the delete is lost: the change itself stands, and the parts of the topic
    # show it once they expire.
    cache.delete(_version_key(topic))


def _version_key(topic: str) -> str:
    return f"version:{topic}"


def _new_version(topic: str) -> str:
    # Of two readers starting a version at once, the first one's stands for both. With Redis
    # away, each reader has a version of its own, and so builds the part afresh.
    new = uuid.uuid4().hex
    cache.add(_version_key(topic), new, None)
    return cache.get(_version_key(topic)) or new
