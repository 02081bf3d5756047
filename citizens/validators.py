"""Checks on uploaded documents: the size, and that the content is only what the name says.

A file is refused unless it is plainly a PDF or a JPEG/PNG picture: no active content in a PDF,
no second file hidden after an image (a polyglot), no picture too large to decode safely.
Accepted files are stored under names the server makes (citizens.models) and only ever
downloaded as attachments by those allowed to see them.
"""

import re
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}}
MAX_PHOTO_PIXELS = 40_000_000
# Actions that make a PDF run something when opened, and markup that makes it a web page too.
PDF_ACTIVE_CONTENT = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b|<\s*(script|html|svg|iframe)\b",
    re.IGNORECASE,
)
PNG_END = b"IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"


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


def _content(upload) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def validate_pdf(upload) -> None:
    validate_size(upload)
    refused = ValidationError(_("The CV must be a PDF document."), code="not_pdf")
    if Path(upload.name).suffix.lower() != ".pdf":
        raise refused
    content = _content(upload)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        raise refused
    if PDF_ACTIVE_CONTENT.search(content):
        raise ValidationError(
            _("The CV may not contain scripts, attachments or web content."), code="active_pdf"
        )


def validate_photo(upload) -> None:
    validate_size(upload)
    refused = ValidationError(_("The photo must be a JPEG or PNG image."), code="not_image")
    content = _content(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise refused from None
    finally:
        upload.seek(0)
    if Path(upload.name).suffix.lower() not in PHOTO_FORMATS.get(image_format, ()):
        raise refused
    if width * height > MAX_PHOTO_PIXELS:
        raise refused
    # Anything after the picture's end marker is a second file riding along.
    end = PNG_END if image_format == "PNG" else JPEG_END
    if not content.rstrip(b"\x00").endswith(end):
        raise refused
