import pytest
from django.db import IntegrityError, transaction

from citizens.models import ApplicationStatusChange, DiplomatApplication
from citizens.services import applications as services
from citizens.services.applications import TRANSITIONS, ApplicationError
from tests.factories import ApplicationFactory, UserFactory, application_in, reviewer

# The programme's rules, written out here rather than read from TRANSITIONS: a wrong table in
# the code must not change what the tests expect.
STATUSES = ["draft", "submitted", "needs_changes", "approved", "rejected", "withdrawn"]
ACTIONS = ["submit", "withdraw", "approve", "reject", "request_changes"]
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("needs_changes", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "withdraw"): "withdrawn",
    ("needs_changes", "withdraw"): "withdrawn",
    ("submitted", "approve"): "approved",
    ("submitted", "reject"): "rejected",
    ("submitted", "request_changes"): "needs_changes",
}
REFUSED = [
    (status, action) for status in STATUSES for action in ACTIONS if (status, action) not in ALLOWED
]


def _perform(application, action):
    applicant = application.user
    if action == "submit":
        return services.submit_application(application=application, actor=applicant)
    if action == "withdraw":
        return services.withdraw_application(application=application, actor=applicant)
    return services.decide_application(
        application=application,
        reviewer=reviewer("decider@example.org"),
        decision=action,
        note="A note",
        internal_note="Between us",
    )


def test_the_tables_here_name_every_status_and_action_there_is():
    assert sorted(STATUSES) == sorted(DiplomatApplication.Status.values)
    assert sorted(ACTIONS) == sorted(TRANSITIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=str)
def test_every_allowed_move_works_and_is_logged_once(status, action):
    application = application_in(status)
    logged_before = application.history.count()

    moved = _perform(application, action)

    target = ALLOWED[status, action]
    assert moved.status == target
    assert DiplomatApplication.objects.get(pk=application.pk).status == target
    (change,) = application.history.all()[logged_before:]
    assert (change.from_status, change.to_status) == (status, target)
    expected_actor = application.user if action in ("submit", "withdraw") else "decider"
    assert change.actor == expected_actor or change.actor.email.startswith(expected_actor)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), REFUSED, ids=str)
def test_every_other_move_is_refused_and_changes_nothing(status, action):
    application = application_in(status)
    logged_before = application.history.count()

    with pytest.raises(ApplicationError):
        _perform(application, action)

    assert DiplomatApplication.objects.get(pk=application.pk).status == status
    assert application.history.count() == logged_before


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "needs_changes", "withdrawn", "approved"])
@pytest.mark.parametrize("decision", ["approve", "reject", "request_changes"])
def test_the_service_decides_only_submitted_applications_whatever_the_table_says(
    monkeypatch, status, decision
):
    application = application_in(status)
    told_before = application.user.notifications.count()
    _sources, target = TRANSITIONS[decision]
    monkeypatch.setitem(TRANSITIONS, decision, (set(STATUSES), target))

    with pytest.raises(ApplicationError):
        _perform(application, decision)

    assert DiplomatApplication.objects.get(pk=application.pk).status == status
    assert application.user.notifications.count() == told_before


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
def test_the_admin_offers_a_decision_on_submitted_applications_only(status):
    application = application_in(status)

    offered = services.can_decide(application, reviewer("decider@example.org"))

    assert offered == (status == "submitted")


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["", "   \n"])
def test_the_service_refuses_to_request_changes_without_a_note_to_the_applicant(note):
    application = application_in("submitted")

    with pytest.raises(ApplicationError, match="without one"):
        services.decide_application(
            application=application,
            reviewer=reviewer("decider@example.org"),
            decision="request_changes",
            note=note,
            internal_note="Between us",
        )

    application.refresh_from_db()
    assert application.status == "submitted" and application.history.count() == 1


@pytest.mark.django_db
def test_approval_makes_the_applicant_a_citizen_diplomat():
    application = application_in("approved")

    application.user.refresh_from_db()
    assert application.user.is_diplomat
    assert application.user.diplomat_since == application.decided_at


@pytest.mark.django_db
def test_nobody_decides_their_own_application():
    staff_member = reviewer("applying-staff@example.org")
    application = application_in("submitted", user=staff_member)

    with pytest.raises(ApplicationError, match="own application"):
        services.decide_application(
            application=application, reviewer=staff_member, decision="approve"
        )
    assert not services.can_decide(application, staff_member)


@pytest.mark.django_db
def test_staff_without_the_review_permission_cannot_decide():
    application = application_in("submitted")
    clerk = UserFactory(email="clerk@example.org", is_staff=True)

    with pytest.raises(ApplicationError):
        services.decide_application(application=application, reviewer=clerk, decision="approve")
    assert DiplomatApplication.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.django_db
def test_submitting_an_incomplete_application_says_what_is_missing():
    application = ApplicationFactory(phone="", cv="", languages=[])
    application.languages.all().delete()

    with pytest.raises(ApplicationError) as refused:
        services.submit_application(application=application, actor=application.user)

    assert "phone" in str(refused.value)
    assert "CV (PDF)" in str(refused.value)
    assert "languages spoken" in str(refused.value)
    assert application.history.count() == 0


@pytest.mark.django_db
def test_only_the_applicant_submits_or_withdraws():
    application = ApplicationFactory()
    stranger = UserFactory(email="stranger@example.org")

    with pytest.raises(ApplicationError):
        services.submit_application(application=application, actor=stranger)
    with pytest.raises(ApplicationError):
        services.withdraw_application(application=application, actor=stranger)
    assert DiplomatApplication.objects.get(pk=application.pk).status == "draft"


@pytest.mark.django_db
def test_the_status_history_cannot_be_edited_or_deleted():
    application = application_in("approved")
    change = application.history.last()

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStatusChange.objects.filter(pk=change.pk).update(note_to_applicant="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStatusChange.objects.filter(pk=change.pk).delete()

    change.refresh_from_db()
    assert change.note_to_applicant == ""
