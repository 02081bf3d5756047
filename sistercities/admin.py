from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ContactLog, CooperationField, SisterCity


class SisterCityForm(forms.ModelForm):
    # A box per field rather than Postgres array syntax typed by hand.
    cooperation_fields = forms.MultipleChoiceField(
        label=_("cooperation fields"),
        choices=CooperationField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SisterCity
        exclude: list[str] = []


# Stacked, not tabular: a table's column headings do not label its inputs for screen readers.
class ContactLogInline(admin.StackedInline):
    model = ContactLog
    fields = ["date", "kind", "note", "created_by"]
    readonly_fields = ["created_by"]
    extra = 1


@admin.register(SisterCity)
class SisterCityAdmin(admin.ModelAdmin):
    form = SisterCityForm
    inlines = [ContactLogInline]
    list_display = ["name_en", "name_fa", "country_en", "established_year", "status"]
    list_filter = ["status", "country_en"]
    search_fields = ["name_en", "name_fa", "country_en", "country_fa"]
    prepopulated_fields = {"slug": ["name_en"]}
    # Written by the daily fading check, from the city's activity; never typed.
    readonly_fields = ["fading_since"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "name_en",
                    "name_fa",
                    "status",
                    "established_year",
                    "fading_since",
                ]
            },
        ),
        (_("Country"), {"fields": ["country_en", "country_fa", "country_code"]}),
        (_("Location"), {"fields": ["latitude", "longitude"]}),
        (_("Cooperation"), {"fields": ["cooperation_fields", "description_en", "description_fa"]}),
        (
            _("Partner-side contact"),
            {"fields": ["partner_contact_name", "partner_contact_email", "partner_contact_public"]},
        ),
        (_("Sources"), {"fields": ["source"]}),
    ]

    def save_formset(self, request, form, formset, change):
        contacts = formset.save(commit=False)
        for contact in formset.deleted_objects:
            contact.delete()
        for contact in contacts:
            # Who logged a contact is recorded, never typed; editing it later keeps the logger.
            if isinstance(contact, ContactLog) and contact._state.adding:
                contact.created_by = request.user
            contact.save()
        formset.save_m2m()


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["date", "city", "kind", "note", "created_by"]
    list_filter = ["kind", "date", "city"]
    list_select_related = ["city", "created_by"]
    search_fields = ["note", "city__name_en", "city__name_fa"]
    date_hierarchy = "date"
    # The city is a plain select (the list is short): the admin's autocomplete box has no
    # accessible name.
    fields = ["city", "date", "kind", "note", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
