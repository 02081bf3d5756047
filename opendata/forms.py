from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diplomacy_portal.forms import CalendarDateField
from diplomacy_portal.vocabulary import CooperationField
from initiatives.forms import InitiativeFilterForm
from initiatives.models import Initiative
from sistercities.models import Agreement, SisterCity


def _blank(choices):
    return [("", "-"), *choices]


class CityFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(choices=_blank(SisterCity.Status.choices), required=False)
    field = forms.ChoiceField(choices=_blank(CooperationField.choices), required=False)


class DatesForm(forms.Form):
    # ISO dates only: the API's readers are programs, which write no Solar Hijri dates.
    starts_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    starts_until = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


class InitiativeApiFilterForm(InitiativeFilterForm, DatesForm):
    pass


class MeetingFilterForm(DatesForm):
    city = forms.ModelChoiceField(
        queryset=SisterCity.objects.all(), to_field_name="slug", required=False
    )
    initiative = forms.ModelChoiceField(
        queryset=Initiative.objects.all(), to_field_name="slug", required=False
    )


class AgreementFilterForm(forms.Form):
    city = forms.ModelChoiceField(
        queryset=SisterCity.objects.all(), to_field_name="slug", required=False
    )
    kind = forms.ChoiceField(choices=_blank(Agreement.Kind.choices), required=False)
    status = forms.ChoiceField(choices=_blank(Agreement.Status.choices), required=False)


class ProposalFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    city = forms.ModelChoiceField(
        queryset=SisterCity.objects.all(), to_field_name="slug", required=False
    )
    field = forms.ChoiceField(choices=_blank(CooperationField.choices), required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the newsroom's map of sister cities."),
    )
    expires_on = CalendarDateField(
        label=_("Expires"),
        required=False,
        help_text=_("Optional: the last day the token works. Empty: until you revoke it."),
    )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return expires_on
