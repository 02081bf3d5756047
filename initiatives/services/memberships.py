"""Joining an initiative: a diplomat asks, the coordinator answers, a member may leave."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Notification, User
from citizens.services.notifications import mark_done, notify

from ..access import can_manage_initiative
from ..models import Initiative, Membership
from . import InitiativeError

State = Membership.State
ACCEPTED, DECLINED = Notification.Kind.MEMBERSHIP_ACCEPTED, Notification.Kind.MEMBERSHIP_DECLINED


def initiative_context(initiative: Initiative) -> dict:
    """What notifications about an initiative need, in both languages."""
    return {
        "initiative_id": initiative.pk,
        "initiative": initiative.title_en,
        "initiative_fa": initiative.title_fa,
    }


@transaction.atomic
def request_to_join(*, initiative: Initiative, user: User) -> Membership:
    """A citizen diplomat asks to join; the coordinator is told."""
    if not user.is_diplomat:
        raise InitiativeError(
            _("Only citizen diplomats can join initiatives. Apply to become one first.")
        )
    if initiative.status == Initiative.Status.COMPLETED:
        raise InitiativeError(_("This initiative is completed; it takes no new members."))
    membership, created = Membership.objects.get_or_create(initiative=initiative, user=user)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not created:
        if membership.state == State.ACCEPTED:
            raise InitiativeError(_("You are already a member of this initiative."))
        if membership.state == State.REQUESTED:
            raise InitiativeError(_("You have already asked to join; the coordinator will answer."))
        if membership.state == State.DECLINED:
            raise InitiativeError(
                _("The coordinator declined your request. Please contact them if things changed.")
            )
        membership.state = State.REQUESTED
        membership.requested_at = timezone.now()
        membership.decided_at = membership.left_at = None
        membership.save(update_fields=["state", "requested_at", "decided_at", "left_at"])
    if initiative.coordinator is not None:
        notify(
            recipients=[initiative.coordinator],
            kind=Notification.Kind.MEMBERSHIP_REQUESTED,
            context={**initiative_context(initiative), "applicant": str(user)},
            url=reverse("initiatives:initiative-members", args=[initiative.slug]),
            about=user,
        )
    return membership


@transaction.atomic
def decide_membership(*, membership: Membership, coordinator: User, accept: bool) -> Membership:
    """The coordinator accepts or declines a request to join; the diplomat is told."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("initiative", "user")
        .get(pk=membership.pk)
    )
    initiative = membership.initiative
    if not can_manage_initiative(coordinator, initiative):
        raise InitiativeError(_("You do not coordinate this initiative."))
    if membership.state != State.REQUESTED:
        raise InitiativeError(_("This request was already answered."))
    membership.state = State.ACCEPTED if accept else State.DECLINED
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "decided_at"])
    _request_answered(membership)
    notify(
        recipients=[membership.user],
        kind=ACCEPTED if accept else DECLINED,
        context=initiative_context(initiative),
        url=initiative.get_absolute_url(),
    )
    return membership


@transaction.atomic
def leave_initiative(*, initiative: Initiative, user: User) -> Membership:
    """A member leaves (or takes back a request to join)."""
    membership = (
        Membership.objects.select_for_update()
        .filter(initiative=initiative, user=user, state__in=[State.ACCEPTED, State.REQUESTED])
        .first()
    )
    if membership is None:
        raise InitiativeError(_("You are not a member of this initiative."))
    was_request = membership.state == State.REQUESTED
    membership.state = State.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["state", "left_at"])
    if was_request:
        _request_answered(membership)  # taken back: nothing is left for the coordinator to do
    return membership


def _request_answered(membership: Membership) -> None:
    """The coordinator's notice of this request to join asks for nothing more."""
    mark_done(
        kind=Notification.Kind.MEMBERSHIP_REQUESTED,
        about=membership.user,
        context={"initiative_id": membership.initiative_id},
    )
