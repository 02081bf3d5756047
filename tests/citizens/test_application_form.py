import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citizens.models import ApplicationStatusChange, DiplomatApplication, Notification
from tests.factories import (
    ApplicationFactory,
    SisterCityFactory,
    UserFactory,
    image_bytes,
    pdf_bytes,
    reviewer,
)

APPLY = "/apply/"


def _languages(*rows, existing=0):
    data = {
        "languages-TOTAL_FORMS": str(max(len(rows), 1)),
        "languages-INITIAL_FORMS": str(existing),
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "10",
    }
    for index, (code, level) in enumerate(rows):
        data[f"languages-{index}-language"] = code
        data[f"languages-{index}-level"] = level
    return data


def complete_form(city, languages=(("en", "fluent"), ("it", "basic")), **overrides):
    data = {
        "full_name_fa": "سارا احمدی",
        "full_name_latin": "Sara Ahmadi",
        "date_of_birth": "1990-05-01",
        "phone": "0913 123 4567",
        "district": "3",
        "occupation": "Architect",
        "education": "master",
        "fields_of_expertise": ["cultural", "urban"],
        "preferred_cities": [str(city.pk)],
        "motivation": "I restore historic houses and want to work with Florence's craftspeople.",
        "hours_per_month": "12",
        "cv": SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf"),
        "photo": SimpleUploadedFile("me.png", image_bytes(), "image/png"),
        **_languages(*languages),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant(client, db):
    user = UserFactory(email="sara@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def city(db):
    return SisterCityFactory(name_en="Florence", name_fa="فلورانس")


def _errors(response):
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(APPLY)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_citizen_submits_a_complete_application(
    client, applicant, city, django_capture_on_commit_callbacks, mailoutbox
):
    staff_member = reviewer("maryam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, complete_form(city, submit="1"))

    assert response.status_code == 302 and response["Location"] == "/me/"
    application = DiplomatApplication.objects.get(user=applicant)
    assert application.status == "submitted"
    assert application.phone == "09131234567"
    assert list(application.preferred_cities.all()) == [city]
    assert sorted(application.languages.values_list("language", flat=True)) == ["en", "it"]
    assert application.cv.read().startswith(b"%PDF-")
    notice = Notification.objects.get(recipient=staff_member)
    assert notice.kind == "application_submitted"
    (to_staff,) = [m for m in mailoutbox if m.to == ["maryam@example.org"]]
    assert "Sara Ahmadi" in to_staff.subject


def test_submitting_gives_the_applicant_a_receipt_in_the_inbox_and_by_email(
    client, applicant, city, django_capture_on_commit_callbacks, mailoutbox
):
    reviewer("maryam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, complete_form(city, submit="1"))

    inbox = client.get("/inbox/").content.decode()
    assert "We have received your application" in inbox
    (receipt,) = [m for m in mailoutbox if m.to == [applicant.email]]
    assert receipt.subject == "We have received your application"
    assert "has reached the municipal staff" in receipt.body
    assert Notification.objects.filter(recipient=applicant).count() == 1


def test_a_draft_can_be_saved_half_done_and_finished_later(client, applicant, city):
    client.post(APPLY, {"full_name_latin": "Sara Ahmadi", "save": "1", **_languages()})

    draft = DiplomatApplication.objects.get(user=applicant)
    assert draft.status == "draft"
    assert draft.full_name_latin == "Sara Ahmadi"
    assert 'value="Sara Ahmadi"' in client.get(APPLY).content.decode()

    client.post(APPLY, complete_form(city, submit="1"))

    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_submitting_says_precisely_what_is_missing_and_saves_nothing(client, applicant, city):
    data = complete_form(city, submit="1", phone="", cv=None, motivation="Short.", languages=())

    response = client.post(APPLY, data)

    assert response.status_code == 200
    errors = _errors(response)
    assert errors["phone"] == ["This field is required."]
    assert errors["cv"] == ["This field is required."]
    assert "at least 50 characters" in errors["motivation"][0]
    assert "Add at least one language you speak." in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    assert not DiplomatApplication.objects.exists()


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        (
            "cv",
            SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 an executable", "application/pdf"),
            "The CV must be a PDF document.",
        ),
        (
            "cv",
            SimpleUploadedFile("cv.docx", pdf_bytes(), "application/pdf"),
            "The CV must be a PDF document.",
        ),
        (
            "photo",
            SimpleUploadedFile("me.png", b"MZ\x90\x00 an executable", "image/png"),
            "The photo must be a JPEG or PNG image.",
        ),
        (
            "photo",
            SimpleUploadedFile("me.png", image_bytes("GIF"), "image/png"),
            "The photo must be a JPEG or PNG image.",
        ),
        (
            "photo",
            SimpleUploadedFile("me.jpg", image_bytes("PNG"), "image/jpeg"),
            "The photo must be a JPEG or PNG image.",
        ),
    ],
    ids=["exe-as-pdf", "pdf-misnamed", "exe-as-png", "gif-as-png", "png-as-jpg"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    client, applicant, city, field, upload, message
):
    response = client.post(APPLY, complete_form(city, submit="1", **{field: upload}))

    assert _errors(response)[field] == [message]
    assert not DiplomatApplication.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, applicant, city, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("cv.pdf", pdf_bytes() + b"0" * 2048, "application/pdf")

    response = client.post(APPLY, complete_form(city, save="1", cv=big))

    (error,) = _errors(response)["cv"]
    assert error.startswith("The file is 2.") and error.endswith("the limit is 1.0\xa0KB.")
    assert not DiplomatApplication.objects.exists()


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2090-01-01", "The date of birth cannot be in the future."),
        ("2015-01-01", "Citizen diplomats must be at least 18 years old."),
        ("1990-02-31", "Enter a date as year-month-day"),
    ],
)
def test_impossible_or_underage_birth_dates_are_refused(client, applicant, city, born, message):
    response = client.post(APPLY, complete_form(city, submit="1", date_of_birth=born))

    assert _errors(response)["date_of_birth"][0].startswith(message)
    assert not DiplomatApplication.objects.exists()


def test_a_solar_hijri_birth_date_is_understood(client, applicant, city):
    client.post(APPLY, complete_form(city, save="1", date_of_birth="۱۳۷۰/۰۵/۱۲"))

    assert str(DiplomatApplication.objects.get().date_of_birth) == "1991-08-03"


def test_an_over_long_motivation_is_refused(client, applicant, city):
    response = client.post(APPLY, complete_form(city, submit="1", motivation="x" * 5001))

    assert "at most 5000 characters" in _errors(response)["motivation"][0]
    assert not DiplomatApplication.objects.exists()


def test_script_tags_are_kept_as_text_and_shown_escaped(client, applicant, city):
    attack = "<script>alert('x')</script> I love Florence and its people, truly and deeply."
    client.post(APPLY, complete_form(city, submit="1", motivation=attack, occupation=attack[:40]))
    application = DiplomatApplication.objects.get()
    assert application.motivation == attack

    client.force_login(reviewer("maryam@example.org"))
    page = client.get(reverse("admin:citizens_diplomatapplication_change", args=[application.pk]))

    html = page.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_a_second_application_is_never_created(client, applicant, city):
    client.post(APPLY, complete_form(city, submit="1"))

    response = client.post(APPLY, complete_form(city, submit="1", occupation="Other"))

    assert DiplomatApplication.objects.filter(user=applicant).count() == 1
    assert DiplomatApplication.objects.get(user=applicant).occupation == "Architect"
    assert response["Location"] == "/me/"


def test_a_double_click_on_submit_submits_once(client, applicant, city):
    first = client.post(APPLY, complete_form(city, submit="1"))
    second = client.post(APPLY, complete_form(city, submit="1"))

    assert first["Location"] == second["Location"] == "/me/"
    assert ApplicationStatusChange.objects.filter(to_status="submitted").count() == 1
    assert [str(m) for m in second.wsgi_request._messages][-1] == "Your application is submitted."


def test_a_language_listed_twice_is_refused_not_a_crash(client, applicant, city):
    ApplicationFactory(user=applicant)  # already speaks English and Italian

    # A stale form from another tab adds English again without knowing it is saved.
    response = client.post(APPLY, complete_form(city, save="1", languages=[("en", "native")]))

    assert response.status_code == 200
    assert "List each language only once." in response.content.decode()


def test_a_forged_post_cannot_touch_someone_elses_application(client, applicant, city):
    other = ApplicationFactory(user=UserFactory(email="other@example.org"))

    client.post(
        APPLY,
        complete_form(
            city, save="1", occupation="Forger", id=str(other.pk), user=str(other.user.pk)
        ),
    )
    client.post("/me/withdraw/", {"application": str(other.pk)})

    other.refresh_from_db()
    assert (other.occupation, other.status) == ("Architect", "draft")
    assert DiplomatApplication.objects.get(user=applicant).occupation == "Forger"


def test_stored_documents_are_linked_through_the_portal_never_their_storage(client, db):
    application = ApplicationFactory(user__email="applicant@example.org")
    client.force_login(application.user)

    html = client.get(APPLY).content.decode()

    assert reverse("citizens:application-document", args=[application.public_id, "cv"]) in html
    assert "/media/" not in html


def test_the_error_summary_links_a_group_of_boxes_through_its_first_box(client, applicant, city):
    data = complete_form(city, submit="1", fields_of_expertise=None)

    response = client.post(APPLY, data)

    assert '<a href="#id_fields_of_expertise_0" class="alert-link">' in response.content.decode()


def _field(html: str, name: str) -> str:
    (field,) = re.findall(rf'<(?:input|select|textarea)[^>]* name="{name}"[^>]*>', html)
    return field


def test_a_required_field_left_empty_shows_its_message_beside_it(client, applicant, city):
    response = client.post(APPLY, complete_form(city, submit="1", phone=""))

    html = response.content.decode()
    phone = _field(html, "phone")
    assert 'aria-invalid="true"' in phone and "is-invalid" in phone
    (described_by,) = re.findall(r'aria-describedby="([^"]+)"', phone)
    assert "id_phone_error" in described_by.split()
    assert re.search(
        r'<div id="id_phone_error" class="invalid-feedback">\s*<[^>]+><strong>'
        r"This field is required.</strong>",
        html,
    )
    assert '<a href="#id_phone" class="alert-link">Phone</a>' in html
    assert not DiplomatApplication.objects.exists()


def test_a_field_with_help_shows_it_and_points_to_it(client, applicant, city):
    html = client.get(APPLY).content.decode()

    assert 'aria-describedby="id_full_name_latin_helptext"' in _field(html, "full_name_latin")
    assert re.search(
        r'<div id="id_full_name_latin_helptext" class="form-text">As in your passport', html
    )


def test_under_persian_the_form_reads_right_to_left_with_persian_labels_and_dates(client, db):
    application = ApplicationFactory(user__email="sara@example.org", user__preferred_language="fa")
    client.force_login(application.user)

    html = client.get(APPLY).content.decode()

    assert 'lang="fa" dir="rtl"' in html
    for label in ("نام و نام خانوادگی به فارسی", "تاریخ تولد", "تلفن"):
        assert label in html
    born = _field(html, "date_of_birth")  # 1990-05-01
    assert 'value="۱۳۶۹/۰۲/۱۱"' in born and 'dir="ltr"' in born


def test_under_persian_a_missing_field_is_explained_in_persian(client, city):
    client.force_login(UserFactory(email="sara@example.org", preferred_language="fa"))

    response = client.post(APPLY, complete_form(city, submit="1", phone=""))

    assert re.search(
        r'<div id="id_phone_error" class="invalid-feedback">\s*<[^>]+><strong>'
        r"این فیلد لازم است.</strong>",
        response.content.decode(),
    )
    assert not DiplomatApplication.objects.exists()
