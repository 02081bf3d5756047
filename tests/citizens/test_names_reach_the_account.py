"""The name an applicant gives is how the portal names them: in member lists, invitee tables
and downloads, calendar files and the greeting of every e-mail."""

import csv
import io
from importlib import import_module

import pytest
from django.apps import apps
from icalendar import Calendar

from citizens.models import OutgoingEmail, User
from citizens.services import applications as services
from initiatives import ical
from tests.factories import ApplicationFactory, UserFactory, application_in
from tests.initiatives.factories import MeetingFactory, invitation, member

pytestmark = pytest.mark.django_db


def _unnamed_applicant(email="sara@example.org", **application):
    user = UserFactory(email=email, first_name="", last_name="")
    return application_in("approved", user=user, **application).user


def test_submitting_an_application_gives_the_account_the_applicants_name():
    application = ApplicationFactory(user=UserFactory(first_name="", last_name=""))

    services.submit_application(application=application, actor=application.user)

    application.user.refresh_from_db()
    assert application.user.display_name == "Sara Ahmadi"


def test_a_name_the_person_set_on_their_profile_stays_theirs():
    user = UserFactory(first_name="Sarah", last_name="Ahmadi-Rossi")
    application = application_in("approved", user=user)
    application.user.refresh_from_db()
    assert application.user.display_name == "Sarah Ahmadi-Rossi"


def test_the_coordinator_sees_the_members_and_invitees_by_name(client):
    sara = _unnamed_applicant()
    meeting = MeetingFactory()
    member(meeting.initiative, sara)
    invitation(meeting, sara)
    client.force_login(meeting.initiative.coordinator)

    members = client.get(f"/initiatives/{meeting.initiative.slug}/members/").content.decode()
    invitees = client.get(f"/meetings/{meeting.pk}/").content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/meetings/{meeting.pk}/invitees.csv").content.decode("utf-8-sig")
            )
        )
    )

    assert "Sara Ahmadi" in members
    assert "Sara Ahmadi" in invitees
    assert rows[1][:2] == ["Sara Ahmadi", "sara@example.org"]


def test_the_calendar_file_names_the_attendee():
    sara = _unnamed_applicant()
    meeting = MeetingFactory()
    calendar = Calendar.from_ical(
        ical.invitation_calendar(invitation(meeting, sara), meeting=meeting)
    )

    (event,) = calendar.walk("VEVENT")
    assert event["ATTENDEE"].params["CN"] == "Sara Ahmadi"


def test_the_decision_email_greets_the_applicant_by_name():
    _unnamed_applicant()

    decision = OutgoingEmail.objects.filter(to="sara@example.org").latest("pk")
    assert "Hello Sara Ahmadi," in decision.body_text
    assert "Hello Sara Ahmadi," in decision.body_html


def test_accounts_whose_application_came_before_names_were_copied_are_named():
    sara = _unnamed_applicant()
    User.objects.filter(pk=sara.pk).update(first_name="")
    named = UserFactory(email="omid@example.org", first_name="Omid", last_name="Rahimi")
    application_in("submitted", user=named, full_name_latin="Another Name")
    draft = ApplicationFactory(user=UserFactory(first_name="", last_name=""))

    migration = import_module("citizens.migrations.0021_accounts_named_from_applications")
    migration.name_accounts(apps, None)

    assert User.objects.get(pk=sara.pk).display_name == "Sara Ahmadi"
    assert User.objects.get(pk=named.pk).display_name == "Omid Rahimi"
    assert User.objects.get(pk=draft.user.pk).display_name == draft.user.email
