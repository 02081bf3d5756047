"""Shared parts of pages (diplomacy_portal/fragments.py): a process keeps the parts it read and
asks Redis only for their stamp, so a part as large as the dashboard's is not moved from Redis
on every request; what the cache says stays the truth."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache

from diplomacy_portal import fragments
from tests.factories import UserFactory

TOPIC = "cities"


@pytest.fixture(autouse=True)
def empty():
    cache.clear()
    fragments._layouts.clear()
    fragments.forget_held()


class Renders:
    """A part's render, counting how often it runs."""

    def __init__(self, html: str):
        self.html, self.count = html, 0

    def __call__(self):
        self.count += 1
        return {"part": self.html}


def read(key: str, render) -> str:
    return fragments._kept_or_rendered(key, (TOPIC,), render, timeout=60)["part"]


def test_a_part_held_in_the_process_is_not_fetched_from_the_cache_again(monkeypatch):
    render = Renders("<p>Florence</p>")
    assert read("page", render) == "<p>Florence</p>"
    asked, get = [], cache.get

    def recording_get(key, *args, **kwargs):
        asked.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", recording_get)

    assert read("page", render) == "<p>Florence</p>"

    assert render.count == 1
    assert "page" not in asked and "page:stamp" in asked


def test_a_part_of_no_topics_is_used_without_asking_redis_for_a_second(monkeypatch):
    render = Renders("<p>Dashboard</p>")

    def read_untopical():
        return fragments._kept_or_rendered("dashboard", (), render, timeout=60)["part"]

    read_untopical()
    cache.clear()  # what Redis says now is not asked within the second
    assert read_untopical() == "<p>Dashboard</p>" and render.count == 1

    monkeypatch.setattr(fragments, "TRUSTED_SECONDS", 0)  # the second has passed
    assert read_untopical() == "<p>Dashboard</p>"
    assert render.count == 2  # asked again, and the part was gone


def test_a_part_another_process_kept_since_replaces_the_one_held():
    read("page", Renders("<p>Florence</p>"))
    # Another process rendered the part again (it had expired there) and kept it.
    versions = [fragments.version(TOPIC)]
    cache.set_many({"page": (versions, {"part": "<p>Firenze</p>"}, "new"), "page:stamp": "new"})

    assert read("page", Renders("<p>not rendered</p>")) == "<p>Firenze</p>"


@pytest.mark.django_db  # a change counts again once committed
def test_a_change_to_its_topic_or_an_emptied_cache_renders_the_part_again():
    read("page", Renders("<p>Florence</p>"))
    fragments.changed(TOPIC)
    assert read("page", Renders("<p>Firenze</p>")) == "<p>Firenze</p>"

    cache.clear()

    assert read("page", Renders("<p>Fiorenza</p>")) == "<p>Fiorenza</p>"


def test_the_process_holds_parts_up_to_its_budget_dropping_the_least_recently_read():
    held = fragments._LocalParts(budget=10)
    held.keep("a", "s", [], {"part": "aaaa"})
    held.keep("b", "s", [], {"part": "bbbb"})
    assert held.get("a", "s", []) == {"part": "aaaa"}  # now read more recently than b

    held.keep("c", "s", [], {"part": "cccc"})

    assert held.get("b", "s", []) is None
    assert held.get("a", "s", []) == {"part": "aaaa"}
    assert held.get("c", "s", []) == {"part": "cccc"}
    assert held.size == 8


def test_a_release_is_told_from_the_next_by_its_code_too(tmp_path, monkeypatch):
    """Figures kept in the shape older code gave them are not read by the next release."""
    (tmp_path / "selectors.py").write_text("SHAPE = 1\n")
    monkeypatch.setattr(fragments, "_own_code", lambda: [tmp_path])
    fragments.release.cache_clear()
    try:
        before = fragments.release()
        (tmp_path / "selectors.py").write_text("SHAPE = 2\n")
        fragments.release.cache_clear()
        assert fragments.release() != before
    finally:
        fragments.release.cache_clear()


@pytest.mark.django_db
def test_a_page_holding_a_shared_part_sends_it_as_encoded_once(rf):
    from django.utils import translation

    part = fragments.SharedPart("<p>Naqsh-e Jahan – نقش جهان</p>")
    request = rf.get("/cities/")
    request.user = AnonymousUser()

    with translation.override("fa"):
        first = fragments.render_page(request, "sistercities/city_list.html", {"body": part})
        again = fragments.render_page(request, "sistercities/city_list.html", {"body": part})

    html = first.content.decode()
    assert html.count(part) == 1
    assert "\x00" not in html
    assert html.index("<main") < html.index(part) < html.index("</main>")
    assert 'dir="rtl"' in html  # the page around the part, in Persian
    assert first["Content-Type"] == "text/html; charset=utf-8"
    assert part.encoded is part.encoded  # encoded once, then reused
    assert again.content == first.content.replace(
        _csrf_token(first.content), _csrf_token(again.content)
    )


def _csrf_token(content: bytes) -> bytes:
    import re

    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)


@pytest.mark.django_db
def test_the_layout_is_rendered_once_per_kind_of_reader_each_seeing_their_own(client):
    first, second = UserFactory(email="first@example.org"), UserFactory(email="second@x.org")
    client.force_login(first)
    read_first = client.get("/cities/")
    client.force_login(second)
    read_second = client.get("/cities/")

    assert "base.html" in [template.name for template in read_first.templates]
    assert "base.html" not in [template.name for template in read_second.templates]
    html = read_second.content.decode()
    assert "second@x.org" in html and "first@example.org" not in html
    assert _csrf_token(read_second.content) != _csrf_token(read_first.content)
    assert client.cookies[settings.CSRF_COOKIE_NAME].value  # the token the forms carry is set


@pytest.mark.django_db
def test_a_page_with_messages_shows_them_once_and_the_kept_layout_none(rf):
    def read(message: str = ""):
        request = rf.get("/cities/")
        request.user = AnonymousUser()
        request._messages = CookieStorage(request)
        if message:
            messages.success(request, message)
        return fragments.render_page(request, "sistercities/city_list.html", {"body": part})

    part = fragments.SharedPart("<p>Florence</p>")
    read()  # the layout is kept
    with_message = read("Your application was sent.").content.decode()
    without = read().content.decode()

    assert "Your application was sent." in with_message and "<p>Florence</p>" in with_message
    assert 'class="messages"' not in without


@pytest.mark.django_db
def test_a_layout_that_used_a_nonce_is_not_kept(rf, monkeypatch):
    rendered = fragments.render_to_string

    def rendering_with_a_nonce(template, context, request):
        request._csp_nonce = "n0nce"  # as the CSP middleware sets it when a page asks
        return rendered(template, context, request=request)

    monkeypatch.setattr(fragments, "render_to_string", rendering_with_a_nonce)
    request = rf.get("/initiatives/")
    request.user = AnonymousUser()
    part = fragments.SharedPart("<p>Trade fair</p>")
    fragments.render_page(request, "initiatives/initiative_list.html", {"body": part})

    assert not [key for key in fragments._layouts if key[0] == "initiatives/initiative_list.html"]
