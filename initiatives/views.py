import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from citizens.services import notifications
from citizens.views import profile_page
from diplomacy_portal import fragments, l10n
from diplomacy_portal.exports import csv_text
from diplomacy_portal.forms import error_summary

from . import ical, public_feeds, selectors
from .access import can_manage_initiative, can_manage_meeting, manageable_initiatives, may_schedule
from .forms import (
    FindInitiativeForm,
    FollowForm,
    InitiativeFilterForm,
    InitiativeForm,
    InviteMatchingForm,
    InvitePeopleForm,
    MeetingForm,
)
from .models import CalendarFeed, Initiative, Invitation, Meeting, Membership
from .services import InitiativeError, feeds, follows, invitations, meetings, memberships
from .services import initiatives as initiative_changes
from .tokens import BadToken, ExpiredToken, invitation_for_token

ANSWER_LABELS = {
    "accept": gettext_lazy("Accept"),
    "maybe": gettext_lazy("Maybe"),
    "decline": gettext_lazy("Decline"),
}


def _require_scheduler(request) -> None:
    """403 for whoever can never organise anything; their own objects are checked after (404)."""
    if not may_schedule(request.user):
        raise PermissionDenied


def _managed_initiative(request, slug) -> Initiative:
    _require_scheduler(request)
    initiative = get_object_or_404(Initiative, slug=slug)
    if not can_manage_initiative(request.user, initiative):
        raise Http404
    return initiative


def _meeting_for(request, pk) -> tuple[Meeting, bool]:
    """The meeting and whether the user organises it; 404 unless organiser or invitee."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("initiative__coordinator", "city", "organiser"), pk=pk
    )
    manages = can_manage_meeting(request.user, meeting)
    if not manages and not meeting.invitations.filter(invitee=request.user).exists():
        raise Http404
    return meeting, manages


def _managed_meeting(request, pk) -> Meeting:
    _require_scheduler(request)
    meeting, manages = _meeting_for(request, pk)
    if not manages:
        raise Http404
    return meeting


# The first pages of the whole list are what most readers see, the same for each of them: they
# are kept (a bounded number of them, as Redis is the broker too). Filtered or searched, or
# further on, the list is rendered for its reader.
SHARED_PAGES = 10


def initiative_list(request):
    form = InitiativeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    number = request.GET.get("page", "1")

    def body():
        page = Paginator(selectors.initiative_list(**filters), 20).get_page(number)
        context = {"form": form, "page": page}
        return render_to_string("initiatives/_initiative_list_body.html", context, request=request)

    shared = set(request.GET) <= {"page"} and number in map(str, range(1, SHARED_PAGES + 1))
    context = {
        "body": fragments.kept(
            f"initiatives:{get_language()}:{number}",
            body,
            timeout=settings.PUBLIC_PAGES_CACHE_SECONDS if shared else 0,
            topics=("initiatives", "cities"),
        )
    }
    context["may_start"] = may_schedule(request.user)
    return render(request, "initiatives/initiative_list.html", context)


@login_required
def initiative_create(request):
    _require_scheduler(request)
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_changes.create_initiative(
                actor=request.user, cities=list(form.cleaned_data["cities"]), details=form.details()
            )
        except InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The initiative is started. Now schedule its meetings."))
            return redirect(initiative)
    context = {"form": form, "error_summary": error_summary(form)}
    return render(request, "initiatives/initiative_form.html", context)


@login_required
def initiative_edit(request, slug):
    initiative = _managed_initiative(request, slug)
    form = InitiativeForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_changes.update_initiative(
                initiative=initiative,
                actor=request.user,
                cities=list(form.cleaned_data["cities"]),
                details=form.details(),
            )
        except InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The initiative was saved."))
            return redirect(initiative)
    context = {
        "form": form,
        "initiative": initiative,
        "error_summary": error_summary(form),
        "history": initiative.history.select_related("actor"),
    }
    return render(request, "initiatives/initiative_form.html", context)


def initiative_detail(request, slug):
    initiative = get_object_or_404(Initiative.objects.select_related("coordinator"), slug=slug)
    manages = can_manage_initiative(request.user, initiative)
    membership = (
        Membership.objects.filter(initiative=initiative, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    context = {
        "initiative": initiative,
        "manages": manages,
        "membership": membership,
        "members_count": selectors.members_count(initiative),
        "meetings": selectors.upcoming_meetings(initiative=initiative, public_only=not manages),
        "feed_url": settings.SITE_URL
        + reverse("initiatives:initiative-meetings-feed", args=[initiative.slug]),
        "follow_form": FollowForm(auto_id="follow-%s"),
    }
    return render(request, "initiatives/initiative_detail.html", context)


@require_safe
def initiative_meetings_feed(request, slug):
    """The initiative's public meetings as a calendar anyone may subscribe to."""

    def build():
        initiative = get_object_or_404(Initiative, slug=slug)
        meetings = selectors.public_feed_meetings(initiative_id=initiative.pk)
        name = _("%(initiative)s: public meetings") % {"initiative": initiative.title}
        return meetings, name, settings.SITE_URL + initiative.get_absolute_url()

    return public_feeds.feed_response(request, key=f"initiative:{slug}", build=build)


@require_POST
@login_required
def initiative_join(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    try:
        memberships.request_to_join(initiative=initiative, user=request.user)
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was sent to the coordinator."))
    # Asked from the suggestions on /me/: back there.
    if request.POST.get("next") == reverse("me"):
        return redirect("me")
    return redirect(initiative)


@require_POST
@login_required
def initiative_leave(request, slug):
    initiative = get_object_or_404(Initiative, slug=slug)
    try:
        memberships.leave_initiative(initiative=initiative, user=request.user)
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are no longer a member of this initiative."))
    return redirect(initiative)


@login_required
def initiative_members(request, slug):
    initiative = _managed_initiative(request, slug)
    people = initiative.memberships.select_related("user").order_by("state", "requested_at")
    return render(
        request,
        "initiatives/membership_list.html",
        {"initiative": initiative, "memberships": people},
    )


@require_POST
@login_required
def membership_decide(request, slug, pk, decision):
    initiative = _managed_initiative(request, slug)
    if decision not in ("accept", "decline"):
        raise Http404
    membership = get_object_or_404(Membership, pk=pk, initiative=initiative)
    try:
        memberships.decide_membership(
            membership=membership, coordinator=request.user, accept=decision == "accept"
        )
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your answer was recorded; the diplomat is being told."))
    if request.POST.get("back") == "desk":
        return redirect("initiatives:desk")
    return redirect("initiatives:initiative-members", initiative.slug)


@login_required
def meeting_create(request):
    _require_scheduler(request)
    initiatives = manageable_initiatives(request.user).order_by("title_en")
    initial = {"initiative": request.GET.get("initiative"), "city": request.GET.get("city")}
    if initial["initiative"] and not initiatives.filter(slug=initial["initiative"]).exists():
        raise Http404
    finder = FindInitiativeForm(request.GET)
    form = MeetingForm(
        request.POST or None, initiatives=initiatives, find=finder.words(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.schedule_meeting(
                organiser=request.user,
                initiative=form.cleaned_data["initiative"],
                city=form.cleaned_data["city"],
                details=form.details(),
            )
        except InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The meeting is scheduled. Now invite people to it."))
            return redirect(meeting)
    context = {"form": form, "finder": finder, "error_summary": error_summary(form)}
    return render(request, "initiatives/meeting_form.html", context)


@login_required
def meeting_edit(request, pk):
    meeting = _managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.update_meeting(meeting=meeting, actor=request.user, details=form.details())
        except InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The meeting was saved; invitees are sent any change."))
            return redirect(meeting)
    context = {"form": form, "meeting": meeting, "error_summary": error_summary(form)}
    return render(request, "initiatives/meeting_form.html", context)


@require_POST
@login_required
def meeting_cancel(request, pk):
    meeting = _managed_meeting(request, pk)
    try:
        meetings.cancel_meeting(meeting=meeting, actor=request.user)
    except InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting was cancelled; invitees are being told."))
    return redirect(meeting)


def _meeting_page(request, meeting, manages, *, matching=None, people=None, status=200):
    context = {
        "meeting": meeting,
        "manages": manages,
        "invitation": invitations.my_invitation(meeting=meeting, user=request.user),
        "answers": ANSWER_LABELS,
    }
    if manages:
        rows = Paginator(selectors.invitees(meeting), 100).get_page(request.GET.get("page"))
        counts = invitations.invitation_counts(meeting)
        total = sum(counts.values())
        context.update(
            page=rows,
            counts=counts,
            invited=total,
            handed_over=total - counts[Invitation.State.PENDING],
            seats_left=invitations.seats_left(meeting),
            matching_form=matching or InviteMatchingForm(),
            people_form=people or InvitePeopleForm(),
        )
    return render(request, "initiatives/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    meeting, manages = _meeting_for(request, pk)
    return _meeting_page(request, meeting, manages)


@require_POST
@login_required
def meeting_invite(request, pk):
    meeting = _managed_meeting(request, pk)
    mode = request.POST.get("mode")
    if mode not in ("members", "matching", "people"):
        messages.error(request, _("Choose whom to invite."))
        return redirect(meeting)
    matching = InviteMatchingForm(request.POST if mode == "matching" else None)
    people = InvitePeopleForm(request.POST if mode == "people" else None)
    try:
        if mode == "members":
            count = invitations.invite_members(meeting=meeting, invited_by=request.user)
        elif mode == "matching" and matching.is_valid():
            count = invitations.invite_matching(
                meeting=meeting, invited_by=request.user, **matching.cleaned_data
            )
        elif mode == "people" and people.is_valid():
            count = invitations.invite_people(
                meeting=meeting, people=people.people(), invited_by=request.user
            )
        else:
            return _meeting_page(
                request, meeting, True, matching=matching, people=people, status=400
            )
    except InitiativeError as error:
        messages.error(request, str(error))
        return redirect(meeting)
    messages.success(request, _invited_message(count))
    return redirect(meeting)


def _invited_message(count: int) -> str:
    if count == 0:
        return _("Nobody new to invite: everyone who matches is invited already.")
    return _("%(count)s invited; the e-mails are being sent.") % {"count": l10n.digits(count)}


@never_cache
@login_required
def meeting_invitees_csv(request, pk):
    meeting = _managed_meeting(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-invitees.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Persian names as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("E-mail"), _("Answer"), _("Answered"), _("Invited")])
    for invitation in selectors.invitees(meeting).iterator(chunk_size=1000):
        person = invitation.invitee
        writer.writerow(
            [
                csv_text(person.get_full_name()),
                csv_text(person.email),
                invitation.get_state_display(),
                invitation.responded_at.isoformat() if invitation.responded_at else "",
                invitation.created_at.isoformat(),
            ]
        )
    return response


@require_POST
@login_required
def meeting_rsvp(request, pk):
    meeting, _manages = _meeting_for(request, pk)
    invitation = invitations.my_invitation(meeting=meeting, user=request.user)
    if invitation is None:
        raise Http404
    _answer(request, invitation)
    # Answered from /me/: back there, to the rest of the person's meetings.
    if request.POST.get("next") == reverse("me"):
        return redirect("me")
    return redirect(meeting)


def _answer(request, invitation) -> None:
    try:
        invitation = invitations.respond(invitation=invitation, answer=request.POST.get("answer"))
    except InitiativeError as error:
        messages.error(request, str(error))
        return
    messages.success(
        request,
        _("Thank you. Your answer: %(answer)s.") % {"answer": invitation.get_state_display()},
    )


@never_cache
def rsvp(request, token):
    """Answer an invitation from its e-mail, without signing in; answering takes a POST."""
    try:
        invitation = invitation_for_token(token)
    except ExpiredToken:
        return render(request, "initiatives/rsvp_invalid.html", {"expired": True}, status=410)
    except BadToken:
        return render(request, "initiatives/rsvp_invalid.html", {"expired": False}, status=400)
    if request.method == "POST":
        _answer(request, invitation)
        return redirect("initiatives:rsvp", token)
    context = {
        "invitation": invitation,
        "meeting": invitation.meeting,
        "answers": ANSWER_LABELS,
        "chosen": request.GET.get("answer", ""),
    }
    return render(request, "initiatives/rsvp.html", context)


def calendar_feed(request, token):
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    name = _("Citizen diplomat meetings")
    body = ical.feed_calendar(feeds.feed_meetings(user=feed.user), name=str(name))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
def calendar_feed_reset(request):
    if not request.user.is_diplomat:
        raise PermissionDenied
    feeds.reset_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar link is ready. Any earlier link no longer works."))
    return redirect("me")


@login_required
def my_page(request):
    """A citizen diplomat's home; everyone else (and the profile form sent here, its address
    before /me/profile/) gets the page of their application and profile."""
    if request.method == "POST" or not request.user.is_diplomat:
        return profile_page(request, title=_("My page"))
    mine = selectors.my_page(request.user)
    notifications.show_in_inbox(mine.notices)
    context = {
        "mine": mine,
        "answers": ANSWER_LABELS,
        "newly_approved": not mine.memberships,
    }
    return render(request, "initiatives/my_page.html", context)


def follow_page(request, target):
    """Follow `target` (an initiative or a sister city) by e-mail: the form (GET), or the
    request (POST), answered the same whatever the address."""
    form = FollowForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            follows.ask_to_follow(
                email=form.cleaned_data["email"],
                target=target,
                language=get_language(),
                client=request.META.get("REMOTE_ADDR", ""),
            )
        except follows.TooManyRequests:
            form.add_error(None, _("Too many requests to follow. Try again in an hour."))
            status = 429
        else:
            messages.success(
                request,
                _(
                    "If the address is right, an e-mail is on its way: follow its link to "
                    "confirm. Nothing is sent before."
                ),
            )
            return redirect(target.get_absolute_url())
    return render(
        request, "initiatives/follow.html", {"form": form, "target": target}, status=status
    )


@never_cache
def initiative_follow(request, slug):
    return follow_page(request, get_object_or_404(Initiative, slug=slug))


@never_cache
def follow_confirm(request, token):
    """Confirm an address from the link e-mailed to it: a page with a button (GET), so that a
    mail program opening the link confirms nothing; confirmed on the button (POST)."""
    try:
        follow = follows.follow_to_confirm(token)
    except follows.BadFollowLink:
        return render(request, "initiatives/follow_invalid.html", status=400)
    if request.method == "POST":
        follows.confirm(follow)
        return render(request, "initiatives/follow_confirmed.html", {"follow": follow})
    return render(request, "initiatives/follow_confirm.html", {"follow": follow})


# A mail program's one-click unsubscribe (RFC 8058) POSTs without the reader's cookies: the
# signed link is the permission, so there is no CSRF token to check.
@csrf_exempt
@never_cache
def follow_stop(request, token):
    """Stop following from the link in a follower's e-mail: a page with a button (GET), or at
    once (POST, the button or a mail program's one-click). A second click is harmless."""
    try:
        follow = follows.follow_to_stop(token)
    except follows.BadFollowLink:
        return render(request, "initiatives/follow_invalid.html", status=400)
    if request.method == "POST" or follow is None:
        if follow is not None:
            follows.stop(follow)
        return render(request, "initiatives/follow_stopped.html", {"follow": follow})
    return render(request, "initiatives/follow_stop.html", {"follow": follow})
