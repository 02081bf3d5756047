import json

import pytest
from django.core.files.storage import default_storage

from citizens.models import ApplicationStatusChange, DiplomatApplication, Notification, User
from citizens.services import applications as services
from tests.factories import application_in, reviewer


@pytest.mark.django_db
def test_downloading_my_data_gives_everything_about_me_and_nothing_internal(client):
    application = application_in("submitted")
    services.decide_application(
        application=application,
        reviewer=reviewer(),
        decision="request_changes",
        note="Add a photo.",
        internal_note="Staff only.",
    )
    client.force_login(application.user)

    response = client.get("/me/export/")

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == application.user.email
    assert data["application"]["full_name_latin"] == "Sara Ahmadi"
    assert data["application"]["languages"] == [
        {"language": "en", "level": "fluent"},
        {"language": "it", "level": "basic"},
    ]
    assert [step["to"] for step in data["application"]["history"]] == ["submitted", "needs_changes"]
    assert data["application"]["history"][1]["note"] == "Add a photo."
    assert "Staff only." not in response.content.decode()
    assert sorted(n["kind"] for n in data["notifications"]) == [
        "application_needs_changes",
        "application_received",
    ]


@pytest.mark.django_db
def test_deleting_my_account_erases_me_but_keeps_the_decisions_anonymous(
    client, django_capture_on_commit_callbacks
):
    staff_member = reviewer("maryam@example.org")
    application = application_in("submitted")
    user = application.user
    documents = [application.cv.name, application.photo.name]
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/delete/", {"password": "correct horse battery"})

    assert response["Location"] == "/"
    assert not User.objects.filter(pk=user.pk).exists()
    assert not any(default_storage.exists(name) for name in documents)
    application.refresh_from_db()
    assert application.user is None and application.anonymised_at is not None
    assert (application.full_name_latin, application.phone, application.motivation) == ("", "", "")
    assert application.status == "withdrawn"
    log = list(ApplicationStatusChange.objects.filter(application=application))
    assert [(c.from_status, c.to_status, c.actor) for c in log] == [
        ("draft", "submitted", None),
        ("submitted", "withdrawn", None),
    ]
    notice = Notification.objects.get(recipient=staff_member)
    assert "Sara" not in json.dumps(notice.context)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_deleting_needs_the_password(client):
    application = application_in("draft")
    client.force_login(application.user)

    response = client.post("/me/delete/", {"password": "wrong"})

    assert "That is not your password." in response.content.decode()
    assert DiplomatApplication.objects.get(pk=application.pk).full_name_latin == "Sara Ahmadi"


@pytest.mark.django_db
def test_deleting_my_account_erases_my_name_from_what_coordinators_were_told(client):
    from initiatives.services.memberships import request_to_join
    from tests.initiatives.factories import InitiativeFactory, diplomat

    initiative = InitiativeFactory()
    reza = diplomat("reza@example.org", first_name="Reza", last_name="Karimi")
    request_to_join(initiative=initiative, user=reza)
    notice = Notification.objects.get(recipient=initiative.coordinator)
    assert "Reza" in notice.context["applicant"]
    client.force_login(reza)

    client.post("/me/delete/", {"password": "correct horse battery"})

    notice.refresh_from_db()
    assert "Reza" not in json.dumps(notice.context)
    assert notice.email.body_text == ""
    client.force_login(initiative.coordinator)
    assert "A citizen diplomat asks to join" in client.get("/inbox/").content.decode()
