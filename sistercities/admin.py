from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CooperationField, SisterCity


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


@admin.register(SisterCity)
class SisterCityAdmin(admin.ModelAdmin):
    form = SisterCityForm
    list_display = ["name_en", "name_fa", "country_en", "established_year", "status"]
    list_filter = ["status", "country_en"]
    search_fields = ["name_en", "name_fa", "country_en", "country_fa"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "name_en", "name_fa", "status", "established_year"]}),
        (_("Country"), {"fields": ["country_en", "country_fa", "country_code"]}),
        (_("Location"), {"fields": ["latitude", "longitude"]}),
        (_("Cooperation"), {"fields": ["cooperation_fields", "description_en", "description_fa"]}),
        (
            _("Partner-side contact"),
            {"fields": ["partner_contact_name", "partner_contact_email", "partner_contact_public"]},
        ),
        (_("Sources"), {"fields": ["source"]}),
    ]
