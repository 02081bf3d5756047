from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizens.roles import INITIATIVE_COORDINATORS

from .access import sees_all
from .models import CalendarReply, Initiative, Invitation, Meeting, Membership


class MembershipInline(admin.TabularInline):
    """Read-only here: joining and its answers go through the portal, which tells people."""

    model = Membership
    fields = ["user", "state", "requested_at", "decided_at", "left_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        exclude: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "coordinator" in self.fields:
            self.fields["coordinator"].queryset = get_user_model().objects.filter(
                groups__name=INITIATIVE_COORDINATORS
            )


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    """Coordinators see and edit only the initiatives they coordinate; staff see all."""

    form = InitiativeForm
    list_display = ["title_en", "title_fa", "field", "status", "coordinator", "starts_on"]
    list_filter = ["status", "field", "cities"]
    list_select_related = ["coordinator"]
    search_fields = ["title_en", "title_fa", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    # Checkboxes rather than Django's two-box chooser, whose icons carry ARIA that screen
    # readers are not allowed to be given (axe: aria-prohibited-attr).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["slug", "title_en", "title_fa", "field", "status", "coordinator"]}),
        (_("Sister cities"), {"fields": ["cities"]}),
        (_("Description"), {"fields": ["description_en", "description_fa"]}),
        (_("Dates"), {"fields": ["starts_on", "ends_on"]}),
    ]

    def get_queryset(self, request):
        initiatives = super().get_queryset(request)
        if sees_all(request.user):
            return initiatives
        return initiatives.filter(coordinator=request.user)

    def get_readonly_fields(self, request, obj=None):
        # A coordinator cannot hand an initiative to someone else: staff decide who runs what.
        return [] if sees_all(request.user) else ["coordinator"]

    def save_model(self, request, obj, form, change):
        if not change and not sees_all(request.user):
            obj.coordinator = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the portal's pages, whose services send the calendar updates."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "status", "initiative", "city"]
    list_filter = ["status", "kind"]
    list_select_related = ["initiative", "city"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        meetings = super().get_queryset(request)
        if sees_all(request.user):
            return meetings
        return meetings.filter(initiative__coordinator=request.user) | meetings.filter(
            initiative__isnull=True, organiser=request.user
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "invitee", "state", "sent_at", "responded_at", "email_status"]
    list_filter = ["state"]
    list_select_related = ["meeting", "invitee", "email"]
    search_fields = ["invitee__email", "meeting__title"]

    @admin.display(description=_("e-mail"), ordering="email__status")
    def email_status(self, invitation):
        """The latest e-mail's delivery; failures are listed with every other e-mail's."""
        return invitation.email.get_status_display() if invitation.email else "—"

    def get_queryset(self, request):
        invitations = super().get_queryset(request)
        if sees_all(request.user):
            return invitations
        return invitations.filter(meeting__initiative__coordinator=request.user) | (
            invitations.filter(meeting__initiative__isnull=True, meeting__organiser=request.user)
        )


@admin.register(CalendarReply)
class CalendarReplyAdmin(ReadOnlyAdmin):
    """Answers read from the calendar reply mailbox, those that changed nothing included."""

    list_display = ["received_at", "sender", "method", "answer", "outcome", "invitation"]
    list_filter = ["outcome", "method"]
    list_select_related = ["invitation__meeting", "invitation__invitee"]
    search_fields = ["sender", "attendee", "uid", "subject"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "sender",
        "subject",
        "method",
        "uid",
        "attendee",
        "answer",
        "comment",
        "outcome",
        "detail",
        "invitation",
        "raw",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        replies = super().get_queryset(request)
        if sees_all(request.user):
            return replies
        # A coordinator sees the answers to their own meetings.
        return replies.filter(invitation__meeting__initiative__coordinator=request.user)
