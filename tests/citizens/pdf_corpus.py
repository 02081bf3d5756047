"""Hostile and clean PDFs, made by the tests themselves (nothing binary is kept in the repository).

`raw_pdf` writes a document by hand, byte for byte, with a correct cross-reference table, so a
test can spell names the way an attacker does (`/J#61vaScript` is `/JavaScript` to a reader).
"""

import io
import zipfile
import zlib

import pikepdf

CATALOG = b"<</Type/Catalog/Pages 2 0 R%s>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]%s>>"


def raw_pdf(*extra: bytes, catalog: bytes = b"", page: bytes = b"", tail: bytes = b"") -> bytes:
    """A one-page PDF: objects 1-3 are the catalog, the page tree and the page; `extra` are
    objects 4, 5, ... ; `catalog` and `page` add entries to those dictionaries."""
    objects = [CATALOG % catalog, PAGES, PAGE % page, *extra]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    return bytes(out) + tail + b"%%EOF\n"


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<%s/Length %d>>stream\n%s\nendstream" % (dictionary, len(data), data)


def link(action: bytes) -> bytes:
    """A page whose one link annotation (object 4) does `action` when clicked."""
    return b"<</Type/Annot/Subtype/Link/Rect[0 0 100 100]/A %s>>" % action


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def clean_pdf(pages: int = 1, text: bytes = b"BT /F1 12 Tf 72 720 Td (Sara Ahmadi) Tj ET") -> bytes:
    """A plain document as pikepdf writes it, with compressed text on each page."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(text)
    return saved(pdf, compress_streams=True)


def with_catalog(**entries) -> bytes:
    """A pikepdf document whose catalog gets `entries`, saved with its objects compressed in
    object streams (nothing of them is visible in the file's bytes)."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    for key, value in entries.items():
        pdf.Root[f"/{key}"] = value(pdf) if callable(value) else value
    return saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def encrypted(user: str, owner: str = "owner-secret") -> bytes:
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    return saved(pdf, encryption=pikepdf.Encryption(user=user, owner=owner))


def flate_bomb(size: int) -> bytes:
    """`size` bytes of zeros, compressed about a thousand times."""
    compressor, parts = zlib.compressobj(9), []
    zeros = b"\0" * (1 << 20)
    for _ in range(size >> 20):
        parts.append(compressor.compress(zeros))
    parts.append(compressor.flush())
    return b"".join(parts)


def small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.bat", "calc.exe")
    return buffer.getvalue()


def object_stream_bomb(size: int) -> bytes:
    """Objects compressed in an object stream that expands to `size` bytes."""
    header = b"5 0 "
    body = header + b"<<>>" + b" " * (size - len(header) - 4)
    compressor = zlib.compressobj(9)
    data = (
        b"".join(
            [compressor.compress(body[i : i + (1 << 20)]) for i in range(0, len(body), 1 << 20)]
        )
        + compressor.flush()
    )
    return raw_pdf(
        stream(b"/Type/ObjStm/N 1/First %d/Filter/FlateDecode" % len(header), data),
    )


def too_many_objects(count: int) -> bytes:
    return raw_pdf(*([b"<<>>"] * count))


def malformed_xref() -> bytes:
    """The cross-reference table says each object is somewhere it is not."""
    document = raw_pdf(b"<</Producer(x)>>")
    table = document.index(b"xref\n")
    return document[:table] + document[table:].replace(b"0000000", b"0000001")


def truncated() -> bytes:
    document = clean_pdf()
    return document[: len(document) // 2] + b"\n%%EOF\n"
