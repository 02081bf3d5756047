import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.utils import timezone

from citizens.models import ApplicationStatusChange, DiplomatApplication, User
from diplomacy_portal.management.commands.load_demo import DEMO_TOTP_SECRET
from initiatives.models import Invitation, Meeting
from sistercities.models import Agreement, ContactLog, SisterCity
from sistercities.selectors.health import health_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    users = {u.email: (u.password, u.last_login) for u in User.objects.all()}
    cities = list(SisterCity.objects.values().order_by("pk"))
    contacts = list(ContactLog.objects.values().order_by("pk"))
    meetings = list(Meeting.objects.values().order_by("pk"))
    invitations = list(Invitation.objects.values().order_by("pk"))
    agreements = list(Agreement.objects.values().order_by("pk"))

    call_command("load_demo")

    assert {u.email: (u.password, u.last_login) for u in User.objects.all()} == users
    assert list(SisterCity.objects.values().order_by("pk")) == cities
    assert list(ContactLog.objects.values().order_by("pk")) == contacts
    assert list(Meeting.objects.values().order_by("pk")) == meetings
    assert list(Invitation.objects.values().order_by("pk")) == invitations
    assert list(Agreement.objects.values().order_by("pk")) == agreements


@pytest.mark.django_db
def test_the_demo_has_a_year_of_activity_and_some_fading_cities(settings):
    settings.DEBUG = True
    settings.CITY_FADING_AFTER_DAYS = 90
    call_command("load_demo")

    health = {row["slug"]: row["health"] for row in health_rows(SisterCity.objects.all())}
    assert health["florence"] == "alive"
    assert health["barcelona"] == "fading"
    assert set(health.values()) >= {"alive", "quiet", "fading"}
    marked = set(
        SisterCity.objects.filter(fading_since__isnull=False).values_list("slug", flat=True)
    )
    assert marked == {slug for slug, level in health.items() if level == "fading"}
    held = Meeting.objects.filter(city__isnull=False, starts_at__lt=timezone.now())
    assert held.dates("starts_at", "month").count() >= 10


@pytest.mark.django_db
def test_the_demo_has_agreements_in_every_state_and_one_public_document(settings, client):
    settings.DEBUG = True
    settings.AGREEMENT_RENEWAL_NOTICE_DAYS = 90
    call_command("load_demo")

    states = set(Agreement.objects.with_state().values_list("state", flat=True))
    assert states == {"in_force", "expiring", "expired", "superseded"}
    # Every bundled relation has its sister-city agreement, public, open-ended.
    assert Agreement.objects.filter(kind="sister_city", is_public=True).count() == 16
    expiring = Agreement.objects.with_state().get(state="expiring")
    assert expiring.downloadable_by_anyone
    download = client.get(expiring.get_document_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_demo_has_one_account_per_role(settings):
    settings.DEBUG = True
    call_command("load_demo")

    def roles(email):
        return set(User.objects.get(email=email).groups.values_list("name", flat=True))

    assert roles("staff@example.org") == {"Municipal staff"}
    assert roles("official@example.org") == {"City officials"}
    assert roles("coordinator@example.org") == {"Initiative coordinators"}
    assert User.objects.get(email="diplomat@example.org").is_diplomat
    assert not User.objects.get(email="citizen@example.org").is_diplomat


@pytest.mark.django_db
def test_every_demo_city_has_a_description_in_both_languages_and_some_have_contacts(settings):
    settings.DEBUG = True
    call_command("load_demo")

    assert SisterCity.objects.count() == 16
    assert not SisterCity.objects.filter(description_en="").exists()
    assert not SisterCity.objects.filter(description_fa="").exists()
    assert ContactLog.objects.filter(created_by__email="staff@example.org").exists()


@pytest.mark.django_db
def test_the_demo_refuses_to_load_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="set DEBUG=true, or pass --allow-production"):
        call_command("load_demo")

    assert not User.objects.exists()


def test_make_run_with_debug_off_says_what_to_do_in_one_line_without_a_traceback():
    env = {**os.environ, "DEBUG": "false"}

    result = subprocess.run(
        [sys.executable, "scripts/dev.py", "run"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines() == [
        "`make run` is the development server and loads the demo accounts: unset DEBUG or set "
        "DEBUG=true (production runs gunicorn; see the README)."
    ]


@pytest.mark.django_db
def test_the_demo_gives_staff_a_queue_to_review_and_the_diplomat_an_approved_application(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    statuses = dict(DiplomatApplication.objects.values_list("user__email", "status"))
    assert statuses["diplomat@example.org"] == "approved"
    assert list(statuses.values()).count("submitted") == 2
    assert "needs_changes" in statuses.values()
    assert ApplicationStatusChange.objects.filter(to_status="submitted").count() == 4


@pytest.mark.django_db
def test_the_demo_privileged_accounts_have_two_factor_with_the_printed_key(settings):
    settings.DEBUG = True
    call_command("load_demo")

    for email in (
        "staff@example.org",
        "official@example.org",
        "coordinator@example.org",
        "admin@example.org",
    ):
        assert Authenticator.objects.filter(user__email=email, type="totp").count() == 1
    assert not Authenticator.objects.filter(user__email="citizen@example.org").exists()


def test_the_dev_script_prints_a_code_the_demo_accounts_accept():
    code = subprocess.run(
        [sys.executable, "scripts/dev.py", "totp"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert validate_totp_code(DEMO_TOTP_SECRET, code)
