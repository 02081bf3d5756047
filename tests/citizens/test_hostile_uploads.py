"""Hostile files sent as a CV or a photo: each is refused with a clear message, nothing saved."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizens.models import DiplomatApplication
from tests.factories import UserFactory, image_bytes, pdf_bytes

NOT_PDF = "The CV must be a PDF document."
MARKUP = (
    "The CV also contains web page content (HTML). Print it to a new PDF (“Print to PDF”) "
    "and upload that copy."
)
UNREADABLE = (
    "The CV could not be read as a PDF document. Print it to a new PDF (“Print to PDF”) "
    "and upload that copy."
)
NOT_IMAGE = "The photo must be a JPEG or PNG image."


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 20_000_000)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer<<>>\n%%EOF\n"


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

HOSTILE = [
    ("cv", "cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run", NOT_PDF),
    ("cv", "cv.pdf", _zip_bomb(), NOT_PDF),
    ("cv", "cv.pdf", _pdf_with(b"<html><body><script>alert(1)</script></body></html>"), MARKUP),
    ("cv", "cv.pdf", _pdf_with(b"1 0 obj<</Type/Catalog>>endobj"), UNREADABLE),
    ("cv", "cv.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 4096, NOT_PDF),
    ("cv", "cv.pdf", SVG_SCRIPT, NOT_PDF),
    ("cv", "cv.pdf", b"", "The submitted file is empty."),
    ("cv", "cv.pdf.exe", pdf_bytes(), NOT_PDF),
    ("cv", "cv\u202efdp.exe", pdf_bytes(), NOT_PDF),
    ("cv", "cv.html", HTML, NOT_PDF),
    ("photo", "photo.png", SVG_SCRIPT, NOT_IMAGE),
    ("photo", "photo.svg", SVG_SCRIPT, NOT_IMAGE),
    ("photo", "photo.jpg", image_bytes("JPEG") + _zip_bomb()[:2048], NOT_IMAGE),
    ("photo", "photo.png", image_bytes("PNG") + HTML, NOT_IMAGE),
    ("photo", "photo.png", image_bytes("GIF"), NOT_IMAGE),
    ("photo", "photo.jpg", image_bytes("PNG"), NOT_IMAGE),
    ("photo", "photo.jpg", image_bytes("BMP"), NOT_IMAGE),
    ("photo", "photo.png", _png_claiming(60_000, 60_000), NOT_IMAGE),
    ("photo", "photo.jpg", image_bytes("JPEG")[:-40], NOT_IMAGE),
    ("photo", "photo.jpg", HTML, NOT_IMAGE),
    ("photo", "photo.php.png", b"<?php system($_GET['c']); ?>", NOT_IMAGE),
    ("photo", "../../../../etc/passwd.png", b"root:x:0:0:root:/root:/bin/bash", NOT_IMAGE),
]


@pytest.fixture
def applicant(client, db):
    user = UserFactory(email="sara@example.org")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    HOSTILE,
    ids=[f"{i}-{row[1][:20]}" for i, row in enumerate(HOSTILE)],
)
def test_a_hostile_file_is_refused_with_a_clear_message(
    client, applicant, field, name, content, message
):
    upload = SimpleUploadedFile(name, content, "application/octet-stream")

    response = client.post(
        "/apply/",
        {field: upload, "save": "1", "languages-TOTAL_FORMS": "0", "languages-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not DiplomatApplication.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(client, applicant, settings):
    settings.MAX_UPLOAD_BYTES = 100_000
    upload = SimpleUploadedFile("cv.pdf", _pdf_with(b"%" + b"x" * 200_000), "application/pdf")

    response = client.post(
        "/apply/",
        {"cv": upload, "save": "1", "languages-TOTAL_FORMS": "0", "languages-INITIAL_FORMS": "0"},
    )

    assert response.context["form"].errors["cv"][0].startswith("The file is 19")
    assert not DiplomatApplication.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../../../tmp/evil.png", "x" * 240 + ".png", "ph\u202eoto.png", "фото 😀.png"]
)
def test_an_accepted_file_is_stored_under_a_name_the_server_makes(client, applicant, name):
    upload = SimpleUploadedFile(name, image_bytes("PNG"), "image/png")

    client.post(
        "/apply/",
        {
            "photo": upload,
            "save": "1",
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
        },
    )

    stored = DiplomatApplication.objects.get().photo.name
    assert stored.startswith("applications/photo/") and stored.endswith(".png")
    assert ".." not in stored and len(stored) < 80
    assert all(ord(character) < 128 for character in stored)


def test_a_picture_is_accepted_after_all(client, applicant):
    picture = Image.new("RGB", (300, 400), (10, 120, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)

    client.post(
        "/apply/",
        {
            "photo": SimpleUploadedFile("me.jpeg", buffer.getvalue()),
            "save": "1",
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
        },
    )

    assert DiplomatApplication.objects.get().photo.name.endswith(".jpeg")
