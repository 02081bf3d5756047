"""Form fields shared by the apps."""

import datetime
import html
import re

import jdatetime
from django import forms
from django.utils.safestring import mark_safe
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


def escaped(value) -> str:
    """conditional_escape() without its checks for lazy text, which cost more than the
    escaping: the widgets below call it for every attribute of every option."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attributes(attrs: dict) -> str:
    """A widget's attributes as Django's attrs.html writes them: in order, True as a bare
    name, False left out."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select written in Python rather than with Django's templates, which include one for
    each option: that made a list of 200 sister cities most of the initiatives page's time, and
    the ~600 time zones most of the meeting form's. The HTML is Django's but for the blank lines
    it leaves between options (these lists have no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'\n  <option value="{escaped(option["value"])}"{_attributes(option["attrs"])}>'
            f"{escaped(option['label'])}</option>"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        return mark_safe(
            f'<select name="{escaped(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{options}\n</select>"
        )


class QuickTextInput(forms.TextInput):
    """A text box written in Python rather than with Django's three templates for it, for a
    form on a page read very often (the profile on /me/). The HTML is Django's, byte for byte."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
        return mark_safe(
            f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
            f"{shown}{_attributes(widget['attrs'])}>"
        )


class BootstrapBoundField(forms.BoundField):
    """A field's widget with Bootstrap's classes: form-select or form-control, and is-invalid
    when the field has errors (Django adds aria-invalid and points aria-describedby at them)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), *classes]))
        return attrs


class BootstrapFormMixin:
    """For a form Django renders itself ({{ form }}) in the markup crispy-forms writes for
    Bootstrap: for a form on a page read very often (the profile on /me/). crispy's templates
    cost /me/ a third of its time; the markup is written here, with plain escaping (_text)."""

    bound_field_class = BootstrapBoundField

    def render(self, template_name=None, context=None, renderer=None):
        if template_name is not None or context is not None:
            return super().render(template_name, context, renderer)
        context = self.get_context()
        parts = []
        if context["errors"]:
            parts.append(f'<div class="alert alert-danger">{escaped(context["errors"])}</div>\n')
        for field, errors in context["fields"]:
            required = field.field.required
            label = escaped(field.label) + (
                '<span class="asteriskField">*</span>' if required else ""
            )
            shown_errors = "".join(f"<p><strong>{escaped(error)}</strong></p>" for error in errors)
            parts.append(
                f'\n<div id="div_{escaped(field.auto_id)}" class="mb-3">\n'
                f'  <label for="{escaped(field.id_for_label)}" class="form-label'
                f'{" requiredField" if required else ""}">{label}</label>\n'
                f"  {escaped(field)}\n"
                + (
                    f'  <div id="{escaped(field.auto_id)}_error" class="invalid-feedback">'
                    f"{shown_errors}</div>\n"
                    if errors
                    else ""
                )
                + (
                    f'  <div id="{escaped(field.auto_id)}_helptext" class="form-text">'
                    f"{escaped(field.help_text)}</div>\n"
                    if field.help_text
                    else ""
                )
                + "</div>\n"
            )
        parts.extend(str(field) for field in context["hidden_fields"])
        return mark_safe("".join(parts).strip())

    # Django's are bound to its own render.
    __str__ = __html__ = render
