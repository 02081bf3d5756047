"""Every change of an application's status happens here: checked, logged once, notified."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.models import ApplicationStatusChange, DiplomatApplication, Notification, User
from citizens.roles import MUNICIPAL_STAFF
from citizens.services.notifications import notify

Status = DiplomatApplication.Status


class ApplicationError(Exception):
    """A move the rules do not allow; its message is shown to the user."""


# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.NEEDS_CHANGES}, Status.SUBMITTED),
    "withdraw": ({Status.DRAFT, Status.SUBMITTED, Status.NEEDS_CHANGES}, Status.WITHDRAWN),
    "approve": ({Status.SUBMITTED}, Status.APPROVED),
    "reject": ({Status.SUBMITTED}, Status.REJECTED),
    "request_changes": ({Status.SUBMITTED}, Status.NEEDS_CHANGES),
}
DECISIONS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "request_changes": gettext_lazy("Request changes"),
}
DECISION_NOTIFICATIONS = {
    Status.APPROVED: Notification.Kind.APPLICATION_APPROVED,
    Status.REJECTED: Notification.Kind.APPLICATION_REJECTED,
    Status.NEEDS_CHANGES: Notification.Kind.APPLICATION_NEEDS_CHANGES,
}

# The applicant can only change what they are told to change.
NOTE_NEEDED_FOR_CHANGES = gettext_lazy(
    "Write a note to the applicant saying what to change: changes cannot be requested without one."
)

REQUIRED_FOR_SUBMISSION = [
    "full_name_fa",
    "full_name_latin",
    "date_of_birth",
    "phone",
    "district",
    "occupation",
    "education",
    "fields_of_expertise",
    "motivation",
    "hours_per_month",
    "cv",
    "photo",
]


def allowed_actions(application: DiplomatApplication) -> list[str]:
    return [
        name for name, (sources, _target) in TRANSITIONS.items() if application.status in sources
    ]


def can_decide(application: DiplomatApplication, reviewer: User) -> bool:
    """Staff with the review permission may decide others' submitted applications."""
    return (
        reviewer.has_perm("citizens.decide_application")
        and application.user_id != reviewer.pk
        and application.status == Status.SUBMITTED
    )


def missing_for_submission(application: DiplomatApplication) -> list[str]:
    """Labels of what the application still lacks before it can be submitted."""
    meta = DiplomatApplication._meta
    missing = [
        str(meta.get_field(name).verbose_name)
        for name in REQUIRED_FOR_SUBMISSION
        if getattr(application, name) in (None, "", [])
    ]
    if not application.languages.exists():
        missing.append(_("languages spoken"))
    if not application.preferred_cities.exists():
        missing.append(str(meta.get_field("preferred_cities").verbose_name))
    return missing


def adult_cut_off(today: datetime.date | None = None) -> datetime.date:
    """The latest date of birth of someone old enough to apply today."""
    today = today or timezone.localdate()
    years = settings.MINIMUM_APPLICANT_AGE
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def start_application(*, user: User) -> DiplomatApplication:
    """The user's application: their existing one, or a new draft."""
    application, _created = DiplomatApplication.objects.get_or_create(user=user)
    return application


def _move(
    *,
    application: DiplomatApplication,
    action: str,
    actor: User,
    note: str = "",
    internal_note: str = "",
) -> DiplomatApplication:
    sources, target = TRANSITIONS[action]
    application = DiplomatApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in sources:
        raise ApplicationError(
            _("This application is %(status)s; it cannot be changed that way now.")
            % {"status": application.get_status_display().lower()}
        )
    source = application.status
    application.status = target
    now = timezone.now()
    if target == Status.SUBMITTED:
        application.submitted_at = now
    if target in DECISION_NOTIFICATIONS:
        application.decided_at = now
    application.save(update_fields=["status", "submitted_at", "decided_at", "updated_at"])
    ApplicationStatusChange.objects.create(
        application=application,
        actor=actor,
        from_status=source,
        to_status=target,
        note_to_applicant=note.strip(),
        internal_note=internal_note.strip(),
    )
    return application


@transaction.atomic
def submit_application(*, application: DiplomatApplication, actor: User) -> DiplomatApplication:
    """Send a complete application to the municipal staff for review."""
    if application.user_id != actor.pk:
        raise ApplicationError(_("Only the applicant can submit an application."))
    missing = missing_for_submission(application)
    if missing:
        raise ApplicationError(_("Please complete: %(missing)s.") % {"missing": ", ".join(missing)})
    application = _move(application=application, action="submit", actor=actor)
    name_account(application=application)
    reviewers = User.objects.filter(groups__name=MUNICIPAL_STAFF, is_active=True).exclude(
        pk=actor.pk
    )
    notify(
        recipients=list(reviewers),
        kind=Notification.Kind.APPLICATION_SUBMITTED,
        context={"applicant": application.display_name, "application_id": application.pk},
        url=reverse("admin:citizens_diplomatapplication_change", args=[application.pk]),
        about=actor,
    )
    # The applicant's receipt: what they sent arrived, and where to follow it.
    notify(
        recipients=[actor],
        kind=Notification.Kind.APPLICATION_RECEIVED,
        url=reverse("me"),
    )
    return application


def name_account(*, application: DiplomatApplication) -> User:
    """Give the applicant's account the name their application gives, so that member lists,
    invitee tables, calendar files and greetings name the person, not their address.

    A name the person set on their profile is theirs and stays. The application asks for one
    full name, not a given name and a family name, so the whole name goes into the account's
    first name rather than a guessed split."""
    user = application.user
    name = application.full_name_latin or application.full_name_fa
    if name and not user.get_full_name():
        user.first_name = name
        user.save(update_fields=["first_name"])
    return user


@transaction.atomic
def withdraw_application(*, application: DiplomatApplication, actor: User) -> DiplomatApplication:
    """The applicant takes their application back."""
    if application.user_id != actor.pk:
        raise ApplicationError(_("Only the applicant can withdraw an application."))
    return _move(application=application, action="withdraw", actor=actor)


@transaction.atomic
def decide_application(
    *,
    application: DiplomatApplication,
    reviewer: User,
    decision: str,
    note: str = "",
    internal_note: str = "",
) -> DiplomatApplication:
    """Approve, reject or return an application; the applicant is told after commit."""
    if decision not in DECISIONS:
        raise ApplicationError(_("Unknown decision."))
    if not reviewer.has_perm("citizens.decide_application"):
        raise ApplicationError(_("You may not decide applications."))
    if application.user_id == reviewer.pk:
        raise ApplicationError(_("Nobody decides their own application."))
    if decision == "request_changes" and not note.strip():
        raise ApplicationError(str(NOTE_NEEDED_FOR_CHANGES))
    # Only a submitted application is decided, whatever TRANSITIONS says: a decision on a draft
    # or a withdrawn one would reach the applicant and make them a diplomat unasked.
    application = DiplomatApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.SUBMITTED:
        raise ApplicationError(
            _("This application is %(status)s; it cannot be changed that way now.")
            % {"status": application.get_status_display().lower()}
        )
    application = _move(
        application=application,
        action=decision,
        actor=reviewer,
        note=note,
        internal_note=internal_note,
    )
    applicant = application.user
    if application.status == Status.APPROVED and not applicant.is_diplomat:
        applicant.diplomat_since = application.decided_at
        applicant.save(update_fields=["diplomat_since"])
    notify(
        recipients=[applicant],
        kind=DECISION_NOTIFICATIONS[application.status],
        context={"note": note.strip()},
        url=reverse("me"),
    )
    return application


@transaction.atomic
def save_application(*, user: User, form, languages) -> DiplomatApplication:
    """Save the applicant's form and languages together, while the application may be edited.

    `form` and `languages` are a valid ApplicationForm and LanguageFormSet for `user`.
    """
    application = form.instance
    if application.pk:
        current = DiplomatApplication.objects.select_for_update().get(pk=application.pk)
        if current.user_id != user.pk:
            raise ApplicationError(_("This is not your application."))
        if not current.is_editable:
            raise ApplicationError(
                _("Your application is %(status)s and can no longer be edited.")
                % {"status": current.get_status_display().lower()}
            )
        replaced = [
            getattr(current, name).name
            for name in ("cv", "photo")
            if name in form.changed_data and getattr(current, name)
        ]
    else:
        application.user = user
        replaced = []
    try:
        with transaction.atomic():  # a second application in a race breaks the one-per-person rule
            application = form.save()
    except IntegrityError:
        raise ApplicationError(_("You already have an application.")) from None
    languages.instance = application
    languages.save()
    storage = DiplomatApplication._meta.get_field("cv").storage
    for name in replaced:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return application
