"""A choice is shown by its label, in the reader's language."""

from django.utils import translation

from citizens.models import ApplicationStatusChange, DiplomatApplication


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
