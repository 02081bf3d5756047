"""The coordinator's desk (/desk/): their initiatives, requests to join, meetings and answers,
messages to members and invitees, and the waiting lists of full meetings."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from citizens.models import Notification
from citizens.services.notifications import notification_text
from diplomacy_portal import l10n

from . import selectors
from .forms import MessageForm, RemindInviteesForm
from .models import Invitation
from .services import InitiativeError, invitations
from .services import messages as member_messages
from .views import _managed_initiative, _managed_meeting, _require_scheduler


@login_required
def desk(request):
    _require_scheduler(request)
    initiatives = selectors.desk_initiatives(request.user)
    page = Paginator(initiatives, 20).get_page(request.GET.get("page"))
    return render(request, "initiatives/desk.html", {"page": page, **selectors.desk(request.user)})


@login_required
def write_to_members(request, slug):
    return _write(request, initiative=_managed_initiative(request, slug), meeting=None)


@login_required
def write_to_invitees(request, pk):
    return _write(request, initiative=None, meeting=_managed_meeting(request, pk))


def _write(request, *, initiative, meeting):
    """Write, preview (with the count of recipients), then send exactly what was previewed."""
    audience = {"initiative": initiative, "meeting": meeting}
    form = MessageForm(request.POST or None, initial={"key": uuid.uuid4()})
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send":
            try:
                sent = member_messages.write_to_people(
                    sender=request.user, **form.cleaned_data, **audience
                )
            except InitiativeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _sent_message(sent.recipients))
                return redirect("initiatives:desk")
        context = member_messages.message_context(
            **audience, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
        )
        preview = notification_text(Notification.Kind.MEMBERS_MESSAGE, context)
    context = {
        **audience,
        "form": form,
        "preview": preview,
        "recipients": member_messages.recipients(**audience).count(),
        "sent": selectors.sent_messages(**audience)[: selectors.DESK_ROWS],
    }
    return render(request, "initiatives/desk_write.html", context)


def _sent_message(count: int) -> str:
    return ngettext(
        "Your message was sent to %(count)s person.",
        "Your message was sent to %(count)s people.",
        count,
    ) % {"count": l10n.digits(count)}


@login_required
def waiting_list(request, pk):
    meeting = _managed_meeting(request, pk)
    context = {
        "meeting": meeting,
        "waiting": invitations.waiting_list(meeting),
        "seats_left": invitations.seats_left(meeting),
    }
    return render(request, "initiatives/desk_waiting_list.html", context)


@require_POST
@login_required
def move_up(request, pk, invitation):
    meeting = _managed_meeting(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation, meeting=meeting)
    try:
        invitations.move_up_waiting_list(invitation=invitation, actor=request.user)
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        name = invitation.invitee.display_name
        messages.success(request, _("%(name)s moved up the waiting list.") % {"name": name})
    return redirect("initiatives:desk-waiting-list", meeting.pk)


@require_POST
@login_required
def offer_seat(request, pk):
    meeting = _managed_meeting(request, pk)
    try:
        promoted = invitations.offer_free_seats(meeting=meeting, actor=request.user)
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "A seat was given to %(count)s person from the waiting list; they are told.",
                "Seats were given to %(count)s people from the waiting list; they are told.",
                len(promoted),
            )
            % {"count": l10n.digits(len(promoted))},
        )
    return redirect("initiatives:desk-waiting-list", meeting.pk)


@login_required
def remind_invitees(request, pk):
    """Remind the invitees the coordinator ticks (at first, those who have not answered)."""
    meeting = _managed_meeting(request, pk)
    form = RemindInviteesForm(
        request.POST or None,
        invitations=member_messages.remindable(meeting),
        initial={"key": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = member_messages.remind_invitees(
                sender=request.user,
                meeting=meeting,
                invitation_ids=[i.pk for i in form.cleaned_data["invitations"]],
                note=form.cleaned_data["note"],
                key=form.cleaned_data["key"],
            )
        except InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _reminded_message(sent.recipients))
            return redirect(meeting)
    return render(request, "initiatives/meeting_remind.html", {"meeting": meeting, "form": form})


def _reminded_message(count: int) -> str:
    return ngettext(
        "%(count)s invitee was reminded.",
        "%(count)s invitees were reminded.",
        count,
    ) % {"count": l10n.digits(count)}
