"""Parts of pages that are the same for every reader, rendered once and kept in the cache.

Only those parts: the page around them (navigation, messages, CSP nonces) stays each reader's
own. A part must not use anything of the reader's but the language, which belongs in its key.
"""

from django.core.cache import cache
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
