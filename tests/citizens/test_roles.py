import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS, MUNICIPAL_STAFF


def _permissions(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_the_three_roles_exist_as_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {MUNICIPAL_STAFF, CITY_OFFICIALS, INITIATIVE_COORDINATORS} <= names


@pytest.mark.django_db
def test_municipal_staff_review_applications_but_never_edit_or_delete_them():
    staff = _permissions(MUNICIPAL_STAFF)

    assert {"citizens.view_diplomatapplication", "citizens.decide_application"} <= staff
    assert "citizens.change_diplomatapplication" not in staff
    assert "citizens.delete_applicationstatuschange" not in staff


@pytest.mark.django_db(transaction=True)
def test_roles_keep_their_permissions_after_the_database_is_flushed():
    call_command("flush", interactive=False, verbosity=0)

    assert "citizens.decide_application" in _permissions(MUNICIPAL_STAFF)
