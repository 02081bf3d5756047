"""The widgets written in Python give the HTML Django's templates give (but for the blank
lines Django leaves between options)."""

import pytest
from django import forms

from diplomacy_portal.forms import LongSelect, QuickTextInput


def _same(html: str) -> str:
    return " ".join(html.split())


ATTRS = [
    {},
    {"class": "form-control is-invalid", "aria-invalid": "true", "aria-describedby": "x_error"},
    {"required": True, "disabled": False, "maxlength": 150},
    {"placeholder": 'A "quoted" <name> & more', "dir": "ltr"},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "Reza", '"><script>alert(1)</script>', 42])
def test_a_quick_text_box_is_djangos_text_box(attrs, value):
    ours = QuickTextInput(attrs).render("first_name", value, {"id": "id_first_name"})
    djangos = forms.TextInput(attrs).render("first_name", value, {"id": "id_first_name"})

    assert ours == djangos


CHOICES = [("", "---------"), ("en", "English"), ("fa", "فارسی"), ("x<y", 'A "quoted" & <b>')]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "fa", "x<y", "not a choice"])
def test_a_long_select_is_djangos_select(attrs, value):
    ours = LongSelect(attrs, choices=CHOICES).render("language", value, {"id": "id_language"})
    djangos = forms.Select(attrs, choices=CHOICES).render("language", value, {"id": "id_language"})

    assert _same(ours) == _same(djangos)
    assert ours.count("<option") == len(CHOICES)
