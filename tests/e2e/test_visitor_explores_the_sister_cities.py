import pytest
from playwright.sync_api import expect

from sistercities.services import import_sister_cities

# Isfahan's sixteen sister cities, from the bundled list.
CITIES = 16


@pytest.fixture
def requests_made(page):
    """Every URL the page asks for, and every script error it raises."""
    seen = {"urls": [], "errors": []}
    page.on("request", lambda request: seen["urls"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def line_shapes(page):
    return page.locator(".map-link").evaluate_all("lines => lines.map(l => l.getAttribute('d'))")


def test_a_visitor_sees_every_sister_city_on_the_map_and_opens_a_profile(
    live_server, page, requests_made
):
    import_sister_cities()

    page.goto(live_server.url + "/cities/")

    expect(page.locator(".city-map .map-city")).to_have_count(CITIES)
    expect(page.locator(".city-map .map-link")).to_have_count(CITIES)
    assert all(shape.startswith("M") for shape in line_shapes(page))
    expect(page.locator(".map-country").nth(150)).to_be_attached()  # the world's countries
    expect(page.locator(".city-table tbody tr")).to_have_count(CITIES)

    opening_view = line_shapes(page)
    page.get_by_role("button", name="Zoom in").click()
    assert line_shapes(page) != opening_view
    page.get_by_role("button", name="Reset").click()
    assert line_shapes(page) == opening_view

    page.get_by_role("link", name="Florence", exact=True).click()  # the marker on the map

    expect(page).to_have_url(live_server.url + "/cities/florence/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Florence")
    expect(page.locator(".map-city")).to_have_count(1)
    expect(page.locator(".map-link")).to_have_count(1)
    assert all(url.startswith(live_server.url) for url in requests_made["urls"])
    assert requests_made["errors"] == []


def test_a_persian_reader_sees_the_map_named_in_persian_and_a_right_to_left_page(
    live_server, page, requests_made
):
    import_sister_cities()
    page.goto(live_server.url + "/cities/")

    page.get_by_role("button", name="فارسی").click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("شهرهای خواهرخواندهٔ اصفهان")
    expect(page.locator(".city-map .map-city")).to_have_count(CITIES)
    expect(page.locator(".city-map .map-link")).to_have_count(CITIES)
    expect(page.get_by_role("link", name="فلورانس", exact=True)).to_be_attached()
    expect(page.locator(".map-home title")).to_have_text("اصفهان")
    expect(page.locator(".map-label", has_text="شیان")).to_be_visible()

    page.locator(".city-table").get_by_role("link", name="سمرقند").click()

    expect(page).to_have_url(live_server.url + "/cities/samarkand/")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("سمرقند")
    expect(page.get_by_text("خواهرخوانده از سال ۲۰۲۱ میلادی")).to_be_visible()
    expect(page.locator(".map-city")).to_have_count(1)
    assert all(url.startswith(live_server.url) for url in requests_made["urls"])
    assert requests_made["errors"] == []
