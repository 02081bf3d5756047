"""Thirty seconds of fifty people at once against the portal as production runs it (gunicorn, a
Celery worker): citizens applying, staff deciding, officials and visitors reading, diplomats
answering invitations. No request fails, and every write the portal confirmed is in the database.
"""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.models import DiplomatApplication, User
from citizens.roles import CITY_OFFICIALS
from initiatives.models import Invitation, Meeting
from initiatives.tokens import rsvp_token
from sistercities.models import SisterCity
from sistercities.services import import_sister_cities
from tests.factories import UserFactory, application_in, image_bytes, pdf_bytes, reviewer
from tests.initiatives.factories import InitiativeFactory, coordinator, diplomat
from tests.processes import (
    CSRF_SECRET,
    ROOT,
    service_env,
    signed_in_cookie,
    start_web,
    start_worker,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

USERS, SECONDS = 50, 30
ANSWERS = {"accept": "accepted", "decline": "declined", "maybe": "tentative"}


def _plan():
    import_sister_cities()
    florence = "florence"
    city_pk = str(SisterCity.objects.get(slug=florence).pk)
    initiative = InitiativeFactory(coordinator=coordinator("neda@example.org"))
    start = timezone.now() + timedelta(days=5)
    meeting = Meeting.objects.create(
        initiative=initiative,
        title="Board",
        kind=Meeting.Kind.BOARD,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="City Hall",
        organiser=initiative.coordinator,
    )
    diplomats = []
    for i in range(30):
        person = diplomat(f"diplomat{i}@example.org")
        invitation = Invitation.objects.create(
            meeting=meeting, invitee=person, state=Invitation.State.SENT, sent_at=timezone.now()
        )
        diplomats.append(
            {
                "email": person.email,
                "cookie": signed_in_cookie(person),
                "rsvp": f"/rsvp/{rsvp_token(invitation)}/",
                "invitation": invitation.pk,
                "meeting": f"/meetings/{meeting.pk}/",
            }
        )
    staff = []
    for i in range(8):
        member = reviewer(f"staff{i}@example.org")
        pool = [application_in("submitted").pk for _ in range(12)]
        staff.append(
            {"email": member.email, "cookie": signed_in_cookie(member), "applications": pool}
        )
    citizens = [UserFactory(email=f"citizen{i}@example.org") for i in range(40)]
    officials = [
        UserFactory(email=f"official{i}@example.org", roles=[CITY_OFFICIALS]) for i in range(20)
    ]
    return {
        "csrf": CSRF_SECRET,
        "pdf": pdf_bytes().hex(),
        "png": image_bytes("PNG").hex(),
        "people": {
            "citizen": [{"email": c.email, "cookie": signed_in_cookie(c)} for c in citizens],
            "staff": staff,
            "official": [{"email": o.email, "cookie": signed_in_cookie(o)} for o in officials],
            "diplomat": diplomats,
        },
        "reading": [
            "/",
            "/cities/",
            f"/cities/{florence}/",
            "/initiatives/",
            f"/initiatives/{initiative.slug}/",
            "/dashboard/",
            f"/dashboard/cities/{florence}/",
        ],
        "application": {
            "full_name_fa": "سارا احمدی",
            "full_name_latin": "Sara Ahmadi",
            "date_of_birth": "1990-05-01",
            "phone": "09131234567",
            "district": "3",
            "occupation": "Architect",
            "education": "master",
            "fields_of_expertise": ["cultural"],
            "preferred_cities": [city_pk],
            "motivation": "I restore historic houses and want to work with Florence's "
            "craftspeople, for years to come.",
            "hours_per_month": "10",
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-MIN_NUM_FORMS": "0",
            "languages-MAX_NUM_FORMS": "10",
            "languages-0-language": "it",
            "languages-0-level": "fluent",
        },
    }


def test_fifty_people_at_once_for_half_a_minute_no_error_and_every_write_kept(
    smtp_server, static_root, tmp_path
):
    plan_path, confirmed_path = tmp_path / "plan.json", tmp_path / "confirmed.json"
    plan_path.write_text(json.dumps(_plan()))
    env = service_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}", STATIC_ROOT=static_root)
    web, base_url = start_web(env, tmp_path)
    worker = start_worker(env, tmp_path)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                "tests/load/locustfile.py",
                "--headless",
                "-u",
                str(USERS),
                "-r",
                "25",
                "-t",
                f"{SECONDS}s",
                "--host",
                base_url,
                "--only-summary",
                "--json",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=SECONDS + 120,
            env={**env, "LOAD_PLAN": str(plan_path), "LOAD_CONFIRMED": str(confirmed_path)},
        )
    finally:
        worker.stop()
        web.stop()

    stats = json.loads(result.stdout)
    served = {entry["name"] for entry in stats if entry["num_requests"]}
    failures = {entry["name"]: entry["num_failures"] for entry in stats if entry["num_failures"]}
    confirmed = json.loads(confirmed_path.read_text())
    assert failures == {}, (failures, "\n".join(confirmed["errors"][:2]))
    # Every kind of person got to work (how much is the benchmark's business, not a test's).
    assert {"/apply/ (submit)", "/admin/ decide", "/rsvp/[token]/ (answer)", "/cities/"} <= served
    submitted = set(
        DiplomatApplication.objects.filter(
            user__email__startswith="citizen", status="submitted"
        ).values_list("user__email", flat=True)
    )
    assert submitted == set(confirmed["submitted"]) and submitted
    approved = set(
        DiplomatApplication.objects.filter(status="approved").values_list("pk", flat=True)
    )
    assert approved == set(confirmed["approved"]) and approved
    states = dict(Invitation.objects.values_list("pk", "state"))
    assert {int(pk): ANSWERS[answer] for pk, answer in confirmed["answers"].items()} == {
        int(pk): states[int(pk)] for pk in confirmed["answers"]
    }
    assert User.objects.filter(email__startswith="citizen", is_staff=True).count() == 0
