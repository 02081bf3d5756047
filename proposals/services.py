"""Every change to a proposal happens here: written, moved (checked, logged once, the author
told of decisions), supported, and turned into an initiative."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from citizens.models import Notification, User
from citizens.services.notifications import notify
from initiatives.models import Initiative, Membership
from initiatives.services.memberships import initiative_context
from sistercities.models import SisterCity

from .models import Proposal, ProposalStatusChange, Support

Status = Proposal.Status


class ProposalError(Exception):
    """A move the rules do not allow; its message is shown to the user."""


# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED),
    "withdraw": ({Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED}, Status.WITHDRAWN),
    "accept": ({Status.SUBMITTED}, Status.ACCEPTED),
    "decline": ({Status.SUBMITTED}, Status.DECLINED),
    "request_changes": ({Status.SUBMITTED}, Status.CHANGES_REQUESTED),
}
DECISIONS = {
    "accept": pgettext_lazy("a proposal", "Accept"),
    "decline": pgettext_lazy("a proposal", "Decline"),
    "request_changes": gettext_lazy("Request changes"),
}
# The author must be told why: a proposal returned or declined without a word helps nobody.
NOTE_REQUIRED = {"decline", "request_changes"}
DECISION_NOTIFICATIONS = {
    Status.ACCEPTED: Notification.Kind.PROPOSAL_ACCEPTED,
    Status.DECLINED: Notification.Kind.PROPOSAL_DECLINED,
    Status.CHANGES_REQUESTED: Notification.Kind.PROPOSAL_CHANGES_REQUESTED,
}


def may_decide(user: User) -> bool:
    return user.is_authenticated and user.has_perm("proposals.decide_proposal")


def can_decide(proposal: Proposal, reviewer: User) -> bool:
    """Staff and coordinators may decide others' submitted proposals."""
    return (
        may_decide(reviewer)
        and proposal.author_id != reviewer.pk
        and proposal.status == Status.SUBMITTED
    )


def suspended_cities(cities) -> list[SisterCity]:
    return [city for city in cities if city.status == SisterCity.Status.SUSPENDED]


def refuse_suspended(cities) -> None:
    suspended = suspended_cities(cities)
    if suspended:
        raise ProposalError(
            _(
                "The relation with %(cities)s is suspended: the city takes no proposals for it "
                "until the relation is resumed. Choose another sister city."
            )
            % {"cities": _(", ").join(city.name for city in suspended)}
        )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _move(*, proposal: Proposal, action: str, actor: User, note: str = "") -> Proposal:
    sources, target = TRANSITIONS[action]
    proposal = _locked(proposal)
    if proposal.status not in sources:
        raise ProposalError(
            _("This proposal is %(status)s; it cannot be changed that way now.")
            % {"status": proposal.get_status_display().lower()}
        )
    source, proposal.status = proposal.status, target
    now = timezone.now()
    if target == Status.SUBMITTED:
        proposal.submitted_at = now
    if target in DECISION_NOTIFICATIONS:
        proposal.decided_at = now
    proposal.save(update_fields=["status", "submitted_at", "decided_at", "updated_at"])
    ProposalStatusChange.objects.create(
        proposal=proposal, actor=actor, from_status=source, to_status=target, note=note.strip()
    )
    return proposal


@transaction.atomic
def save_proposal(*, author: User, form, submit: bool = False) -> Proposal:
    """Save the author's form (a valid ProposalForm) while the proposal may be edited; with
    `submit`, send it for review too, all or nothing."""
    if not author.is_diplomat:
        raise ProposalError(_("Only citizen diplomats can write proposals."))
    proposal = form.instance
    if proposal.pk:
        current = _locked(proposal)
        if current.author_id != author.pk:
            raise ProposalError(_("This is not your proposal."))
        if not current.is_editable:
            raise ProposalError(
                _("Your proposal is %(status)s and can no longer be edited.")
                % {"status": current.get_status_display().lower()}
            )
        replaced = current.attachment.name if "attachment" in form.changed_data else ""
    else:
        proposal.author = author
        replaced = ""
    refuse_suspended(form.cleaned_data["cities"])
    proposal = form.save()
    if replaced:
        storage = proposal.attachment.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    if submit:
        proposal = _move(proposal=proposal, action="submit", actor=author)
    return proposal


@transaction.atomic
def submit_proposal(*, proposal: Proposal, actor: User) -> Proposal:
    """Send a draft (or a returned proposal) to the municipal staff for review."""
    if proposal.author_id != actor.pk:
        raise ProposalError(_("Only the author can submit a proposal."))
    # A city's relation may have been suspended since the draft was written.
    refuse_suspended(proposal.cities.all())
    return _move(proposal=proposal, action="submit", actor=actor)


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, actor: User) -> Proposal:
    """The author takes their proposal back."""
    if proposal.author_id != actor.pk:
        raise ProposalError(_("Only the author can withdraw a proposal."))
    return _move(proposal=proposal, action="withdraw", actor=actor)


@transaction.atomic
def decide_proposal(
    *, proposal: Proposal, reviewer: User, decision: str, note: str = ""
) -> Proposal:
    """Accept, decline or return a submitted proposal; the author is told in their language."""
    if decision not in DECISIONS:
        raise ProposalError(_("Unknown decision."))
    if not may_decide(reviewer):
        raise ProposalError(_("You may not decide proposals."))
    if proposal.author_id == reviewer.pk:
        raise ProposalError(_("Nobody decides their own proposal."))
    if decision in NOTE_REQUIRED and not note.strip():
        raise ProposalError(_("Write a note to the author: tell them why, or what to change."))
    proposal = _move(proposal=proposal, action=decision, actor=reviewer, note=note)
    if proposal.author is not None:
        notify(
            recipients=[proposal.author],
            kind=DECISION_NOTIFICATIONS[proposal.status],
            context={"proposal_id": proposal.pk, "proposal": proposal.title, "note": note.strip()},
            url=proposal.get_absolute_url(),
        )
    return proposal


@transaction.atomic
def support_proposal(*, proposal: Proposal, user: User) -> Support:
    """Another citizen diplomat adds their support, once."""
    if not user.is_diplomat:
        raise ProposalError(_("Only citizen diplomats can support proposals."))
    proposal = _locked(proposal)
    if proposal.author_id == user.pk:
        raise ProposalError(_("You cannot support your own proposal."))
    if proposal.status not in Proposal.SUPPORTABLE:
        raise ProposalError(
            _("This proposal is %(status)s; it takes no more support.")
            % {"status": proposal.get_status_display().lower()}
        )
    try:
        with transaction.atomic():  # a double click: the second insert breaks the one-each rule
            return Support.objects.create(proposal=proposal, supporter=user)
    except IntegrityError:
        raise ProposalError(_("You already support this proposal.")) from None


@transaction.atomic
def withdraw_support(*, proposal: Proposal, user: User) -> None:
    """A supporter takes their support back."""
    deleted, _kinds = Support.objects.filter(proposal=proposal, supporter=user).delete()
    if not deleted:
        raise ProposalError(_("You do not support this proposal."))


@transaction.atomic
def turn_into_initiative(
    *,
    proposal: Proposal,
    actor: User,
    slug: str,
    title_en: str,
    title_fa: str,
    coordinator: User | None = None,
) -> Initiative:
    """Start an initiative from an accepted proposal; its author becomes a member and is told."""
    if not may_decide(actor):
        raise ProposalError(_("You may not decide proposals."))
    proposal = _locked(proposal)
    if proposal.status != Status.ACCEPTED:
        raise ProposalError(_("Only an accepted proposal can become an initiative."))
    if proposal.initiative_id:
        raise ProposalError(_("This proposal is already an initiative."))
    if Initiative.objects.filter(slug=slug).exists():
        raise ProposalError(_("Another initiative has this address; choose another."))
    initiative = Initiative.objects.create(
        slug=slug,
        title_en=title_en,
        title_fa=title_fa,
        field=proposal.field,
        status=Initiative.Status.PROPOSED,
        coordinator=coordinator,
        # The author wrote in one language; the page shows it under both until staff translate.
        description_en=proposal.summary,
        description_fa=proposal.summary,
    )
    initiative.cities.set(proposal.cities.all())
    proposal.initiative = initiative
    proposal.save(update_fields=["initiative", "updated_at"])
    if proposal.author is not None:
        Membership.objects.create(
            initiative=initiative,
            user=proposal.author,
            state=Membership.State.ACCEPTED,
            decided_at=timezone.now(),
        )
        notify(
            recipients=[proposal.author],
            kind=Notification.Kind.MEMBERSHIP_ACCEPTED,
            context=initiative_context(initiative),
            url=initiative.get_absolute_url(),
        )
    return initiative
