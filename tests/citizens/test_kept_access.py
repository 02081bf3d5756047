"""A person's roles and permissions are kept in Redis between their requests
(citizens.backends), and every way staff change them counts on the next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizens.models import User
from citizens.roles import CITY_OFFICIALS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def _auth_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "auth_group" in q["sql"] or "auth_permission" in q["sql"]]


@pytest.fixture
def official(client):
    person = UserFactory(roles=[CITY_OFFICIALS], totp=True)
    client.force_login(person)
    return person


def test_an_officials_roles_and_permissions_are_read_once_not_on_every_page(client, official):
    with CaptureQueriesContext(connection) as first:
        assert client.get(DASHBOARD).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(DASHBOARD).status_code == 200

    assert _auth_queries(first)
    assert _auth_queries(second) == []


def test_a_role_taken_away_from_the_groups_side_counts_on_the_next_request(client, official):
    assert client.get(DASHBOARD).status_code == 200

    Group.objects.get(name=CITY_OFFICIALS).user_set.remove(official)

    assert client.get(DASHBOARD).status_code == 403


def test_a_role_given_counts_on_the_next_request(client):
    person = UserFactory(totp=True)
    client.force_login(person)
    assert client.get(DASHBOARD).status_code == 403

    person.groups.add(Group.objects.get(name=CITY_OFFICIALS))

    assert client.get(DASHBOARD).status_code == 200


def test_a_permission_taken_from_a_role_counts_for_its_members_on_the_next_request(
    client, official
):
    assert client.get(DASHBOARD).status_code == 200

    dashboard = Permission.objects.get(codename="view_dashboard")
    Group.objects.get(name=CITY_OFFICIALS).permissions.remove(dashboard)

    assert client.get(DASHBOARD).status_code == 403


def test_a_permission_given_to_one_person_counts_on_their_next_request():
    person = UserFactory()
    assert not person.has_perm("sistercities.view_dashboard")

    person.user_permissions.add(Permission.objects.get(codename="view_dashboard"))

    next_request = User.objects.get(pk=person.pk)  # each request reads its person afresh
    assert next_request.has_perm("sistercities.view_dashboard")


def test_a_renamed_group_gives_its_members_the_new_role_name_on_the_next_request(official):
    assert CITY_OFFICIALS in User.objects.get(pk=official.pk).role_names

    group = Group.objects.get(name=CITY_OFFICIALS)
    group.name = "Former officials"
    group.save()

    assert User.objects.get(pk=official.pk).role_names == {"Former officials"}


def test_roles_are_kept_again_after_the_cache_lost_everything(client, official):
    from django.core.cache import cache

    cache.clear()  # Redis restarted empty: no versions, no entries
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200

    assert _auth_queries(captured) == []
