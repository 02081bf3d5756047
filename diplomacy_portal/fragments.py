"""Parts of pages that are the same for every reader, rendered once and kept in the cache.

Only those parts: the page around them (navigation, messages, CSP nonces) stays each reader's
own. A part must not use anything of the reader's but the language, which belongs in its key.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


def shared(request, *, key: str, template: str, context, timeout: int) -> SafeString:
    """`template` rendered with `context()`, kept `timeout` seconds under `key`; `context` is
    called only when the part must be rendered. With a timeout of 0, rendered every time."""

    def render() -> str:
        return render_to_string(template, context(), request=request)

    if timeout <= 0:
        return mark_safe(render())
    return mark_safe(cache.get_or_set(f"fragment:{key}", render, timeout))


def version(topic: str) -> str:
    """A token that changes whenever `topic` does (see changed()): parts drawn from it are kept
    under it, so a change shows at once."""
    return cache.get_or_set(f"version:{topic}", lambda: uuid.uuid4().hex, None)


def changed(topic: str) -> None:
    """A new version of `topic` now, and again once the change is committed: a reader between
    the two may have kept what it read before the commit under the first new version."""
    cache.delete(f"version:{topic}")
    transaction.on_commit(lambda: cache.delete(f"version:{topic}"))
