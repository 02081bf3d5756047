"""The check on an agreement's document: the citizens' PDF check (citizens.validators), with
messages that speak of the agreement, not of a CV."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from citizens.validators import pdf_problem, validate_no_virus, validate_size

# The reasons of citizens.validators.pdf_problem, grouped by what staff are to do about them.
TOO_LARGE = {"too_many_pages", "too_many_objects", "too_large_decoded"}
ATTACHED = {"embedded_file", "hidden_file"}


def _message(reason: str) -> str:
    if reason in ("not_pdf", "unreadable"):
        return _("The agreement's document must be a PDF document that can be opened.")
    if reason == "encrypted":
        return _(
            "The agreement's document is protected by a password or encrypted. Upload a copy "
            "without protection."
        )
    if reason in TOO_LARGE:
        return _("The agreement's document is too large to be checked. Upload a shorter copy.")
    if reason in ATTACHED:
        return _(
            "The agreement's document has other files attached to it or hidden in it. Upload "
            "the document alone."
        )
    return _(
        "The agreement's document contains scripts, actions or multimedia. Print it to a new "
        "PDF (“Print to PDF”) and upload that copy."
    )


def validate_agreement_document(upload) -> None:
    validate_size(upload)
    reason = pdf_problem(upload)
    if reason is not None:
        raise ValidationError(_message(reason), code=f"pdf_{reason}")
    upload.seek(0)
    validate_no_virus(upload.read())
    upload.seek(0)
