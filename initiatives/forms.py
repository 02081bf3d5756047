import datetime
import functools
import re
import zoneinfo

from django import forms
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from citizens.models import LanguageSkill, ReminderLead, User
from diplomacy_portal import l10n
from diplomacy_portal.forms import CalendarDateField
from diplomacy_portal.vocabulary import CooperationField

from .models import Initiative, Invitation, Meeting
from .services.initiatives import DETAILS as INITIATIVE_DETAILS
from .services.initiatives import SLUG_LENGTH, initiative_problems, suggest_slug
from .services.meetings import meeting_problems
from .services.messages import MAX_BODY, MAX_NOTE, MAX_SUBJECT


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, city):
        return city.name


class CitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, city):
        if city.status == city.Status.SUSPENDED:
            return gettext("%(city)s (relation suspended)") % {"city": city.name}
        return city.name


class InitiativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, initiative):
        return initiative.title


def _cities():
    # Through the initiative's own relation: the sister cities' app builds on this one, never
    # the other way (docs/architecture.md, "Layers").
    return Initiative.cities.field.related_model.objects.order_by("name_en")


ANY = _("Any")


def _blank(choices):
    return [("", ANY), *choices]


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city = CityChoiceField(
        label=_("Sister city"),
        queryset=_cities(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    field = forms.ChoiceField(
        label=_("Field"), choices=_blank(CooperationField.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(Initiative.Status.choices), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("city", "field", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"


class InitiativeForm(forms.Form):
    """An initiative's details, in both languages; its dates may be typed in the Solar Hijri
    calendar. The address is made from the title when left empty."""

    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_fa = forms.CharField(label=_("Title in Persian"), max_length=200, required=False)
    slug = forms.CharField(
        label=_("Address"),
        max_length=SLUG_LENGTH,
        required=False,
        help_text=_(
            "The end of the initiative’s web address: lower-case Latin letters, digits and "
            "hyphens. Leave it empty to make it from the title."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "off"}),
    )
    cities = CitiesField(
        label=_("Sister cities"),
        queryset=_cities(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one sister city.")},
    )
    field = forms.ChoiceField(label=_("Field of cooperation"), choices=CooperationField.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=Initiative.Status.choices, initial=Initiative.Status.PROPOSED
    )
    starts_on = CalendarDateField(
        label=_("Starts on"),
        required=False,
        help_text=_("Year-month-day; a Solar Hijri date such as 1405/09/15 is understood too."),
    )
    ends_on = CalendarDateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Optional; not before the start."),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
    )
    description_fa = forms.CharField(
        label=_("Description in Persian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "rtl"}),
    )

    def __init__(self, *args, initiative: Initiative | None = None, **kwargs):
        self.initiative = initiative
        if initiative is not None:
            kwargs.setdefault("initial", self.initial_for(initiative))
        super().__init__(*args, **kwargs)
        self.fields["title_en"].widget.attrs["dir"] = "ltr"
        self.fields["title_fa"].widget.attrs["dir"] = "rtl"
        for name in ("starts_on", "ends_on"):
            # static/js/date_picker.js offers the calendar of the page's language.
            self.fields[name].widget.attrs["data-date-picker"] = ""

    @staticmethod
    def initial_for(initiative: Initiative) -> dict:
        return {
            **{name: getattr(initiative, name) for name in INITIATIVE_DETAILS},
            "cities": list(initiative.cities.all()),
        }

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()

    def clean(self):
        data = super().clean()
        if not (data.get("title_en") or data.get("title_fa")):
            # The page shows the title in the reader's language, else in the other one.
            self.add_error("title_en", _("Give a title in English, in Persian, or both."))
        elif not data.get("slug"):
            data["slug"] = suggest_slug(
                title_en=data.get("title_en", ""),
                title_fa=data.get("title_fa", ""),
                initiative=self.initiative,
            )
            # Shown in the form if anything else is wrong, so the address is seen before it
            # is kept.
            self.data = self.data.copy()
            self.data["slug"] = data["slug"]
        for field, message in initiative_problems(
            slug=data.get("slug", ""),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            cities=list(data.get("cities") or []),
            initiative=self.initiative,
        ):
            if field != "cities" or "cities" in data:
                self.add_error(field, message)
        return data

    def details(self) -> dict:
        """What the initiative services take, besides the cities."""
        return {name: self.cleaned_data[name] for name in INITIATIVE_DETAILS}


# Staff may schedule for every initiative, thousands of them: past this many, the list holds
# those a search finds (or the most recently changed) and the one chosen.
INITIATIVES_LISTED = 50


class FindInitiativeForm(forms.Form):
    """The search above the meeting form when there are too many initiatives to list."""

    find = forms.CharField(label=_("Find an initiative"), required=False, max_length=100)

    def words(self) -> str:
        return self.cleaned_data["find"].strip() if self.is_valid() else ""


@functools.cache
def _time_zones() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class MeetingForm(forms.Form):
    """A meeting's details; the day may be typed in the Solar Hijri calendar."""

    initiative = InitiativeChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        to_field_name="slug",
        required=False,
    )
    city = CityChoiceField(
        label=_("Or directly with a sister city"),
        queryset=_cities(),
        to_field_name="slug",
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    date = CalendarDateField(
        label=_("Day"),
        help_text=_("Year-month-day; a Solar Hijri date such as 1405/09/15 is understood too."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.ChoiceField(label=_("Time zone"), initial="Asia/Tehran")
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        help_text=_(
            "Leave empty for no limit. Once full, further acceptances join a waiting list."
        ),
    )
    reminders = forms.ChoiceField(
        label=_("Reminders for invitees"),
        choices=[
            ("own", _("Each person's own choice")),
            ("fixed", _("The same for everyone, as chosen below")),
        ],
        initial="own",
        required=False,  # left out, each person's own choice
        widget=forms.RadioSelect,
    )
    reminder_leads = forms.TypedMultipleChoiceField(
        label=_("Remind everyone"),
        coerce=int,
        choices=ReminderLead.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Used only when the reminders are the same for everyone; none ticked: none."),
    )

    def __init__(
        self, *args, initiatives=None, find: str = "", meeting: Meeting | None = None, **kwargs
    ):
        self.meeting = meeting
        self.lists_some_initiatives = False
        if meeting is not None:
            kwargs.setdefault("initial", self.initial_for(meeting))
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = _time_zones()
        # Only the day is picked; the times and the time zone stay their own boxes.
        self.fields["date"].widget.attrs["data-date-picker"] = ""
        if meeting is not None:
            # A meeting stays with the initiative or city it was scheduled for.
            del self.fields["initiative"], self.fields["city"]
        else:
            self.fields["initiative"].queryset = initiatives
            self._list_some_initiatives(initiatives, find)

    def _list_some_initiatives(self, initiatives, find: str) -> None:
        """Past INITIATIVES_LISTED, the list shows the chosen initiative and those whose title
        contains `find` (or else the most recently changed); any the user may schedule for is
        still accepted. The list's help text says which are listed."""
        total = initiatives.count()
        if total <= INITIATIVES_LISTED:
            return
        candidates = initiatives
        if find:
            candidates = candidates.filter(
                Q(title_en__icontains=find) | Q(title_fa__icontains=find)
            )
        self.lists_some_initiatives = True
        field = self.fields["initiative"]
        matched = candidates.count() if find else total
        figures = {
            "find": find,
            "count": l10n.digits(matched),
            "listed": l10n.digits(INITIATIVES_LISTED),
        }
        if find and not matched:
            note = gettext("No initiative’s title contains “%(find)s”.")
        elif find and matched <= INITIATIVES_LISTED:
            note = ngettext(
                "Listed: the initiative whose title contains “%(find)s”.",
                "Listed: the %(count)s initiatives whose titles contain “%(find)s”.",
                matched,
            )
        elif find:
            note = gettext(
                "Listed: the %(listed)s most recently changed of the %(count)s initiatives "
                "whose titles contain “%(find)s”."
            )
        else:
            note = gettext(
                "Listed: the %(listed)s most recently changed of %(count)s initiatives. Search "
                "by title to list others."
            )
        # Help text is shown as HTML; the words searched for are the user's.
        field.help_text = escape(note % figures)
        # After the help text: a bound field copies it when first made.
        recent = candidates.order_by("-updated_at", "-pk").values("pk")[:INITIATIVES_LISTED]
        chosen = self["initiative"].value() or None
        field.widget.choices = [
            ("", field.empty_label),
            *(
                (initiative.slug, field.label_from_instance(initiative))
                for initiative in initiatives.filter(Q(pk__in=recent) | Q(slug=chosen))
            ),
        ]

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        start = meeting.starts_at.astimezone(meeting.zone)
        end = meeting.ends_at.astimezone(meeting.zone)
        return {
            "title": meeting.title,
            "kind": meeting.kind,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "timezone": meeting.timezone,
            "place": meeting.place,
            "online_link": meeting.online_link,
            "agenda": meeting.agenda,
            "capacity": meeting.capacity,
            "reminders": "own" if meeting.reminder_leads is None else "fixed",
            "reminder_leads": meeting.reminder_leads or [],
        }

    def clean(self):
        data = super().clean()
        if self.meeting is None and bool(data.get("initiative")) == bool(data.get("city")):
            raise forms.ValidationError(_("Choose an initiative or a sister city (one of them)."))
        if any(data.get(name) is None for name in ("date", "start_time", "end_time", "timezone")):
            return data
        zone = zoneinfo.ZoneInfo(data["timezone"])
        data["starts_at"] = datetime.datetime.combine(data["date"], data["start_time"], zone)
        data["ends_at"] = datetime.datetime.combine(data["date"], data["end_time"], zone)
        moved = self.meeting is None or data["starts_at"] != self.meeting.starts_at
        for field, message in meeting_problems(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            timezone_name=data["timezone"],
            capacity=data.get("capacity"),
            place=data.get("place", ""),
            online_link=data.get("online_link", ""),
            check_past=moved,
        ):
            self.add_error(field, message)
        return data

    def details(self) -> dict:
        """What the meeting services take."""
        data = self.cleaned_data
        names = ("title", "kind", "starts_at", "ends_at", "timezone", "place", "online_link")
        return {
            **{name: data[name] for name in names},
            "agenda": data["agenda"],
            "capacity": data["capacity"],
            "reminder_leads": (
                sorted(data["reminder_leads"]) if data.get("reminders") == "fixed" else None
            ),
        }


class InviteMatchingForm(forms.Form):
    """Every citizen diplomat with this field, language and preferred city."""

    field = forms.ChoiceField(
        label=_("Field of expertise"), choices=_blank(CooperationField.choices), required=False
    )
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    city = CityChoiceField(
        label=_("Prefers the sister city"),
        queryset=_cities(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _blank(
            sorted(
                ((code, str(name)) for code, name in LanguageSkill.LANGUAGE_CHOICES),
                key=lambda choice: choice[1],
            )
        )

    def clean(self):
        data = super().clean()
        if not (data.get("field") or data.get("language") or data.get("city")):
            raise forms.ValidationError(_("Choose a field, a language or a city to invite by."))
        return data


class InvitePeopleForm(forms.Form):
    """Chosen people, by their e-mail addresses."""

    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_("One or more addresses of citizen diplomats, separated by commas or lines."),
    )

    def clean_emails(self):
        addresses = {a.lower() for a in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if a}
        for address in sorted(addresses):
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an e-mail address.") % {"address": address}
                ) from None
        people = User.objects.annotate(address=Lower("email")).filter(address__in=addresses)
        unknown = addresses - {person.address for person in people}
        if unknown:
            raise forms.ValidationError(
                _("Nobody has an account with: %(addresses)s.")
                % {"addresses": ", ".join(sorted(unknown))}
            )
        outsiders = sorted(person.email for person in people if not person.is_diplomat)
        if outsiders:
            raise forms.ValidationError(
                _("Only citizen diplomats can be invited. Not a citizen diplomat: %(people)s.")
                % {"people": ", ".join(outsiders)}
            )
        return addresses

    def people(self):
        return User.objects.annotate(address=Lower("email")).filter(
            address__in=self.cleaned_data["emails"]
        )


class MessageForm(forms.Form):
    """A coordinator's message to members or invitees; `key` is made when the form is first
    shown and travels with the preview, so sending it twice is refused (services/messages.py)."""

    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; each recipient sees it in their inbox and by e-mail."),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)


class RemindInviteesForm(forms.Form):
    """The invitees a coordinator reminds, with a note of their own; those who have not
    answered are ticked at first. `key` stops a second press from sending twice."""

    invitations = forms.ModelMultipleChoiceField(
        label=_("Remind"),
        queryset=Invitation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one invitee.")},
    )
    note = forms.CharField(
        label=_("Message"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words of your own, under the meeting's time and place."),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["invitations"]
        field.queryset = invitations
        field.label_from_instance = self.label_for
        field.initial = [i.pk for i in invitations if i.state == Invitation.State.SENT]

    @staticmethod
    def label_for(invitation: Invitation) -> str:
        name = invitation.invitee.display_name
        return f"{name} ({invitation.get_state_display()})"


class FollowForm(forms.Form):
    """An e-mail address to follow a sister city or an initiative with; the e-mails come in
    the page's language."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
