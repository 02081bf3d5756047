"""Checks on uploaded documents: the size, and that the content is only what the name says.

A file is refused unless it is plainly a PDF or a JPEG/PNG picture: no active content in a PDF
(citizens/pdf_inspection.py reads it as a PDF reader would, in a child process with limits), no
second file hidden before or after it (a polyglot), no picture too large to decode safely.
Refused rather than cleaned: the staff see the applicant's document exactly as it was sent, and
the applicant is told what to change. Accepted files are stored under names the server makes
(citizens.models) and only ever downloaded as attachments by those allowed to see them.
"""

import json
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from .virus_scan import ScannerUnavailable, find_virus

PHOTO_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}}
MAX_PHOTO_PIXELS = 40_000_000
# Markup that makes a PDF a web page too, should a browser ever be handed its bytes.
PDF_MARKUP = re.compile(
    rb"<\s*(script|html|body|svg|iframe|object|embed|img|meta)\b|<[a-z][^<>]{0,200}\son[a-z]{3,20}\s*=",
    re.IGNORECASE,
)
# Long enough for clamd to read a 5 MB upload on a busy machine.
VIRUS_SCAN_SECONDS = 20
PNG_END = b"IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
# Each refusal says what to change; printing to a new PDF keeps the text and drops what runs.
PDF_REFUSALS = {
    "unreadable": gettext_lazy(
        "The CV could not be read as a PDF document. Print it to a new PDF (“Print to PDF”) "
        "and upload that copy."
    ),
    "encrypted": gettext_lazy(
        "The CV is protected by a password or encrypted. Upload a copy without protection."
    ),
    "too_many_pages": gettext_lazy("The CV has more than %(pages)s pages. Upload a shorter one."),
    "too_many_objects": gettext_lazy(
        "The CV is made of too many parts to be checked. Print it to a new PDF (“Print to PDF”) "
        "and upload that copy."
    ),
    "too_large_decoded": gettext_lazy(
        "The CV expands to more than %(size)s when opened. Upload a smaller copy."
    ),
    "javascript": gettext_lazy(
        "The CV contains scripts (JavaScript). Print it to a new PDF (“Print to PDF”) and upload "
        "that copy."
    ),
    "launch": gettext_lazy(
        "The CV contains an action that starts a program. Print it to a new PDF (“Print to PDF”) "
        "and upload that copy."
    ),
    "embedded_file": gettext_lazy(
        "The CV contains attached or embedded files. Upload the CV alone, without attachments."
    ),
    "automatic_action": gettext_lazy(
        "The CV contains actions that run by themselves when it is opened or viewed. Print it to "
        "a new PDF (“Print to PDF”) and upload that copy."
    ),
    "uri": gettext_lazy(
        "The CV contains a link that opens something other than a web page or an e-mail "
        "address. Remove the link and upload the CV again."
    ),
    "action": gettext_lazy(
        "The CV contains actions that open other files or web addresses, or send data. Print it "
        "to a new PDF (“Print to PDF”) and upload that copy."
    ),
    "xfa": gettext_lazy(
        "The CV contains a form with scripts (XFA). Print it to a new PDF (“Print to PDF”) and "
        "upload that copy."
    ),
    "rich_media": gettext_lazy(
        "The CV contains multimedia (video, sound, Flash or 3D). Upload a copy with text and "
        "pictures only."
    ),
    "markup": gettext_lazy(
        "The CV also contains web page content (HTML). Print it to a new PDF (“Print to PDF”) "
        "and upload that copy."
    ),
    "hidden_file": gettext_lazy(
        "The CV has another file hidden inside or after it. Upload the CV alone."
    ),
}


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


def validate_no_virus(content: bytes) -> None:
    """Refuse what ClamAV finds a virus in, when a scanner is configured (CLAMD_SOCKET)."""
    if not settings.CLAMD_SOCKET:
        return
    try:
        virus = find_virus(content, socket_path=settings.CLAMD_SOCKET, timeout=VIRUS_SCAN_SECONDS)
    except ScannerUnavailable:
        # Refused rather than let through unscanned: staff are told documents were scanned.
        raise ValidationError(
            _("The file could not be checked for viruses just now. Try again in a few minutes."),
            code="scanner_unavailable",
        ) from None
    if virus is not None:
        raise ValidationError(
            _("The virus scanner found %(virus)s in the file.") % {"virus": virus}, code="virus"
        )


def _content(upload) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _pdf_refusal(reason: str) -> ValidationError:
    message = PDF_REFUSALS[reason] % {
        "pages": settings.PDF_MAX_PAGES,
        "size": filesizeformat(settings.PDF_MAX_DECODED_BYTES),
    }
    return ValidationError(message, code=f"pdf_{reason}")


def _inspected(content: bytes) -> str | None:
    """Why the PDF reader's view of the document is refused, or None (see pdf_inspection)."""
    limits = [settings.PDF_MAX_PAGES, settings.PDF_MAX_OBJECTS, settings.PDF_MAX_DECODED_BYTES]
    try:
        child = subprocess.run(
            [sys.executable, "-m", "citizens.pdf_inspection", *map(str, limits)],
            input=content,
            capture_output=True,
            timeout=settings.PDF_INSPECTION_SECONDS,
            cwd=settings.BASE_DIR,
        )
        return json.loads(child.stdout)["refused"]
    except subprocess.TimeoutExpired:
        return "too_many_objects"
    except (ValueError, KeyError):  # the child died (out of memory, a crash in the parser)
        return "unreadable"


def pdf_problem(upload) -> str | None:
    """Why `upload` is refused as a PDF document ("not_pdf" or a key of PDF_REFUSALS), or None
    when it is plainly a PDF with nothing active in it. Size and viruses are checked apart."""
    if Path(upload.name).suffix.lower() != ".pdf":
        return "not_pdf"
    content = _content(upload)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        return "not_pdf"
    if PDF_MARKUP.search(content):
        return "markup"
    if zipfile.is_zipfile(upload):
        upload.seek(0)
        return "hidden_file"
    upload.seek(0)
    return _inspected(content)


def validate_pdf(upload) -> None:
    validate_size(upload)
    reason = pdf_problem(upload)
    if reason == "not_pdf":
        raise ValidationError(_("The CV must be a PDF document."), code="not_pdf")
    if reason is not None:
        raise _pdf_refusal(reason)
    validate_no_virus(_content(upload))


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
    validate_no_virus(content)
