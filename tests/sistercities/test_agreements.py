"""A relation's agreements: their status from the dates (or set by hand), kept by staff in the
admin, listed on the city's public page and the dashboards, their documents private unless
published."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS
from sistercities.demo import demo_document
from sistercities.models import Agreement
from sistercities.services import import_agreements, import_sister_cities
from sistercities.validators import validate_agreement_document
from tests.factories import SisterCityFactory, UserFactory, pdf_bytes, reviewer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def florence():
    return SisterCityFactory(slug="florence", name_en="Florence", name_fa="فلورانس")


def agreement(city, title="Crafts memorandum", **fields) -> Agreement:
    fields = {
        "title_fa": "یادداشت تفاهم صنایع دستی",
        "kind": Agreement.Kind.MEMORANDUM,
        "is_public": True,
        **fields,
    }
    return Agreement.objects.create(city=city, title_en=title, **fields)


def with_document(item: Agreement, *, public: bool) -> Agreement:
    item.document.save("signed.pdf", ContentFile(pdf_bytes()))
    item.document_public = public
    item.save(update_fields=["document_public"])
    return item


def state(item: Agreement) -> str:
    return Agreement.objects.with_state().get(pk=item.pk).state


def test_the_dates_give_the_status_unless_staff_set_it(florence, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 90

    assert state(agreement(florence, "Open-ended")) == "in_force"
    assert state(agreement(florence, "Far", valid_until=days(91))) == "in_force"
    assert state(agreement(florence, "Soon", valid_until=days(90))) == "expiring"
    assert state(agreement(florence, "Today", valid_until=days(0))) == "expiring"
    assert state(agreement(florence, "Ended", valid_until=days(-1))) == "expired"
    replaced = agreement(florence, "Replaced", valid_until=days(30), status="superseded")
    assert state(replaced) == "superseded"


def test_an_agreement_cannot_end_before_it_was_signed(florence):
    item = Agreement(city=florence, title_en="T", title_fa="ت", kind="protocol", signed_on=days(0))
    item.valid_until = days(-1)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert "cannot end before it was signed" in str(refused.value)


def test_staff_add_an_agreement_with_its_document_in_the_admin(client, florence):
    client.force_login(reviewer("staff@example.org"))
    form = {
        "city": florence.pk,
        "title_en": "Protocol on crafts",
        "title_fa": "پروتکل صنایع دستی",
        "kind": "protocol",
        "signed_on": "2025-03-01",
        "valid_until": "2027-03-01",
        "signatories": "The two mayors",
        "status": "",
        "document": SimpleUploadedFile("signed.pdf", pdf_bytes(), "application/pdf"),
    }

    response = client.post("/admin/sistercities/agreement/add/", form)

    assert response.status_code == 302
    added = Agreement.objects.get()
    assert added.title_fa == "پروتکل صنایع دستی" and not added.is_public
    assert Path(added.document.name).parent.name == "agreements"
    assert "signed" not in added.document.name  # the server names the file
    page = client.get(f"/admin/sistercities/agreement/{added.pk}/change/").content.decode()
    assert added.get_document_url() in page
    assert added.document.url not in page  # the storage path is never linked


def test_a_document_that_is_no_pdf_is_refused_and_nothing_saved(client, florence):
    client.force_login(reviewer("staff@example.org"))
    form = {
        "city": florence.pk,
        "title_en": "Protocol",
        "title_fa": "پروتکل",
        "kind": "protocol",
        "document": SimpleUploadedFile("signed.pdf", b"<html>not a pdf</html>", "text/html"),
    }

    response = client.post("/admin/sistercities/agreement/add/", form)

    assert response.status_code == 200
    assert "must be a PDF document that can be opened" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_pdf_with_a_script_is_refused_with_a_message_about_the_agreement():
    scripted = pdf_bytes().replace(b"%%EOF", b"<script>alert(1)</script>\n%%EOF")

    with pytest.raises(ValidationError) as refused:
        validate_agreement_document(SimpleUploadedFile("a.pdf", scripted))

    assert "The agreement's document contains scripts" in str(refused.value)


def test_staff_keep_agreements_inline_on_the_city_and_filter_the_list(client, florence):
    agreement(florence, "Ending soon", valid_until=days(10))
    agreement(florence, "Long ago", valid_until=days(-400))
    client.force_login(reviewer("staff@example.org"))

    city_page = client.get(f"/admin/sistercities/sistercity/{florence.pk}/change/")
    expiring = client.get("/admin/sistercities/agreement/?state=expiring").content.decode()

    assert "Ending soon" in city_page.content.decode()
    assert "Ending soon" in expiring and "Long ago" not in expiring


def test_a_private_document_is_for_staff_and_officials_only(client, florence):
    item = with_document(agreement(florence), public=False)
    url = item.get_document_url()

    assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    client.force_login(UserFactory(email="citizen@example.org"))
    assert client.get(url).status_code == 404
    for person in (
        reviewer("staff@example.org"),
        UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]),
    ):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_public_document_is_for_anyone_but_only_of_a_public_agreement(client, florence):
    published = with_document(agreement(florence), public=True)
    unlisted = with_document(agreement(florence, "Unlisted", is_public=False), public=True)

    assert client.get(published.get_document_url()).status_code == 200
    assert client.get(unlisted.get_document_url()).status_code == 302  # sign in first


def test_the_city_page_lists_the_public_agreements_in_both_languages(client, florence):
    with_document(
        agreement(
            florence,
            signed_on=datetime.date(2025, 3, 21),
            valid_until=datetime.date(2026, 3, 20),
        ),
        public=True,
    )
    with_document(agreement(florence, "Protocol kept private", is_public=False), public=False)
    hidden_document = with_document(agreement(florence, "Open-ended pact"), public=False)

    english = client.get("/cities/florence/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    persian = client.get("/cities/florence/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert "Crafts memorandum" in english and "Open-ended pact" in english
    assert "Protocol kept private" not in english
    assert "Memorandum of understanding" in english and "open-ended" in english
    assert "March 21, 2025" in english or "21 March 2025" in english
    assert english.count("Download the document") == 1
    assert hidden_document.get_document_url() not in english
    assert "یادداشت تفاهم صنایع دستی" in persian
    assert "۱ فروردین ۱۴۰۴" in persian and "۲۹ اسفند ۱۴۰۴" in persian


def test_the_dashboards_list_the_agreements_to_renew_and_export_them(client, florence, settings):
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 60
    agreement(florence, "Ending soon", valid_until=days(20))
    agreement(florence, "Ending later", valid_until=days(61))
    client.force_login(UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]))

    overview = client.get("/dashboard/").context["tables"]["agreements"]
    csv = b"".join(client.get("/dashboard/tables/agreements.csv").streaming_content).decode()
    city = client.get("/dashboard/cities/florence/").context["tables"]["agreements"]

    assert overview.title == "Agreements expiring within 60 days"
    assert [(row[0], row[1].text, row[5], row[6]) for row in overview.rows] == [
        ("Ending soon", "Florence", 20, "Expiring")
    ]
    assert "Ending soon" in csv and "Ending later" not in csv
    assert [(row[0], row[-1]) for row in city.rows] == [
        ("Ending later", "In force"),
        ("Ending soon", "Expiring"),
    ]


def test_importing_the_bundled_agreements_twice_changes_nothing_and_keeps_staff_edits():
    import_sister_cities()

    assert import_agreements() == (16, 0)
    kazan = Agreement.objects.get(city__slug="kazan")
    assert kazan.kind == "sister_city" and kazan.is_public and kazan.valid_until is None
    assert "mehrnews" in kazan.source
    Agreement.objects.filter(pk=kazan.pk).update(signatories="The two mayors")

    assert import_agreements() == (0, 0)
    assert Agreement.objects.get(pk=kazan.pk).signatories == "The two mayors"


def test_the_demo_documents_pass_the_portal_s_own_check():
    validate_agreement_document(SimpleUploadedFile("a.pdf", demo_document("Demo: protocol")))


def test_staff_add_an_agreement_from_the_city_s_own_admin_page(client, florence):
    client.force_login(reviewer("staff@example.org"))
    url = f"/admin/sistercities/sistercity/{florence.pk}/change/"
    page = client.get(url).context
    form = {
        name: value
        for name, value in page["adminform"].form.initial.items()
        if value is not None and name != "cooperation_fields"
    }
    for formset in page["inline_admin_formsets"]:
        management = formset.formset.management_form
        form.update(
            {management.add_prefix(key): value for key, value in management.initial.items()}
        )
    form.update(
        {
            "agreements-TOTAL_FORMS": 1,
            "agreements-0-title_en": "Protocol on crafts",
            "agreements-0-title_fa": "پروتکل صنایع دستی",
            "agreements-0-kind": "protocol",
            "agreements-0-valid_until": "2027-03-01",
            "agreements-0-is_public": "on",
            "contacts-TOTAL_FORMS": 0,
        }
    )

    response = client.post(url, form)

    assert response.status_code == 302, response.context["errors"]
    added = florence.agreements.get()
    assert (added.title_en, added.is_public, added.document_public) == (
        "Protocol on crafts",
        True,
        False,
    )
