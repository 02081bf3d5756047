"""Shared parts of pages (diplomacy_portal/fragments.py): a part is built once and read from the
cache until a topic it was drawn from changes, it expires or the cache is emptied."""

import pytest
from django.core.cache import cache

from diplomacy_portal import fragments

TOPIC = "cities"


class Builds:
    """A part's build, counting how often it runs."""

    def __init__(self, html: str):
        self.html, self.count = html, 0

    def __call__(self):
        self.count += 1
        return self.html


def read(build, timeout: int = 60) -> str:
    return fragments.kept("page:en", build, timeout=timeout, topics=(TOPIC,))


def test_a_part_is_built_once_then_read_from_the_cache():
    build = Builds("<p>Florence</p>")

    assert read(build) == "<p>Florence</p>"
    assert read(build) == "<p>Florence</p>"

    assert build.count == 1


@pytest.mark.django_db  # a change counts again once committed
def test_a_change_to_its_topic_or_an_emptied_cache_builds_the_part_again():
    read(Builds("<p>Florence</p>"))
    fragments.changed(TOPIC)
    assert read(Builds("<p>Firenze</p>")) == "<p>Firenze</p>"

    cache.clear()

    assert read(Builds("<p>Fiorenza</p>")) == "<p>Fiorenza</p>"


@pytest.mark.django_db
def test_a_part_of_another_topic_is_not_built_again():
    build = Builds("<p>Dashboard</p>")
    fragments.kept("other:en", build, timeout=60, topics=("initiatives",))

    fragments.changed(TOPIC)
    fragments.kept("other:en", build, timeout=60, topics=("initiatives",))

    assert build.count == 1


def test_a_part_without_a_timeout_is_built_every_time():
    build = Builds("<p>Searched</p>")

    read(build, timeout=0)
    read(build, timeout=0)

    assert build.count == 2


@pytest.mark.django_db
def test_a_topics_version_stands_until_it_changes():
    first = fragments.version(TOPIC)

    assert fragments.version(TOPIC) == first
    assert fragments.versions((TOPIC, "initiatives"))[0] == first
    fragments.changed(TOPIC)
    assert fragments.version(TOPIC) != first


def test_the_release_is_the_checkouts_commit_unless_named(tmp_path):
    import subprocess

    from django.conf import settings

    from diplomacy_portal.release import git_commit

    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True
    ).stdout
    if not head:
        pytest.skip("the tests run outside a git checkout")
    assert git_commit(settings.BASE_DIR) and head.startswith(git_commit(settings.BASE_DIR))
    assert git_commit(tmp_path) == ""  # no checkout: the settings fall back to a constant
