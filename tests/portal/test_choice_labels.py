"""A choice is shown by its label, in the reader's language (diplomacy_portal.models)."""

from django.apps import apps
from django.utils import translation

from citizens.models import ApplicationStatusChange, DiplomatApplication
from diplomacy_portal.models import ChoiceLabels


def test_a_choice_is_shown_by_its_label_in_the_readers_language():
    application = DiplomatApplication(status=DiplomatApplication.Status.APPROVED)

    with translation.override("en"):
        assert application.get_status_display() == "Approved"
    with translation.override("fa"):
        assert application.get_status_display() == "تأییدشده"


def test_a_value_that_is_no_choice_is_shown_as_it_is():
    change = ApplicationStatusChange(from_status="", to_status="archived")

    assert change.get_from_status_display() == ""
    assert change.get_to_status_display() == "archived"


def test_showing_a_choice_translates_its_own_label_only(monkeypatch):
    """Django's own get_FOO_display() translates every label of the field on each call."""
    translated = []
    gettext = translation._trans.gettext
    monkeypatch.setattr(
        translation._trans,
        "gettext",
        lambda message: translated.append(message) or gettext(message),
    )

    with translation.override("fa"):
        DiplomatApplication(status="approved").get_status_display()

    assert translated == ["Approved"]


def test_every_model_with_choices_shows_them_this_way():
    for label in ("citizens", "initiatives", "sistercities"):
        for model in apps.get_app_config(label).get_models():
            if any(field.choices for field in model._meta.concrete_fields):
                assert issubclass(model, ChoiceLabels), model.__name__
