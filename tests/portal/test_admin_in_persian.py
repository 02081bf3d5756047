import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from citizens.roles import MUNICIPAL_STAFF
from tests.factories import UserFactory

PROJECT_APPS = ["citizens", "sistercities", "initiatives", "opendata"]


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="root@example.org", is_staff=True, is_superuser=True, preferred_language="fa"
    )


def test_the_admin_reads_right_to_left_in_persian_in_the_portals_font(client, superuser):
    client.force_login(superuser)

    html = client.get(reverse("admin:index")).content.decode()

    assert '<html lang="fa" dir="rtl">' in html
    assert "admin/css/rtl.css" in html
    assert "css/vazirmatn.css" in html


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_the_projects_apps_and_models_have_persian_names(app_label):
    config = apps.get_app_config(app_label)
    names = [config.verbose_name]
    for model in config.get_models():
        names += [model._meta.verbose_name, model._meta.verbose_name_plural]

    with translation.override("en"):
        english = [str(name) for name in names]
    with translation.override("fa"):
        persian_names = [str(name) for name in names]

    untranslated = [e for e, p in zip(english, persian_names, strict=True) if e == p]
    assert untranslated == []


def test_roles_and_permissions_are_offered_in_persian(client, superuser):
    member = UserFactory(email="member@example.org")
    client.force_login(superuser)

    url = reverse("admin:citizens_user_change", args=[member.pk])
    html = client.get(url).content.decode()

    assert "کارکنان شهرداری</label>" in html
    assert "امکان مشاهدهٔ شهر خواهرخوانده" in html
    assert "می‌تواند درخواست‌ها را تأیید، رد یا برای اصلاح برگرداند" in html
    assert "Can view" not in html
    assert "بازنشانی گذرواژه" in html


def test_the_user_list_filters_by_role_in_persian(client, superuser):
    member = UserFactory(email="member@example.org")
    member.groups.add(Group.objects.get(name=MUNICIPAL_STAFF))
    client.force_login(superuser)

    html = client.get(reverse("admin:citizens_user_changelist")).content.decode()

    assert "کارکنان شهرداری</a>" in html
