import pytest
from django.conf import settings
from playwright.sync_api import expect

from sistercities.services import import_sister_cities
from tests.factories import UserFactory

from .pages import Role

# What has the focus, and whether it shows: an opaque ring of 2px or more, the element in sight.
FOCUSED = r"""() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    name: `${element.tagName.toLowerCase()} ${(element.id || element.textContent).trim()}`,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && !/rgba\(.*, 0?\.\d+\)/.test(style.outlineColor),
    inSight: box.width > 1 && box.height > 1 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def tab_through(page, most: int = 200) -> list[dict]:
    """Everything the Tab key stops at, once round."""
    stops = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused["name"] == stops[0]["name"]):
            return stops
        stops.append(focused)
    return stops


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("path", ["/", "/cities/", "/apply/"])
def test_every_stop_of_the_tab_key_shows_a_ring_in_sight(live_server, page, path, language):
    import_sister_cities()
    citizen = UserFactory(email="sara@example.org", preferred_language=language)
    session = Role("citizen", citizen).session_cookie()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + path)

    stops = tab_through(page)

    assert len(stops) > 5
    assert [stop["name"] for stop in stops if not (stop["ring"] and stop["inSight"])] == []


def test_the_skip_link_comes_first_and_takes_the_keyboard_to_the_content(live_server, page):
    import_sister_cities()
    page.goto(live_server.url + "/cities/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main h1 ~ *') !== null")
