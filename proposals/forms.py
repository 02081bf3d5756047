from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from citizens.roles import INITIATIVE_COORDINATORS
from citizens.validators import validate_pdf
from diplomacy_portal.vocabulary import CooperationField
from sistercities.models import SisterCity

from .models import MAX_NEEDS, MAX_TEXT, Partner, Proposal
from .services import NOTE_REQUIRED, suspended_cities

MIN_SUMMARY = 30


def validate_attachment(upload) -> None:
    """The application's checks on a CV (citizens.validators), said of an attachment: the size
    and virus messages are the same; any other refusal of the PDF itself is told in one way."""
    try:
        validate_pdf(upload)
    except ValidationError as error:
        if error.code in ("too_large", "virus", "scanner_unavailable"):
            raise
        if error.code == "not_pdf":
            raise ValidationError(
                _("The attachment must be a PDF document."), code="not_pdf"
            ) from None
        raise ValidationError(
            _(
                "The attachment cannot be accepted as it is: it is protected, too long, or holds "
                "more than text and pictures (scripts, attached files, actions, forms). Print it "
                "to a new PDF (“Print to PDF”) and upload that copy."
            ),
            code=error.code,
        ) from None


class CityField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, city):
        if city.status == SisterCity.Status.SUSPENDED:
            return _("%(city)s (relation suspended)") % {"city": city.name}
        return city.name


class ProposalForm(forms.ModelForm):
    cities = CityField(
        label=_("Sister cities"),
        queryset=SisterCity.objects.order_by("name_en"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more."),
    )
    partners = forms.MultipleChoiceField(
        label=_("Partners it needs"),
        choices=Partner.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF, optional)"),
        required=False,
        validators=[validate_attachment],
        help_text=_("Seen only by you and the staff who review proposals."),
        # A plain file box: a "clearable" one would link to the storage path, never served.
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "cities",
            "field",
            "summary",
            "achieves",
            "needs_people",
            "budget",
            "partners",
            "attachment",
        ]
        labels = {
            "title": _("Title"),
            "field": _("Field of cooperation"),
            "summary": _("Summary"),
            "achieves": _("What it would achieve"),
            "needs_people": _("People it needs"),
            "budget": _("Budget"),
        }
        help_texts = {
            "summary": _("What you propose, in a few paragraphs, in Persian or English."),
            "needs_people": _("Who would do the work: volunteers, experts, the city's staff."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 200}),
            "summary": forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
            "achieves": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
            "needs_people": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NEEDS}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("The proposal"), "title", "cities", "field", "summary", "achieves"),
            Fieldset(_("What it needs"), "needs_people", "budget", "partners"),
            Fieldset(_("Documents"), "attachment"),
        )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if len(summary) < MIN_SUMMARY:
            raise forms.ValidationError(
                _("Please say a little more: at least %(count)s characters.")
                % {"count": MIN_SUMMARY}
            )
        return summary

    def clean_achieves(self):
        return self.cleaned_data["achieves"].strip()

    def clean_cities(self):
        cities = self.cleaned_data["cities"]
        suspended = suspended_cities(cities)
        if suspended:
            raise forms.ValidationError(
                _(
                    "The relation with %(cities)s is suspended: the city takes no proposals for "
                    "it until the relation is resumed."
                )
                % {"cities": ", ".join(city.name for city in suspended)}
            )
        return cities


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city = forms.ModelChoiceField(
        label=_("Sister city"),
        queryset=SisterCity.objects.order_by("name_en"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("Any")), *CooperationField.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Any")),
            *[(value, label) for value, label in Proposal.Status.choices if value != "draft"],
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].label_from_instance = lambda city: city.name
        for name in ("city", "field", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {**self.cleaned_data, "q": self.cleaned_data["q"].strip()}


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent to the author with the decision; required to decline or ask for changes."
        ),
    )

    def __init__(self, *args, decision: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        if decision in NOTE_REQUIRED:
            self.fields["note"].required = True


class InitiativeFromProposalForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fa = forms.CharField(label=_("Title (Persian)"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"), max_length=80, help_text=_("The end of the initiative's web address.")
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title_en": proposal.title,
                "title_fa": proposal.title,
                "slug": slugify(proposal.title)[:60] or f"proposal-{proposal.pk}",
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = get_user_model().objects.filter(
            groups__name=INITIATIVE_COORDINATORS, is_active=True
        )
