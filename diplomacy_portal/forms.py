"""Form fields shared by the apps."""

import datetime
import re

import jdatetime
from django import forms
from django.utils.translation import gettext_lazy as _

from . import l10n

# The first year of the Solar Hijri calendar that is plausibly a Gregorian one is far above
# any Jalali year in use (1405 now); below it, a date is read as Jalali.
JALALI_YEARS_BELOW = 1700


class DateInput(forms.TextInput):
    """A text box rather than the browser's date picker, which knows no Solar Hijri."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "dir": "ltr", **(attrs or {})})


class CalendarDateField(forms.DateField):
    """A date typed as Gregorian (1991-08-03) or Solar Hijri (1370/05/12), in any digits.

    Shown in the Solar Hijri calendar with Persian digits under Persian.
    """

    widget = DateInput
    default_error_messages = {
        "invalid": _(
            "Enter a date as year-month-day, e.g. 1991-08-03 or, in the Solar Hijri calendar, "
            "1370/05/12."
        ),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        parts = re.split(r"[-/.\s]+", l10n.western_digits(str(value)).strip())
        # isdigit() alone lets "²" through, which int() refuses.
        if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) for part in parts)
        try:
            if year < JALALI_YEARS_BELOW:
                return jdatetime.date(year, month, day).togregorian()
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, datetime.date) and l10n.is_persian():
            jalali = jdatetime.date.fromgregorian(date=value)
            return l10n.digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


def error_summary(*forms_and_formsets) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, to list above a form with links."""
    summary = []
    for item in forms_and_formsets:
        for form in getattr(item, "forms", [item]):
            for name, errors in form.errors.items():
                field = form[name] if name in form.fields else None
                for message in errors:
                    summary.append((_field_id(field), field.label if field else "", message))
        if hasattr(item, "non_form_errors"):
            summary.extend(("", "", message) for message in item.non_form_errors())
    return summary


def _field_id(field) -> str:
    """Where a link to the field goes: its input, or the first of its boxes (a group of
    checkboxes has no id of its own)."""
    if field is None:
        return ""
    return field.id_for_label or (field.subwidgets[0].id_for_label if field.subwidgets else "")
