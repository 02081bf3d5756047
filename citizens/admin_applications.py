"""The municipal staff's review queue: applications are read here and decided, never edited."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diplomacy_portal import l10n
from diplomacy_portal.vocabulary import CooperationField

from .admin_queue import (
    STATUS_COUNTS_SECONDS,
    ApplicationQueue,
    CountedPaginator,
    FieldOfExpertiseFilter,
    LanguageFilter,
    PreferredCityFilter,
    StatusFilter,
    counts_by_status,
)
from .models import ApplicationStatusChange, DiplomatApplication
from .services.applications import (
    DECISIONS,
    NOTE_NEEDED_FOR_CHANGES,
    ApplicationError,
    can_decide,
    decide_application,
)

Status = DiplomatApplication.Status


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent to the applicant with the decision."),
    )
    internal_note = forms.CharField(
        label=gettext_lazy("Internal note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Seen by staff only."),
    )

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean_note(self):
        note = self.cleaned_data["note"]
        if self.decision == "request_changes" and not note.strip():
            raise forms.ValidationError(NOTE_NEEDED_FOR_CHANGES)
        return note


class StatusHistoryInline(admin.TabularInline):
    model = ApplicationStatusChange
    fields = [
        "created_at",
        "actor",
        "from_status",
        "to_status",
        "note_to_applicant",
        "internal_note",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Status history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DiplomatApplication)
class DiplomatApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "display_name",
        "applicant_email",
        "status",
        "submitted_at",
        "waiting",
        "expertise",
        "hours_per_month",
    ]
    list_select_related = ["user"]
    list_filter = [
        StatusFilter,
        FieldOfExpertiseFilter,
        PreferredCityFilter,
        LanguageFilter,
        "submitted_at",
    ]
    search_fields = ["full_name_fa", "full_name_latin", "user__email", "phone"]
    # Newest submission first: what came in since staff last looked is on top; the age column
    # shows how long each has waited. Drafts, never submitted, last.
    ordering = [F("submitted_at").desc(nulls_last=True), "-pk"]
    # The page's own count is enough; a second count of every application is not worth it.
    show_full_result_count = False
    actions = ["approve_selected", "reject_selected", "request_changes_selected"]
    inlines = [StatusHistoryInline]
    fieldsets = [
        (
            gettext_lazy("Applicant"),
            {
                "fields": [
                    "applicant_email",
                    "status",
                    "full_name_fa",
                    "full_name_latin",
                    "born",
                    "phone",
                    "district",
                    "occupation",
                    "education",
                ]
            },
        ),
        (
            gettext_lazy("Programme"),
            {
                "fields": [
                    "expertise",
                    "cities",
                    "languages_spoken",
                    "hours_per_month",
                    "motivation_text",
                ]
            },
        ),
        (gettext_lazy("Documents"), {"fields": ["documents"]}),
        (gettext_lazy("Dates"), {"fields": ["created_at", "submitted_at", "decided_at"]}),
    ]
    readonly_fields = [
        "applicant_email",
        "status",
        "full_name_fa",
        "full_name_latin",
        "born",
        "phone",
        "district",
        "occupation",
        "education",
        "expertise",
        "cities",
        "languages_spoken",
        "hours_per_month",
        "motivation_text",
        "documents",
        "created_at",
        "submitted_at",
        "decided_at",
    ]

    # Read-only for everyone, superusers included: staff decide, the applicant edits.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("citizens.decide_application")

    # The queue's rows are written by queue_rows.html; these name its columns.
    @admin.display(description=gettext_lazy("photo"))
    def thumbnail(self, application):
        return ""

    @admin.display(description=gettext_lazy("waiting"))
    def waiting(self, application):
        return ""

    @admin.display(description=gettext_lazy("name"), ordering="full_name_latin")
    def display_name(self, application):
        return application.display_name

    @admin.display(description=gettext_lazy("e-mail"), ordering="user__email")
    def applicant_email(self, application):
        return application.user.email if application.user else _("(account deleted)")

    @admin.display(description=gettext_lazy("date of birth"))
    def born(self, application):
        return l10n.format_date(application.date_of_birth)

    @admin.display(description=gettext_lazy("fields of expertise"))
    def expertise(self, application):
        labels = dict(CooperationField.choices)
        return ", ".join(str(labels.get(field, field)) for field in application.fields_of_expertise)

    @admin.display(description=gettext_lazy("preferred sister cities"))
    def cities(self, application):
        return ", ".join(city.name for city in application.preferred_cities.all())

    @admin.display(description=gettext_lazy("languages spoken"))
    def languages_spoken(self, application):
        return ", ".join(str(skill) for skill in application.languages.all())

    @admin.display(description=gettext_lazy("motivation"))
    def motivation_text(self, application):
        return linebreaksbr(application.motivation, autoescape=True)

    @admin.display(description=gettext_lazy("documents"))
    def documents(self, application):
        links = [
            (reverse("citizens:application-document", args=[application.public_id, name]), label)
            for name, label in (("cv", _("CV (PDF)")), ("photo", _("Photo")))
            if getattr(application, name)
        ]
        return render_to_string(
            "admin/citizens/_application_documents.html",
            {"documents": links, "scanned": bool(settings.CLAMD_SOCKET)},
        )

    def changelist_view(self, request, extra_context=None):
        counts = cache.get_or_set(
            "review-queue-status-counts", counts_by_status, STATUS_COUNTS_SECONDS
        )
        request.application_counts = counts  # read again by get_paginator below
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0))
                for value, label in DiplomatApplication.Status.choices
            ],
            "status_total": sum(counts.values()),
        }
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)  # an action may answer a redirect
        if context and "cl" in context:
            context.update(self._rows_context(context["cl"]))
        return response

    def _rows_context(self, cl) -> dict:
        """The queue's rows as queue_rows.html writes them out."""
        labels = dict(CooperationField.choices)
        headers = list(result_headers(cl))
        now = timezone.now()
        return {
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "selectable": "action_checkbox" in cl.list_display,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "rows": [
                (
                    a,
                    ", ".join(str(labels.get(f, f)) for f in a.fields_of_expertise),
                    (now - a.submitted_at).days if a.status == Status.SUBMITTED else None,
                )
                for a in cl.result_list
            ],
        }

    def get_changelist(self, request, **kwargs):
        return ApplicationQueue

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The counts by status already tell how many applications the unfiltered queue, or the
        # queue of one status, holds: a second count would read the whole index again.
        counts = getattr(request, "application_counts", None)
        known = None
        filters = set(request.GET) - {ORDER_VAR, PAGE_VAR, StatusFilter.parameter_name}
        status = request.GET.get(StatusFilter.parameter_name, StatusFilter.WAITING)
        if counts is not None and not filters:
            if status == StatusFilter.EVERY:
                known = sum(counts.values())
            elif status in DiplomatApplication.Status.values:
                known = counts.get(status, 0)
        if known is not None and known <= per_page:
            # A queue that fits on one page is shown whole: counted exactly, as the counts may
            # be half a minute old.
            known = None
        return CountedPaginator(
            queryset, per_page, orphans, allow_empty_first_page, known_count=known
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        decisions = []
        if application is not None and can_decide(application, request.user):
            decisions = [(name, label) for name, label in DECISIONS.items()]
        extra_context = {**(extra_context or {}), "decisions": decisions}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path(
                "<int:pk>/decide/<str:decision>/",
                decide,
                name="citizens_diplomatapplication_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int, decision: str):
        """Approve, reject or return one application, with notes."""
        application = get_object_or_404(DiplomatApplication, pk=pk)
        if decision not in DECISIONS or not self.has_decide_permission(request):
            raise PermissionDenied
        if not can_decide(application, request.user):
            messages.error(request, _("This application cannot be decided by you now."))
            return redirect("admin:citizens_diplomatapplication_change", pk)
        form = DecisionForm(request.POST or None, decision=decision)
        if request.method == "POST" and form.is_valid():
            try:
                decide_application(
                    application=application,
                    reviewer=request.user,
                    decision=decision,
                    **form.cleaned_data,
                )
            except ApplicationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Decision recorded; the applicant is being told."))
            return redirect("admin:citizens_diplomatapplication_change", pk)
        return self._decision_page(request, form, decision, [application])

    def _decision_page(self, request, form, decision, applications, action=""):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "decision": decision,
            "decision_label": DECISIONS[decision],
            "applications": applications,
            "action": action,
            "title": _("%(decision)s: %(count)s application(s)")
            % {"decision": DECISIONS[decision], "count": l10n.digits(len(applications))},
        }
        return TemplateResponse(request, "admin/citizens/decide.html", context)

    def _decide_selected(self, request, queryset, decision: str):
        eligible = [a for a in queryset.select_related("user") if can_decide(a, request.user)]
        skipped = queryset.count() - len(eligible)
        form = DecisionForm(request.POST if "confirm" in request.POST else None, decision=decision)
        if not eligible:
            messages.warning(
                request,
                _(
                    "None of the selected applications can be decided by "
                    "you now (only submitted ones, and never your own)."
                ),
            )
            return None
        if not form.is_bound or not form.is_valid():
            return self._decision_page(
                request, form, decision, eligible, action=f"{decision}_selected"
            )
        done = 0
        for application in eligible:
            try:
                decide_application(
                    application=application,
                    reviewer=request.user,
                    decision=decision,
                    **form.cleaned_data,
                )
                done += 1
            except ApplicationError:
                skipped += 1
        messages.success(
            request,
            _("%(done)s decided; %(skipped)s skipped.")
            % {"done": l10n.digits(done), "skipped": l10n.digits(skipped)},
        )
        return None

    @admin.action(
        description=gettext_lazy("Approve the selected applications"), permissions=["decide"]
    )
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "approve")

    @admin.action(
        description=gettext_lazy("Reject the selected applications"), permissions=["decide"]
    )
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "reject")

    @admin.action(
        description=gettext_lazy("Request changes to the selected applications"),
        permissions=["decide"],
    )
    def request_changes_selected(self, request, queryset):
        return self._decide_selected(request, queryset, "request_changes")


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(admin.ModelAdmin):
    """The decision log, for reading only."""

    list_display = ["created_at", "application", "actor", "from_status", "to_status"]
    list_filter = ["to_status", "created_at"]
    list_select_related = ["application", "actor"]
    search_fields = ["application__full_name_latin", "application__full_name_fa", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
