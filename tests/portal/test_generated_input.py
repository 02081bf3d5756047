"""Generated input thrown at every form and filter: never a server error, and never a write to
a field the form does not offer."""

import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizens.models import DiplomatApplication, Notification, User
from tests.factories import UserFactory, application_in, reviewer

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", 500))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values a browser could send, and some it never would.
TEXT = st.text(max_size=200) | st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999",
        "1370/05/12",
        "²",
        "1370/05/1²",
        "2090-01-01",
        "on",
        "true",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00",
        "🙂" * 50,
        "a" * 6000,
        "fa",
        "en",
    ]
)
VALUE = TEXT | st.lists(TEXT, max_size=3)


def carries_nul(sent) -> bool:
    """Whether any key or value sent (a dict, a list of them, or text) holds a NUL."""
    if isinstance(sent, dict):
        return any(carries_nul(key) or carries_nul(value) for key, value in sent.items())
    if isinstance(sent, list | tuple):
        return any(carries_nul(part) for part in sent)
    return "\x00" in str(sent)


def answered(response, sent, *statuses) -> bool:
    """One of `statuses`; or, when what was sent holds a NUL character, which no view can use,
    the friendly 400 page (diplomacy_portal.middleware.NullCharacterMiddleware)."""
    if response.status_code == 400 and carries_nul(sent):
        return is_the_400_page(response)
    return response.status_code in statuses


def is_the_400_page(response) -> bool:
    """The portal's 400 page, in English or in Persian (a user may have chosen it meanwhile)."""
    html = response.content.decode()
    return "The request could not be understood" in html or "درخواست قابل فهم نبود" in html


def answered_in_full(response, query) -> bool:
    """A page answered (200); or refused with the friendly 400 page for a NUL character or an
    address longer than Django redirects to."""
    if response.status_code == 400 and len(urlencode(query, doseq=True)) > 16_000:
        return "The request could not be understood" in response.content.decode()
    return answered(response, query, 200)


def form_data(fields):
    """Dicts over the form's own field names plus fields it does not offer."""
    names = st.sampled_from(
        [
            *fields,
            "id",
            "user",
            "status",
            "is_staff",
            "is_superuser",
            "email",
            "diplomat_since",
            "anonymised_at",
            "actor",
        ]
    )
    return st.dictionaries(names, VALUE, max_size=len(fields) + 3)


APPLICATION_FIELDS = [
    "full_name_fa",
    "full_name_latin",
    "date_of_birth",
    "phone",
    "district",
    "occupation",
    "education",
    "fields_of_expertise",
    "preferred_cities",
    "motivation",
    "hours_per_month",
    "save",
    "submit",
    "languages-TOTAL_FORMS",
    "languages-INITIAL_FORMS",
    "languages-0-language",
    "languages-0-level",
    "languages-0-id",
    "languages-0-DELETE",
]


@pytest.fixture
def citizen_client(client, db):
    user = UserFactory(email="fuzz@example.org")
    client.force_login(user)
    return client, user


@given(data=form_data(APPLICATION_FIELDS))
@FUZZ
def test_the_application_form(citizen_client, data):
    client, user = citizen_client
    response = client.post("/apply/", data)

    assert answered(response, data, 200, 302)
    user.refresh_from_db()
    assert not user.is_staff and not user.is_diplomat and user.email == "fuzz@example.org"
    for application in DiplomatApplication.objects.all():
        assert application.user_id == user.pk
        assert application.status in ("draft", "submitted")
        assert application.decided_at is None and application.anonymised_at is None


@given(data=form_data(["first_name", "last_name", "preferred_language"]))
@FUZZ
def test_the_profile_form(citizen_client, data):
    client, user = citizen_client
    response = client.post("/me/", data)

    assert answered(response, data, 200, 302)
    user.refresh_from_db()
    assert (user.email, user.is_staff, user.is_superuser) == ("fuzz@example.org", False, False)
    assert user.preferred_language in ("en", "fa")


@given(data=form_data(["password"]))
@FUZZ
def test_the_account_deletion_form(citizen_client, data):
    client, user = citizen_client
    response = client.post("/me/delete/", data)

    assert answered(response, data, 200)
    assert User.objects.filter(pk=user.pk).exists()


@pytest.fixture
def someone_elses_notification(db):
    return Notification.objects.create(
        recipient=UserFactory(email="other@example.org"), kind="application_approved"
    )


@given(data=form_data(["notification", "next"]))
@FUZZ
def test_marking_notifications_read(citizen_client, someone_elses_notification, data):
    client, user = citizen_client
    other = someone_elses_notification
    response = client.post("/inbox/read/", data)

    assert answered(response, data, 302)
    assert not response.get("Location", "").startswith(("http:", "https:", "//"))
    other.refresh_from_db()
    assert other.read_at is None


@given(data=form_data(["language", "next"]))
@FUZZ
def test_the_language_switch(citizen_client, data):
    client, user = citizen_client
    response = client.post("/i18n/setlang/", data)

    assert answered(response, data, 200, 302, 204)
    user.refresh_from_db()
    assert user.preferred_language in ("en", "fa", "")


@given(data=form_data(["email", "password1", "password2"]))
@FUZZ
def test_the_sign_up_form(client, db, data):
    response = client.post("/accounts/signup/", data)

    assert answered(response, data, 200, 302, 429)
    assert not User.objects.filter(is_staff=True).exists()


@given(data=form_data(["login", "password", "remember"]))
@FUZZ
def test_the_sign_in_form(client, db, data):
    response = client.post("/accounts/login/", data)

    assert answered(response, data, 200, 302, 429)


@given(data=form_data(["email"]))
@FUZZ
def test_the_password_reset_form(client, db, data):
    response = client.post("/accounts/password/reset/", data)

    assert answered(response, data, 200, 302, 429)


@pytest.fixture
def staff_client(client, db):
    client.force_login(reviewer("maryam@example.org"))
    return client


@pytest.fixture
def waiting_application(db):
    return application_in("submitted")


@given(data=form_data(["note", "internal_note"]))
@FUZZ
def test_the_decision_form(staff_client, waiting_application, data):
    application = waiting_application
    DiplomatApplication.objects.filter(pk=application.pk).update(status="submitted")
    response = staff_client.post(
        f"/admin/citizens/diplomatapplication/{application.pk}/decide/request_changes/", data
    )

    assert answered(response, data, 200, 302)
    application.refresh_from_db()
    assert application.status in ("submitted", "needs_changes")


QUEUE_FILTERS = [
    "status__exact",
    "field",
    "language",
    "preferred_cities__id__exact",
    "q",
    "o",
    "submitted_at__gte",
    "submitted_at__lt",
    "p",
    "all",
]


@given(query=st.dictionaries(st.sampled_from(QUEUE_FILTERS), TEXT, max_size=4))
@FUZZ
def test_the_review_queue_filters(staff_client, waiting_application, query):
    response = staff_client.get("/admin/citizens/diplomatapplication/", query)

    assert answered(response, query, 200, 302)


@given(query=st.dictionaries(st.sampled_from(["page", "q", "status", "field"]), TEXT, max_size=3))
@FUZZ
def test_the_public_lists(client, db, query):
    for url in ("/", "/cities/"):
        assert answered(client.get(url, query), query, 200, 302)
    inbox = client.get("/inbox/", query)
    if carries_nul(query):
        assert answered(inbox, query)
        return
    # Signing in must bring the visitor back; an address too long to carry back as `next` is
    # refused with the friendly 400 page rather than cut short.
    if len(urlencode(query)) < 8000:
        assert inbox.status_code == 302
    else:
        assert inbox.status_code in (302, 400)
        if inbox.status_code == 400:
            assert "The request could not be understood" in inbox.content.decode()
