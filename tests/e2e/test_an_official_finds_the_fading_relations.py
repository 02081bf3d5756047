import csv
import re

import jdatetime
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from sistercities.models import SisterCity
from sistercities.selectors.health import health_rows

from .helpers import sign_in

CITIES = 16  # the demo's: Isfahan's sister cities


@pytest.fixture
def demo(transactional_db, settings):
    settings.CITY_FADING_AFTER_DAYS = 90
    call_command("load_demo", allow_production=True, verbosity=0)
    return sorted(
        row["name_en"] for row in health_rows(SisterCity.objects.all()) if row["is_fading"]
    )


@pytest.fixture
def requests_made(page):
    seen = {"urls": [], "errors": []}
    page.on("request", lambda request: seen["urls"].append(request.url))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def chart_labels(page, chart_id):
    """The labels Chart.js drew on the chart's category axis, once it has drawn."""
    canvas = page.locator(f"canvas#canvas-{chart_id}")
    expect(canvas).to_be_visible()
    page.wait_for_function(f"() => Chart.getChart(document.querySelector('#canvas-{chart_id}'))")
    return canvas.evaluate(
        "c => { const chart = Chart.getChart(c); const axis = chart.scales.x;"
        " return {labels: axis.getLabels(), reverse: Boolean(axis.options.reverse),"
        " counts: chart.scales.y.ticks.map(tick => tick.label)}; }"
    )


def test_an_official_filters_to_fading_cities_opens_one_and_downloads_the_table(
    live_server, page, demo, requests_made
):
    sign_in(page, live_server, "official@example.org", "isfahan-demo", next_url="/dashboard/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sister cities dashboard")
    expect(page.locator(".city-map .map-city")).to_have_count(CITIES)
    expect(page.locator(".city-map .map-health-fading")).to_have_count(len(demo))
    # Each marker's title names the city and says its health.
    titles = page.locator(".city-map .map-health-fading title").all_text_contents()
    assert sorted(titles) == [f"{name}: Fading" for name in sorted(demo)]
    this_month = timezone.localdate().strftime("%b %Y")
    axis = chart_labels(page, "activity")
    assert axis["reverse"] is False
    assert "1" in axis["counts"]
    assert axis["labels"][-1] == this_month

    page.get_by_label("Fading only").check()
    page.get_by_role("button", name="Show").click()

    health = page.locator(".data-table-cities tbody tr")
    expect(health).to_have_count(len(demo))
    expect(page.locator(".data-table-cities tbody .health-badge", has_text="Fading")).to_have_count(
        len(demo)
    )
    first = sorted(demo)[0]
    with page.expect_download() as download:
        page.locator("#table-cities").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["City", "Status", "Health"]
    assert sorted(row[0] for row in rows[1:]) == demo
    assert {row[2] for row in rows[1:]} == {"Fading"}

    page.locator(".data-table-cities").get_by_role("link", name=first, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(first)
    expect(page.locator(".health-badge").first).to_have_text("Fading")
    expect(page.locator(".city-map .map-city")).to_have_count(1)
    assert len(chart_labels(page, "trend")["labels"]) == 12
    with page.expect_download() as download:
        page.locator("#table-timeline").get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith("-timeline.csv")
    assert all(url.startswith(live_server.url) for url in requests_made["urls"])
    assert requests_made["errors"] == []


def test_in_persian_the_dashboard_is_right_to_left_with_jalali_months(
    live_server, page, demo, requests_made
):
    sign_in(page, live_server, "official@example.org", "isfahan-demo", next_url="/dashboard/")
    page.get_by_role("button", name="فارسی").click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("داشبورد شهرهای خواهرخوانده")
    expect(page.locator(".city-map .map-city")).to_have_count(CITIES)
    titles = page.locator(".city-map .map-health-fading title").all_text_contents()
    assert len(titles) == len(demo)
    assert all(re.fullmatch(r".+: رو به خاموشی", title) for title in titles)
    today = jdatetime.date.fromgregorian(date=timezone.localdate(), locale="fa_IR")
    axis = chart_labels(page, "activity")
    assert axis["reverse"] is True  # time runs right to left
    assert "۱" in axis["counts"]  # Persian digits on the count axis
    assert axis["labels"][-1].startswith(today.j_months_fa[today.month - 1])
    assert all(label.split()[0] in today.j_months_fa for label in axis["labels"])
    expect(page.locator("#table-activity tbody tr").last.locator("th")).to_have_text(
        axis["labels"][-1]
    )

    page.get_by_label("فقط رو به خاموشی").check()
    page.get_by_role("button", name="نمایش").click()

    expect(page.locator(".data-table-cities tbody tr")).to_have_count(len(demo))
    page.locator(".data-table-cities tbody a").first.click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator(".health-badge").first).to_have_text("رو به خاموشی")
    with page.expect_download() as download:
        page.locator("#table-trend").get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "ماه"
    assert rows[-1][0] == axis["labels"][-1]
    assert requests_made["errors"] == []
