from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import Agreement, ContactLog, CooperationField, SisterCity
from .validators import validate_agreement_document


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


class DocumentInput(forms.ClearableFileInput):
    """The clearable file box without the link to the file's storage path (never served)."""

    template_name = "admin/sistercities/_document_input.html"


class AgreementForm(forms.ModelForm):
    document = forms.FileField(
        label=_("document (PDF)"),
        required=False,
        validators=[validate_agreement_document],
        widget=DocumentInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    class Meta:
        model = Agreement
        exclude: list[str] = []


AGREEMENT_FIELDS = [
    "title_en",
    "title_fa",
    "kind",
    "signed_on",
    "valid_until",
    "signatories",
    "status",
    "is_public",
    "document",
    "document_public",
    "download",
    "source",
]


def download_link(agreement: Agreement) -> str:
    return render_to_string(
        "admin/sistercities/_agreement_document.html",
        {
            "url": agreement.get_document_url() if agreement.pk and agreement.document else "",
            "public": agreement.downloadable_by_anyone,
        },
    )


class AgreementInline(admin.StackedInline):
    model = Agreement
    form = AgreementForm
    fields = AGREEMENT_FIELDS
    readonly_fields = ["download"]
    extra = 0

    @admin.display(description=_("download"))
    def download(self, agreement):
        return download_link(agreement)


@admin.register(SisterCity)
class SisterCityAdmin(admin.ModelAdmin):
    form = SisterCityForm
    inlines = [AgreementInline, ContactLogInline]
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


class AgreementStateFilter(admin.SimpleListFilter):
    """By the status an agreement has today: set by hand, else given by its dates."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Agreement.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Agreement.Status.values:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    form = AgreementForm
    list_display = ["title_en", "title_fa", "city", "kind", "signed_on", "valid_until", "state"]
    list_filter = [AgreementStateFilter, "kind", "is_public", "document_public", "city"]
    list_select_related = ["city"]
    search_fields = ["title_en", "title_fa", "signatories", "city__name_en", "city__name_fa"]
    date_hierarchy = "valid_until"
    fields = ["city", *AGREEMENT_FIELDS]
    readonly_fields = ["download"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    @admin.display(description=_("status"), ordering="state")
    def state(self, agreement):
        return Agreement.Status(agreement.state).label

    @admin.display(description=_("download"))
    def download(self, agreement):
        return download_link(agreement)
