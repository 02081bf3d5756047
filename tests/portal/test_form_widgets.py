"""The shared form pieces as a reader sees them: dates in the reader's calendar, and a form a
page writes as {{ form }} in the same Bootstrap markup as the others."""

import datetime
import re

import pytest
from django import forms
from django.utils import translation

from citizens.forms import ProfileForm
from diplomacy_portal.forms import CalendarDateField

BORN = datetime.date(1990, 5, 1)  # 1369/02/11 in the Solar Hijri calendar


class BirthForm(forms.Form):
    born = CalendarDateField(label="Born")


def _box(html: str) -> str:
    (box,) = re.findall(r"<input[^>]*>", html)
    return box


@pytest.mark.parametrize(("language", "shown"), [("en", "1990-05-01"), ("fa", "۱۳۶۹/۰۲/۱۱")])
def test_a_date_is_shown_in_the_readers_calendar_in_a_left_to_right_text_box(language, shown):
    with translation.override(language):
        box = _box(str(BirthForm(initial={"born": BORN})["born"]))

    assert 'type="text"' in box and 'inputmode="numeric"' in box and 'dir="ltr"' in box
    assert f'value="{shown}"' in box


@pytest.mark.parametrize("typed", ["1990-05-01", "1369/02/11", "۱۳۶۹/۰۲/۱۱", "1369.2.11"])
def test_a_date_typed_in_either_calendar_or_digits_is_the_same_day(typed):
    form = BirthForm({"born": typed})

    assert form.is_valid() and form.cleaned_data["born"] == BORN


def test_a_date_that_does_not_exist_is_explained_and_shown_back_as_typed():
    form = BirthForm({"born": "1369/13/40"})

    assert not form.is_valid()
    assert form.errors["born"][0].startswith("Enter a date as year-month-day")
    assert 'value="1369/13/40"' in _box(str(form["born"]))


def test_a_form_written_as_form_has_the_markup_of_the_other_forms():
    form = ProfileForm({"first_name": "", "last_name": "Ahmadi", "preferred_language": "xx"})
    form.is_valid()

    html = str(form)

    assert '<div id="div_id_last_name" class="mb-3">' in html
    assert re.search(r'<label\s+for="id_last_name" class="form-label">\s*Last name', html)
    language = re.search(r'<select name="preferred_language"[^>]*>', html).group()
    assert "form-select is-invalid" in language and 'aria-invalid="true"' in language
    assert re.search(
        r'<div id="id_preferred_language_error" class="invalid-feedback">\s*<p[^>]*><strong>'
        r"Select a valid choice",
        html,
    )


def test_a_form_written_as_form_has_persian_labels_under_persian():
    with translation.override("fa"):
        html = str(ProfileForm())

    assert re.search(r'<label\s+for="id_first_name" class="form-label">\s*نام\s*</label>', html)
    assert "زبان صفحه‌ها و ایمیل‌ها" in html
