from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from citizens.roles import is_privileged
from diplomacy_portal import fragments
from diplomacy_portal.forms import error_summary

from . import selectors, services
from .forms import ProposalFilterForm, ProposalForm
from .models import Proposal
from .services import ProposalError

PER_PAGE = 20
# The first pages of the unfiltered list are kept in the cache; later ones are rarely read.
SHARED_PAGES = 10
SUBMITTED = gettext_lazy("Your proposal was submitted; the municipal staff will review it.")


def _require_diplomat(request) -> None:
    """403 for whoever may not write proposals: only citizen diplomats do."""
    if not request.user.is_diplomat:
        raise PermissionDenied


def _own_proposal(request, pk) -> Proposal:
    """The reader's own proposal; anyone else's answers 404, as if it did not exist."""
    return get_object_or_404(Proposal, pk=pk, author_id=request.user.pk)


def _public_proposal(pk) -> Proposal:
    return get_object_or_404(Proposal, pk=pk, status__in=Proposal.PUBLIC)


def proposal_list(request):
    form = ProposalFilterForm(request.GET or None)
    number = request.GET.get("page", "1")

    def body():
        page = Paginator(selectors.public_proposals(**form.filters()), PER_PAGE).get_page(number)
        context = {"form": form, "page": page}
        return render_to_string("proposals/_proposal_list_body.html", context, request=request)

    # The first pages of the whole list are the same for every reader of a language: kept
    # until a proposal, a support or a city changes. Filtered and later pages are read afresh.
    shared = set(request.GET) <= {"page"} and number in map(str, range(1, SHARED_PAGES + 1))
    context = {
        "body": fragments.kept(
            f"proposals:{get_language()}:{number}",
            body,
            timeout=settings.PUBLIC_PAGES_CACHE_SECONDS if shared else 0,
            topics=("proposals", "cities"),
        ),
        "writes": request.user.is_authenticated,
    }
    return render(request, "proposals/proposal_list.html", context)


def proposal_detail(request, pk):
    proposal = selectors.proposal_for_page(pk, request.user)
    is_author = proposal is not None and proposal.author_id == request.user.pk
    # Drafts are their author's; officials, coordinators and staff read everything.
    reads_all = is_privileged(request.user)
    if proposal is None or not (proposal.is_public or is_author or reads_all):
        raise Http404
    context = {
        "proposal": proposal,
        "is_author": is_author,
        "sees_notes": is_author or reads_all,
        "history": selectors.history(proposal),
        "may_support": request.user.is_authenticated
        and request.user.is_diplomat
        and not is_author
        and proposal.status in Proposal.SUPPORTABLE,
        "may_decide": services.can_decide(proposal, request.user),
    }
    return render(request, "proposals/proposal_detail.html", context)


@login_required
def proposal_mine(request):
    context = {"proposals": selectors.authored_by(request.user)}
    return render(request, "proposals/proposal_mine.html", context)


def _form_page(request, form, proposal=None):
    context = {"form": form, "proposal": proposal, "error_summary": error_summary(form)}
    return render(request, "proposals/proposal_form.html", context)


def _save(request, form):
    """Save (and with the Submit button, submit) a valid form; None when the rules refuse."""
    try:
        proposal = services.save_proposal(
            author=request.user, form=form, submit="submit" in request.POST
        )
    except ProposalError as error:
        messages.error(request, str(error))
        return None
    if proposal.status == Proposal.Status.SUBMITTED:
        messages.success(
            request, _("Your proposal was submitted; the municipal staff will review it.")
        )
    else:
        messages.success(request, _("Your draft was saved. Submit it when it is ready."))
    return proposal


@login_required
def proposal_create(request):
    _require_diplomat(request)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        proposal = _save(request, form)
        if proposal is not None:
            return redirect(proposal)
    return _form_page(request, form)


@login_required
def proposal_edit(request, pk):
    _require_diplomat(request)
    proposal = _own_proposal(request, pk)
    if not proposal.is_editable:
        messages.error(
            request,
            _("Your proposal is %(status)s and can no longer be edited.")
            % {"status": proposal.get_status_display().lower()},
        )
        return redirect(proposal)
    form = ProposalForm(request.POST or None, request.FILES or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        if _save(request, form) is not None:
            return redirect(proposal)
    return _form_page(request, form, proposal)


@require_POST
@login_required
def proposal_submit(request, pk):
    proposal = _own_proposal(request, pk)
    try:
        services.submit_proposal(proposal=proposal, actor=request.user)
    except ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your proposal was submitted; the municipal staff will review it.")
        )
    return redirect(proposal)


@require_POST
@login_required
def proposal_withdraw(request, pk):
    proposal = _own_proposal(request, pk)
    try:
        services.withdraw_proposal(proposal=proposal, actor=request.user)
    except ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You withdrew your proposal."))
    return redirect(proposal)


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = _public_proposal(pk)
    try:
        services.support_proposal(proposal=proposal, user=request.user)
    except ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You support this proposal."))
    return redirect(proposal)


@require_POST
@login_required
def proposal_unsupport(request, pk):
    proposal = _public_proposal(pk)
    try:
        services.withdraw_support(proposal=proposal, user=request.user)
    except ProposalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You no longer support this proposal."))
    return redirect(proposal)


@login_required
def proposal_attachment(request, public_id):
    """A proposal's attachment, for its author and the staff who review proposals."""
    proposal = get_object_or_404(Proposal, public_id=public_id)
    allowed = proposal.author_id == request.user.pk or request.user.has_perm(
        "proposals.view_proposal"
    )
    if not allowed or not proposal.attachment:
        raise Http404
    stored = proposal.attachment
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=f"proposal{Path(stored.name).suffix}"
    )
    # Downloaded, never rendered as the portal's page; a sandbox if a browser renders it anyway.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
