"""With ClamAV's daemon configured (CLAMD_SOCKET), uploads it finds a virus in are refused and
nothing is kept; when it does not answer, uploads wait rather than go through unscanned."""

import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from citizens.models import DiplomatApplication
from tests.citizens.pdf_corpus import raw_pdf
from tests.conftest import IN_CI
from tests.factories import UserFactory, application_in, reviewer

# The industry's harmless test file: every scanner reports it as a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
FOUND = "The virus scanner found Portal.Test.EICAR.UNOFFICIAL in the file."
UNAVAILABLE = "The file could not be checked for viruses just now. Try again in a few minutes."


@pytest.fixture(scope="module")
def clamd_socket():
    """A clamd of the test's own, knowing one signature: the EICAR test file."""
    if shutil.which("clamd") is None:
        message = "ClamAV's daemon is not installed (Debian: apt-get install clamav-daemon)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="clamd-"))  # a Unix socket's path must be short
    (folder / "db").mkdir()
    (folder / "db" / "portal.ndb").write_text(f"Portal.Test.EICAR:0:*:{EICAR.hex()}\n")
    (folder / "clamd.conf").write_text(
        f"DatabaseDirectory {folder / 'db'}\nLocalSocket {folder / 'clamd.sock'}\n"
        f"Foreground yes\nLogFile {folder / 'clamd.log'}\nTemporaryDirectory {folder}\n"
    )
    daemon = subprocess.Popen(["clamd", "-c", str(folder / "clamd.conf")])
    try:
        deadline = time.monotonic() + 30
        while not (folder / "clamd.sock").exists():
            assert daemon.poll() is None and time.monotonic() < deadline, "clamd did not start"
            time.sleep(0.1)
        yield str(folder / "clamd.sock")
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def applicant(client, db):
    client.force_login(UserFactory(email="sara@example.org"))


def _png_carrying(text: bytes) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _send(client, field: str, name: str, content: bytes):
    return client.post(
        "/apply/",
        {
            field: SimpleUploadedFile(name, content),
            "save": "1",
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.parametrize(
    ("field", "name", "content"),
    [
        ("cv", "cv.pdf", raw_pdf(tail=b"%" + EICAR + b"\n")),
        ("photo", "photo.png", _png_carrying(EICAR)),
    ],
    ids=["cv", "photo"],
)
def test_a_file_the_scanner_finds_a_virus_in_is_refused_and_not_kept(
    client, applicant, settings, clamd_socket, field, name, content
):
    settings.CLAMD_SOCKET = clamd_socket

    response = _send(client, field, name, content)

    assert response.context["form"].errors[field] == [FOUND]
    assert not DiplomatApplication.objects.exists()


def test_a_clean_file_passes_the_scanner(client, applicant, settings, clamd_socket):
    settings.CLAMD_SOCKET = clamd_socket

    response = _send(client, "cv", "cv.pdf", raw_pdf())

    assert response.status_code == 302
    assert DiplomatApplication.objects.get().cv


def test_while_the_scanner_does_not_answer_uploads_are_refused(client, applicant, settings):
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"

    response = _send(client, "cv", "cv.pdf", raw_pdf())

    assert response.context["form"].errors["cv"] == [UNAVAILABLE]
    assert not DiplomatApplication.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("configured", "noted"), [("", True), ("/run/clamd.sock", False)])
def test_staff_see_whether_documents_were_scanned(client, settings, configured, noted):
    settings.CLAMD_SOCKET = configured
    client.force_login(reviewer("maryam@example.org"))
    application = application_in("submitted")

    html = client.get(
        reverse("admin:citizens_diplomatapplication_change", args=[application.pk])
    ).content.decode()

    assert ("not scanned for viruses" in html) is noted
