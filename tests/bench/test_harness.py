"""The benchmark's own parts, at a tiny scale: the data set keeps its promised proportions, every
page makes the same few queries at two data sizes, the results keep their shape, and each page is
checked against its floor. (The benchmark itself runs with `make bench`: whether the floors are met
is its business, not this suite's.)"""

import json

import pytest
from django.db import connection
from django.db.models import F

from bench import dataset, report
from bench.queries import count
from bench.run import _pages
from citizens.models import DiplomatApplication, User
from initiatives.models import Invitation, Meeting, Membership
from proposals.models import Proposal, Support

pytestmark = pytest.mark.django_db

TABLES = [
    "proposals_support",
    "proposals_proposalstatuschange",
    "proposals_proposal_cities",
    "proposals_proposal",
    "citizens_notification",
    "initiatives_invitation",
    "initiatives_membership",
    "initiatives_meeting",
    "initiatives_initiative_cities",
    "initiatives_initiative",
    "citizens_applicationstatuschange",
    "citizens_languageskill",
    "citizens_diplomatapplication_preferred_cities",
    "citizens_diplomatapplication",
    "sistercities_contactlog",
    "sistercities_sistercity",
    "mfa_authenticator",
    "account_emailaddress",
    "citizens_user_groups",
    "django_session",
    "citizens_user",
]


def _build(factor: float) -> tuple[dataset.Sizes, dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    sizes = dataset.Sizes.at(factor)
    return sizes, dataset.build(sizes, log=lambda message: None)


def test_the_data_set_has_the_promised_proportions():
    sizes, people = _build(0.002)

    statuses = set(DiplomatApplication.objects.values_list("status", flat=True))
    assert statuses == set(DiplomatApplication.Status.values)
    assert DiplomatApplication.objects.count() == sizes.citizens
    assert User.objects.filter(diplomat_since__isnull=False).count() == sizes.diplomats
    assert DiplomatApplication.objects.filter(status="approved").count() == sizes.diplomats
    assert Meeting.objects.count() == sizes.meetings
    assert Invitation.objects.count() == sizes.invitations
    members = Membership.objects.filter(initiative_id=sizes.initiatives, state="accepted")
    assert members.count() == people["fanout_invitees"] == sizes.fanout
    assert not Invitation.objects.filter(meeting_id=people["fanout_meeting"]).exists()
    # Every invitee is a diplomat, and nobody is owed an e-mail before the benchmark starts.
    assert not Invitation.objects.filter(invitee__diplomat_since__isnull=True).exists()
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()
    # Proposals at every stage, for cities, their history logged, supported but not by authors.
    assert Proposal.objects.count() == sizes.proposals
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert not Proposal.objects.filter(cities=None).exists()
    assert not Proposal.objects.exclude(status="draft").filter(history=None).exists()
    assert Support.objects.exists()
    assert not Support.objects.filter(supporter=F("proposal__author")).exists()


def test_each_page_makes_the_same_few_queries_at_two_data_sizes():
    counts = {}
    for factor in (0.001, 0.004):
        _sizes, people = _build(factor)
        counts[factor] = count(_pages(people), people)

    small, large = counts.values()
    measured = {name: n for name, n in small.items() if n is not None}  # dashboards: once built
    assert len(measured) >= 8, small
    assert {name: large[name] for name in measured} == measured
    assert max(measured.values()) <= report.MAX_QUERIES, measured


def test_results_keep_their_shape_and_draw(tmp_path):
    page = {
        "rps": 100.0,
        "p50_ms": 10.0,
        "p95_ms": 20.0,
        "ratio": 0.5,
        "queries_small": 3,
        "queries_full": 3,
    }
    results = {
        "scale": "small",
        "commit": "abc",
        "date": "2026-11-30T07:00:00+00:00",
        "machine": {"cpus": 2},
        "pages": {name: dict(page) for name in report.PAGES},
        "fanout": {
            "messages": 10,
            "seconds": 1.0,
            "rate": 10.0,
            "noop_rate": 20.0,
            "ratio": 0.5,
            "duplicates": 0,
        },
        "memory_mb": {"web": 100.0, "worker": 120.0},
    }
    results["pages"]["dashboard"].update(rps=None, ratio=None, note="not built yet (404)")
    results["targets"] = report.targets(results)

    assert "| dashboard (not built yet (404)) | — |" in report.table(results)
    assert json.loads(json.dumps(results))["fanout"]["ratio"] == 0.5
    report.chart(results, tmp_path / "results.png")
    assert (tmp_path / "results.png").stat().st_size > 1000


def test_each_page_is_checked_against_its_floor_from_issue_21():
    pages = {
        name: {"ratio": ratio, "queries_small": 3, "queries_full": 3}
        for name, ratio in {
            "trivial": 1.0,
            "home": 0.41,
            "dashboard": 0.29,
            "me": 0.2,
            "admin_applications": 0.12,
        }.items()
    }
    pages["dashboard"]["uncached_p95_ms"] = 510
    results = {"scale": "full", "pages": pages, "fanout": {"ratio": 0.6, "duplicates": 0}}

    checks = {check["target"]: check["met"] for check in report.targets(results)}

    assert checks["home: ≥ 0.4 × trivial rps"] is True
    assert checks["dashboard: ≥ 0.3 × trivial rps"] is False
    assert checks["dashboard: uncached p95 ≤ 500 ms"] is False
    assert checks["me: ≥ 0.2 × trivial rps"] is True
    assert checks["admin_applications: ≥ 0.1 × trivial rps"] is True
    assert checks["fan-out ≥ 0.6 × no-op task rate"] is True
