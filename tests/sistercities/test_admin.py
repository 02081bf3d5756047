import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from sistercities.models import ContactLog
from tests.factories import UserFactory

CONTACT_LOG_PERMISSIONS = [
    "view_sistercity",
    "change_sistercity",
    "view_contactlog",
    "add_contactlog",
    "change_contactlog",
]


@pytest.fixture
def staff_member(db):
    user = UserFactory(email="staff@example.org", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=CONTACT_LOG_PERMISSIONS))
    return user


def city_form(city, **contact):
    """The city's admin change form as posted, with one new contact in the inline."""
    data = {
        "slug": city.slug,
        "name_en": city.name_en,
        "name_fa": city.name_fa,
        "status": city.status,
        "established_year": city.established_year,
        "country_en": city.country_en,
        "country_fa": city.country_fa,
        "country_code": city.country_code,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "description_en": "",
        "description_fa": "",
        "partner_contact_name": "",
        "partner_contact_email": "",
        "source": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    data.update({f"contacts-0-{key}": value for key, value in contact.items()})
    return data


def test_staff_log_a_contact_in_the_city_admin_and_are_recorded_as_its_logger(
    client, staff_member, sister_city
):
    client.force_login(staff_member)
    url = reverse("admin:sistercities_sistercity_change", args=[sister_city.pk])

    response = client.post(
        url, city_form(sister_city, date="2026-10-01", kind="call", note="Planned a youth visit.")
    )

    assert response.status_code == 302
    contact = ContactLog.objects.get(city=sister_city)
    assert (contact.date, contact.kind, contact.note) == (
        datetime.date(2026, 10, 1),
        ContactLog.Kind.CALL,
        "Planned a youth visit.",
    )
    assert contact.created_by == staff_member


def test_a_contact_dated_in_the_future_is_refused_with_a_message(client, staff_member, sister_city):
    client.force_login(staff_member)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("admin:sistercities_sistercity_change", args=[sister_city.pk])

    response = client.post(url, city_form(sister_city, date=tomorrow.isoformat(), kind="visit"))

    assert response.status_code == 200
    assert "A logged contact cannot be in the future." in response.content.decode()
    assert not ContactLog.objects.exists()


def test_staff_adding_a_contact_in_the_contact_log_are_recorded_as_its_logger(
    client, staff_member, sister_city
):
    client.force_login(staff_member)

    response = client.post(
        reverse("admin:sistercities_contactlog_add"),
        {"city": sister_city.pk, "date": "2026-09-15", "kind": "letter", "note": "Greetings."},
    )

    assert response.status_code == 302
    assert ContactLog.objects.get(city=sister_city).created_by == staff_member


def test_editing_a_contact_keeps_who_logged_it(client, staff_member, sister_city):
    colleague = UserFactory(email="colleague@example.org")
    contact = ContactLog.objects.create(
        city=sister_city, date=datetime.date(2026, 9, 1), kind="visit", created_by=colleague
    )
    client.force_login(staff_member)

    client.post(
        reverse("admin:sistercities_contactlog_change", args=[contact.pk]),
        {"city": sister_city.pk, "date": "2026-09-01", "kind": "visit", "note": "Corrected."},
    )

    contact.refresh_from_db()
    assert (contact.note, contact.created_by) == ("Corrected.", colleague)


def test_the_contact_log_lists_and_filters_contacts(client, staff_member, sister_city):
    ContactLog.objects.create(city=sister_city, date=datetime.date(2026, 9, 1), kind="visit")
    ContactLog.objects.create(city=sister_city, date=datetime.date(2026, 9, 2), kind="call")
    client.force_login(staff_member)

    response = client.get(reverse("admin:sistercities_contactlog_changelist"), {"kind": "call"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_city_admin_page_shows_its_logged_contacts_inline(client, staff_member, sister_city):
    ContactLog.objects.create(
        city=sister_city, date=datetime.date(2026, 9, 1), kind="visit", note="Mayor's visit."
    )
    client.force_login(staff_member)

    response = client.get(reverse("admin:sistercities_sistercity_change", args=[sister_city.pk]))

    assert response.status_code == 200
    assert "Mayor&#x27;s visit." in response.content.decode()
    assert client.get(reverse("admin:sistercities_contactlog_add")).status_code == 200
