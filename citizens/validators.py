"""Checks on uploaded documents: the size, and that the content is what the name says."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}}


def validate_size(upload) -> None:
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            },
            code="too_large",
        )


def validate_pdf(upload) -> None:
    validate_size(upload)
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if Path(upload.name).suffix.lower() != ".pdf" or header != b"%PDF-":
        raise ValidationError(_("The CV must be a PDF document."), code="not_pdf")


def validate_photo(upload) -> None:
    validate_size(upload)
    refused = ValidationError(_("The photo must be a JPEG or PNG image."), code="not_image")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise refused from None
    finally:
        upload.seek(0)
    if Path(upload.name).suffix.lower() not in PHOTO_FORMATS.get(image_format, ()):
        raise refused
