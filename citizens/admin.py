from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import admin_applications  # noqa: F401  (registers the review queue)
from .models import Notification, OutgoingEmail, User
from .roles import ROLES

# Django stores permission names in English; the portal shows them in the reader's language.
PERMISSION_ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


def role_label(group) -> str:
    """A role (a group) by its name in the reader's language."""
    return str(ROLES.get(group.name, group.name))


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    # Another app's own permission may read like Django's ("decide_proposal"): only Django's
    # four actions are named here.
    if (
        model is not None
        and action in PERMISSION_ACTIONS
        and permission.codename == f"{action}_{model._meta.model_name}"
    ):
        name = PERMISSION_ACTIONS[action] % {"thing": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


class RoleFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return [(pk, str(ROLES.get(name, name))) for pk, name in choices]


class PasswordSummary(ReadOnlyPasswordHashWidget):
    """Django's summary of the stored password, without the attributes a <div> cannot have
    (disabled, and a description whose element the admin never renders)."""

    def get_context(self, name, value, attrs):
        attrs = {
            k: v for k, v in (attrs or {}).items() if k not in ("disabled", "aria-describedby")
        }
        return super().get_context(name, value, attrs)


class UserForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget = PasswordSummary()


class PasswordForm(AdminPasswordChangeForm):
    """Django's, with its help text translated and valid inside the admin's paragraph (the
    warning keeps the id that Django's stylesheet shows and hides)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{} <span id="id_unusable_warning" class="messagelist">{}</span>',
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserForm
    change_password_form = PasswordForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "diplomat_since"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("groups", RoleFilter)]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (_("Programme"), {"fields": ["diplomat_since"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    readonly_fields = ["diplomat_since", "last_login", "date_joined"]

    # Boxes for the few roles and a plain list for permissions: the admin's two-pane widget
    # gives its search boxes ARIA labels that their elements may not have.
    filter_horizontal = []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = role_label
            # The admin gives a group of boxes' help text no id, so the boxes could not point
            # to it; the roles' names say enough.
            field.help_text = ""
        elif db_field.name == "user_permissions":
            field.label_from_instance = permission_label
        return field


class EmailKindFilter(admin.SimpleListFilter):
    """Notices, or a meeting's e-mails by what their calendar file asks of the calendar."""

    title = _("kind of e-mail")
    parameter_name = "kind"
    KINDS = {
        "notice": ("", _("Notice")),
        "invitation": ("REQUEST", _("Meeting invitation or update")),
        "cancellation": ("CANCEL", _("Meeting cancellation")),
    }

    def lookups(self, request, model_admin):
        return [(kind, label) for kind, (_method, label) in self.KINDS.items()]

    def queryset(self, request, queryset):
        if self.value() in self.KINDS:
            return queryset.filter(calendar_method=self.KINDS[self.value()][0])
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: staff see what was sent and what failed, notices and meeting e-mails alike
    (the one outbox); nobody rewrites it."""

    list_display = [
        "to",
        "subject",
        "status",
        "calendar_method",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", EmailKindFilter]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was put in whose inbox, and whether its e-mail went out."""

    list_display = ["created_at", "recipient", "kind", "read_at", "email_status"]
    list_filter = ["kind", "email__status"]
    list_select_related = ["recipient", "email"]
    search_fields = ["recipient__email"]
    date_hierarchy = "created_at"

    @admin.display(description=_("e-mail"), ordering="email__status")
    def email_status(self, notification):
        return notification.email.get_status_display() if notification.email else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
