import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diplomacy_portal import l10n
from diplomacy_portal.forms import CalendarDateField
from diplomacy_portal.vocabulary import CooperationField

from .models import Delivery, DiplomatApplication, LanguageSkill, ReminderLead, User
from .services.applications import REQUIRED_FOR_SUBMISSION, adult_cut_off
from .validators import validate_pdf, validate_photo

LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")
PHONE = re.compile(r"^\+?[0-9]{7,15}$")
MIN_MOTIVATION = 50


class CityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, city):
        return city.name


class ApplicationForm(forms.ModelForm):
    """The application. Saving a draft checks only what was typed; submitting (complete=True)
    also requires everything the staff need to decide."""

    date_of_birth = CalendarDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Year-month-day; a Solar Hijri date such as 1370/05/12 is understood too."),
    )
    district = forms.TypedChoiceField(
        label=_("City district"), coerce=int, required=False, empty_value=None
    )
    fields_of_expertise = forms.MultipleChoiceField(
        label=_("Fields of expertise"),
        choices=CooperationField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_cities = CityChoiceField(
        label=_("Preferred sister cities"),
        # Through the application's own relation: citizens import no other app.
        queryset=DiplomatApplication.preferred_cities.field.related_model.objects.order_by(
            "name_en"
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours a month you can give"), min_value=1, max_value=200, required=False
    )
    cv = forms.FileField(
        label=_("CV (PDF)"),
        required=False,
        validators=[validate_pdf],
        # A plain file box: a "clearable" one would link to the file's storage path, which is
        # never served; the form's page links to the stored documents itself.
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        required=False,
        validators=[validate_photo],
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    class Meta:
        model = DiplomatApplication
        fields = [
            "full_name_fa",
            "full_name_latin",
            "date_of_birth",
            "phone",
            "district",
            "occupation",
            "education",
            "fields_of_expertise",
            "preferred_cities",
            "motivation",
            "hours_per_month",
            "cv",
            "photo",
        ]
        labels = {
            "full_name_fa": _("Full name in Persian"),
            "full_name_latin": _("Full name in Latin letters"),
            "phone": _("Phone"),
            "occupation": _("Occupation"),
            "education": _("Education"),
            "motivation": _("Why do you want to be a citizen diplomat?"),
        }
        help_texts = {
            "full_name_latin": _("As in your passport, e.g. Sara Ahmadi."),
            "phone": _("Digits only, with the country code if outside Iran, e.g. 09131234567."),
        }
        widgets = {
            "full_name_fa": forms.TextInput(attrs={"dir": "rtl", "lang": "fa"}),
            "full_name_latin": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "phone": forms.TextInput(
                attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}
            ),
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        }

    def __init__(self, *args, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete
        self.fields["district"].choices = [("", "---------")] + [
            (number, _("District %(number)s") % {"number": l10n.digits(number)})
            for number in range(1, settings.HOME_CITY["districts"] + 1)
        ]
        if complete:
            for name in REQUIRED_FOR_SUBMISSION + ["preferred_cities"]:
                self.fields[name].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "full_name_fa",
                "full_name_latin",
                "date_of_birth",
                "phone",
                "district",
                "occupation",
                "education",
            ),
            Fieldset(_("What you bring"), "fields_of_expertise", "hours_per_month"),
            Fieldset(_("Sister cities"), "preferred_cities"),
            Fieldset(_("Motivation"), "motivation"),
            Fieldset(_("Documents"), "cv", "photo"),
        )

    def clean_full_name_latin(self):
        name = " ".join(self.cleaned_data["full_name_latin"].split())
        if name and not LATIN_NAME.match(name):
            raise forms.ValidationError(_("Use Latin letters only, as in your passport."))
        return name

    def clean_full_name_fa(self):
        return " ".join(self.cleaned_data["full_name_fa"].split())

    def clean_phone(self):
        phone = re.sub(r"[\s()-]", "", l10n.western_digits(self.cleaned_data["phone"]))
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter 7 to 15 digits, optionally starting with +."))
        return phone

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is None:
            return born
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born > adult_cut_off():
            raise forms.ValidationError(
                _("Citizen diplomats must be at least %(age)s years old.")
                % {"age": l10n.digits(settings.MINIMUM_APPLICANT_AGE)}
            )
        return born

    def clean_motivation(self):
        motivation = self.cleaned_data["motivation"].strip()
        if self.complete and len(motivation) < MIN_MOTIVATION:
            raise forms.ValidationError(
                _("Please tell us a little more: at least %(count)s characters.")
                % {"count": l10n.digits(MIN_MOTIVATION)}
            )
        return motivation


class BaseLanguageFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data["language"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # Rows already saved but not in this form (another tab changed them) count too.
        shown = {form.instance.pk for form in self.forms if form.instance.pk}
        if self.instance.pk:
            kept += [
                skill.language for skill in self.instance.languages.all() if skill.pk not in shown
            ]
        if len(kept) != len(set(kept)):
            raise forms.ValidationError(_("List each language only once."))
        if self.complete and not kept:
            raise forms.ValidationError(_("Add at least one language you speak."))


class LanguageSkillForm(forms.ModelForm):
    class Meta:
        model = LanguageSkill
        fields = ["language", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Alphabetical in the reader's language.
        self.fields["language"].choices = [("", "---------")] + sorted(
            ((code, str(name)) for code, name in LanguageSkill.LANGUAGE_CHOICES),
            key=lambda choice: choice[1],
        )


LanguageFormSet = inlineformset_factory(
    DiplomatApplication,
    LanguageSkill,
    form=LanguageSkillForm,
    formset=BaseLanguageFormSet,
    fields=["language", "level"],
    extra=2,
    max_num=10,
    validate_max=True,
    can_delete=True,
)


class ProfileForm(forms.ModelForm):
    # The page writes {{ profile }}: that renders it through crispy-forms like the others.
    template_name = "forms/bootstrap.html"

    preferred_language = forms.ChoiceField(
        label=_("Language of pages and e-mails"), choices=settings.LANGUAGES
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class NoticePreferencesForm(forms.Form):
    """For each topic of notices, how it reaches the person; and when their digest comes."""

    digest_hour = forms.TypedChoiceField(
        label=_("Send my daily digest at"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        help_text=_("In the portal's time zone. A day without notices sends no digest."),
    )
    reminder_leads = forms.TypedMultipleChoiceField(
        label=_("Remind me of a meeting"),
        coerce=int,
        choices=ReminderLead.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick none to get no reminders. A meeting's coordinator may choose for everyone."
        ),
    )

    def __init__(self, *args, user: User, topics: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[topic.value] = forms.ChoiceField(
                label=topic.label,
                choices=Delivery.choices,
                initial=user.notice_delivery.get(topic.value, Delivery.AT_ONCE),
                widget=forms.RadioSelect,
            )
        self.fields["digest_hour"].initial = user.digest_hour
        self.fields["reminder_leads"].initial = user.reminder_leads
        self.order_fields([topic.value for topic in topics] + ["digest_hour", "reminder_leads"])

    def choices(self) -> dict[str, str]:
        return {topic.value: self.cleaned_data[topic.value] for topic in self.topics}
