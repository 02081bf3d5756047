from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SisterCity
from .selectors.dashboard import DEFAULT_SORT, SORTS

SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class DashboardFilterForm(forms.Form):
    """The health table's filters; the sort order comes from its column headings."""

    status = forms.ChoiceField(
        label=_("Relation status"),
        required=False,
        choices=[("", _("Every status")), *SisterCity.Status.choices],
    )
    fading = forms.BooleanField(label=_("Fading only"), required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, widget=forms.HiddenInput)

    DEFAULTS = {"status": "", "fading_only": False, "sort": DEFAULT_SORT}

    @classmethod
    def filters_of(cls, query) -> dict:
        """The filters a query string asks for. Most readers ask for none: they get the
        defaults without a form being built (a tenth of a cached dashboard's time)."""
        return cls(query).filters() if query else dict(cls.DEFAULTS)

    def filters(self) -> dict:
        """The filters to apply: the valid ones, the defaults otherwise."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or self.DEFAULTS["status"],
            "fading_only": bool(data.get("fading")),
            "sort": data.get("sort") or self.DEFAULTS["sort"],
        }
