"""Each request reads who is signed in afresh, with Django's own backends: a role, a permission,
a password or an unread notice changed anywhere counts from the person's next request."""

import datetime
import select

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections
from django.utils import timezone

from citizens.models import Notification
from citizens.roles import CITY_OFFICIALS, MUNICIPAL_STAFF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_role_taken_away_counts_from_the_next_request(client):
    official = UserFactory(roles=[CITY_OFFICIALS])
    client.force_login(official)
    assert client.get("/dashboard/").status_code == 200

    official.groups.clear()

    assert client.get("/dashboard/").status_code == 403


def test_a_permission_given_to_the_person_counts_as_one_given_to_their_role(client):
    person = UserFactory(is_staff=True, totp=True)
    client.force_login(person)
    assert client.get("/dashboard/").status_code == 403

    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="sistercities", codename="view_dashboard")
    )

    assert client.get("/dashboard/").status_code == 200


def test_a_superuser_has_every_permission(client):
    client.force_login(
        UserFactory(email="root@example.org", is_staff=True, is_superuser=True, totp=True)
    )

    # No role grants these: only being a superuser does.
    assert client.get("/admin/auth/group/").status_code == 200
    assert client.get("/admin/citizens/diplomatapplication/").status_code == 200


def test_the_unread_count_follows_the_inbox(client):
    person = UserFactory()
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, kind=Notification.Kind.APPLICATION_SUBMITTED),
            Notification(recipient=person, kind=Notification.Kind.APPLICATION_APPROVED),
            Notification(
                recipient=person,
                kind=Notification.Kind.MEETING_INVITATION,
                read_at=timezone.now(),
            ),
        ]
    )
    client.force_login(person)

    assert '2<span class="visually-hidden"> unread</span>' in client.get("/me/").content.decode()

    client.post("/inbox/read/")

    assert "unread</span>" not in client.get("/me/").content.decode()


def test_an_expired_session_signs_the_reader_out(client):
    client.force_login(UserFactory())
    assert client.get("/me/").status_code == 200

    session = client.session
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_changed_password_ends_other_sessions(client):
    person = UserFactory(roles=[MUNICIPAL_STAFF])
    client.force_login(person)
    assert client.get("/me/").status_code == 200

    person.set_password("another horse battery")
    person.save()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db(transaction=True)  # ends its connection
def test_a_connection_the_server_ended_is_replaced_and_the_reader_still_known(client):
    client.force_login(UserFactory(first_name="Parisa", diplomat_since=timezone.now()))
    assert "Parisa" in client.get("/me/").content.decode()
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    other.close()
    assert select.select([connection.connection.fileno()], [], [], 10)[0]  # the server said so

    connection.close_if_unusable_or_obsolete()  # as at the start of each request

    assert "Parisa" in client.get("/me/").content.decode()


def test_signing_out_ends_the_session_for_good(client):
    client.force_login(UserFactory())
    signed_in = client.cookies["sessionid"].value

    client.post("/accounts/logout/")
    client.cookies["sessionid"] = signed_in  # as a copy of the old cookie would come back

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_session_without_anyone_signed_in_keeps_its_data(client):
    session = client.session
    session["seen_intro"] = True
    session.save()

    assert client.session["seen_intro"] is True
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_deleted_persons_session_signs_nobody_in(client):
    person = UserFactory()
    client.force_login(person)

    person.delete()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")
