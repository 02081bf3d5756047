"""Staff are told, beside an applicant's documents, that no virus scanner has read them."""

import pytest
from django.urls import reverse

from tests.factories import application_in, reviewer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "note"), [("en", "not scanned for viruses"), ("fa", "برای ویروس بررسی نشده")]
)
def test_the_documents_say_they_were_not_scanned_for_viruses(client, language, note):
    staff = reviewer("maryam@example.org")
    staff.preferred_language = language
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    application = application_in("submitted")

    html = client.get(
        reverse("admin:citizens_diplomatapplication_change", args=[application.pk])
    ).content.decode()

    assert note in html
