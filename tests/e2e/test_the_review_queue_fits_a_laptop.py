"""Municipal staff open the review queue on a 1280 px laptop: the waiting applications, each
with its photo and its age, and every column on the screen without scrolling sideways."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citizens.models import DiplomatApplication, User
from diplomacy_portal.vocabulary import CooperationField
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory, application_in, reviewer


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_waiting_applications_with_photo_and_age_fit_1280_pixels(
    live_server, browser, language
):
    reviewer("maryam@example.org")
    User.objects.filter(email="maryam@example.org").update(preferred_language=language)
    for i in range(3):
        application = application_in(
            "submitted",
            full_name_latin=f"Applicant with a rather long name number {i}",
            fields_of_expertise=list(CooperationField.values),
            user=UserFactory(email=f"a.very.long.address.of.applicant.{i}@example-city.org"),
        )
        DiplomatApplication.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - timezone.timedelta(days=3 + i)
        )
    application_in("approved", full_name_latin="Already Decided")
    page = browser.new_page(viewport={"width": 1280, "height": 800})

    sign_in(
        page, live_server, "maryam@example.org", next_url="/admin/citizens/diplomatapplication/"
    )

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)  # the waiting ones only
    expect(rows.first.locator("td.field-waiting")).to_have_text(
        "3 days" if language == "en" else "۳ روز"
    )
    thumbnails = page.locator("#result_list img.queue-thumbnail")
    expect(thumbnails).to_have_count(3)
    thumbnails.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('#result_list img.queue-thumbnail').naturalWidth > 0"
    )
    overflow = page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            return [table.getBoundingClientRect().right, document.documentElement.clientWidth,
                    document.documentElement.scrollWidth];
        }"""
    )
    right, viewport, scroll = overflow
    assert scroll <= viewport and right <= viewport, overflow
