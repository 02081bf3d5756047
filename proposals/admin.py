"""The review queue of proposals: read and decided here, never edited (the author edits)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import DecisionForm, InitiativeFromProposalForm
from .models import Proposal, ProposalStatusChange
from .selectors import with_support_count
from .services import DECISIONS, ProposalError, can_decide, decide_proposal, turn_into_initiative


class SupportFilter(admin.SimpleListFilter):
    title = gettext_lazy("support")
    parameter_name = "support"

    def lookups(self, request, model_admin):
        return [
            ("none", gettext_lazy("None yet")),
            ("some", gettext_lazy("1 to 9 diplomats")),
            ("many", gettext_lazy("10 diplomats or more")),
        ]

    def queryset(self, request, queryset):
        ranges = {
            "none": Q(supports_count=0),
            "some": Q(supports_count__gte=1, supports_count__lt=10),
            "many": Q(supports_count__gte=10),
        }
        return queryset.filter(ranges[self.value()]) if self.value() in ranges else queryset


class StatusHistoryInline(admin.TabularInline):
    model = ProposalStatusChange
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Status history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "author_email",
        "status",
        "field",
        "city_names",
        "support",
        "submitted_at",
    ]
    list_select_related = ["author"]
    list_filter = ["status", "field", "cities", SupportFilter, "submitted_at"]
    search_fields = ["title", "summary", "author__email"]
    # The queue: oldest submission first, drafts last.
    ordering = [F("submitted_at").asc(nulls_last=True), "pk"]
    show_full_result_count = False
    inlines = [StatusHistoryInline]
    fieldsets = [
        (None, {"fields": ["title", "author_email", "status", "field", "city_names", "support"]}),
        (gettext_lazy("The proposal"), {"fields": ["summary_text", "achieves_text"]}),
        (
            gettext_lazy("What it needs"),
            {"fields": ["needs_text", "budget", "partner_names", "attachment_link"]},
        ),
        (gettext_lazy("Outcome"), {"fields": ["initiative_link"]}),
        (gettext_lazy("Dates"), {"fields": ["created_at", "submitted_at", "decided_at"]}),
    ]
    readonly_fields = [
        "title",
        "author_email",
        "status",
        "field",
        "city_names",
        "support",
        "summary_text",
        "achieves_text",
        "needs_text",
        "budget",
        "partner_names",
        "attachment_link",
        "initiative_link",
        "created_at",
        "submitted_at",
        "decided_at",
    ]

    # Read-only for everyone, superusers included: reviewers decide, the author edits.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return with_support_count(super().get_queryset(request)).prefetch_related("cities")

    @admin.display(description=gettext_lazy("author"), ordering="author__email")
    def author_email(self, proposal):
        return proposal.author.email if proposal.author else _("(account deleted)")

    @admin.display(description=gettext_lazy("sister cities"))
    def city_names(self, proposal):
        return ", ".join(city.name for city in proposal.cities.all())

    @admin.display(description=gettext_lazy("support"), ordering="supports_count")
    def support(self, proposal):
        return proposal.supports_count

    @admin.display(description=gettext_lazy("summary"))
    def summary_text(self, proposal):
        return linebreaksbr(proposal.summary, autoescape=True)

    @admin.display(description=gettext_lazy("what it would achieve"))
    def achieves_text(self, proposal):
        return linebreaksbr(proposal.achieves, autoescape=True)

    @admin.display(description=gettext_lazy("people it needs"))
    def needs_text(self, proposal):
        return linebreaksbr(proposal.needs_people, autoescape=True)

    @admin.display(description=gettext_lazy("partners"))
    def partner_names(self, proposal):
        return ", ".join(str(label) for label in proposal.partner_labels)

    @admin.display(description=gettext_lazy("attachment"))
    def attachment_link(self, proposal):
        return render_to_string("admin/proposals/_attachment.html", {"proposal": proposal})

    @admin.display(description=gettext_lazy("initiative"))
    def initiative_link(self, proposal):
        return render_to_string("admin/proposals/_initiative.html", {"proposal": proposal})

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "decisions": list(DECISIONS.items())
            if proposal is not None and can_decide(proposal, request.user)
            else [],
            "may_start_initiative": proposal is not None
            and proposal.status == Proposal.Status.ACCEPTED
            and not proposal.initiative_id
            and self.has_decide_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def has_decide_permission(self, request):
        return request.user.has_perm("proposals.decide_proposal")

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        start = self.admin_site.admin_view(self.initiative_view)
        return [
            path("<int:pk>/decide/<str:decision>/", decide, name="proposals_proposal_decide"),
            path("<int:pk>/initiative/", start, name="proposals_proposal_initiative"),
            *super().get_urls(),
        ]

    def _page(self, request, template, **context):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, template, context)

    def decide_view(self, request, pk: int, decision: str):
        """Accept, decline or return one proposal, with a note to its author."""
        proposal = get_object_or_404(Proposal, pk=pk)
        if decision not in DECISIONS or not self.has_decide_permission(request):
            raise PermissionDenied
        change = reverse("admin:proposals_proposal_change", args=[pk])
        if not can_decide(proposal, request.user):
            messages.error(request, _("This proposal cannot be decided by you now."))
            return redirect(change)
        form = DecisionForm(request.POST or None, decision=decision)
        if request.method == "POST" and form.is_valid():
            try:
                decide_proposal(
                    proposal=proposal, reviewer=request.user, decision=decision, **form.cleaned_data
                )
            except ProposalError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Decision recorded; the author is being told."))
            return redirect(change)
        label = DECISIONS[decision]
        return self._page(
            request,
            "admin/proposals/decide.html",
            form=form,
            proposal=proposal,
            decision_label=label,
            title=_("%(decision)s: %(proposal)s") % {"decision": label, "proposal": proposal},
        )

    def initiative_view(self, request, pk: int):
        """Start an initiative from an accepted proposal."""
        proposal = get_object_or_404(Proposal, pk=pk)
        if not self.has_decide_permission(request):
            raise PermissionDenied
        form = InitiativeFromProposalForm(request.POST or None, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            try:
                initiative = turn_into_initiative(
                    proposal=proposal, actor=request.user, **form.cleaned_data
                )
            except ProposalError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("The initiative was created; the author is a member of it.")
                )
                return redirect(initiative)
        return self._page(
            request,
            "admin/proposals/initiative.html",
            form=form,
            proposal=proposal,
            title=_("Turn into an initiative: %(proposal)s") % {"proposal": proposal},
        )


@admin.register(ProposalStatusChange)
class ProposalStatusChangeAdmin(admin.ModelAdmin):
    """The decision log, for reading only."""

    list_display = ["created_at", "proposal", "actor", "from_status", "to_status"]
    list_filter = ["to_status", "created_at"]
    list_select_related = ["proposal", "actor"]
    search_fields = ["proposal__title", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
