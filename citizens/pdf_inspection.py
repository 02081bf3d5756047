"""Look inside an uploaded PDF for anything a desktop reader would run, open or fetch by itself.

Run as `python -m citizens.pdf_inspection PAGES OBJECTS DECODED_BYTES` with the file on stdin;
it prints one JSON line: {"refused": null} or {"refused": "<reason>"}. Citizens' documents are
hostile until proven otherwise, so the parsing happens in a child process with its own memory and
CPU limits (citizens.validators starts it): a decompression bomb or a crash in the parser costs
that child, never the web worker. This module imports no Django, so the child starts quickly.

qpdf (through pikepdf) decodes names (`/J#61vaScript` is `/JavaScript`), object streams and
cross-reference streams, so what is inspected here is what a reader sees, not the raw bytes.
"""

import io
import json
import resource
import sys
import zlib

import pikepdf

# Actions that only move within the document; every other kind runs, opens or sends something.
HARMLESS_ACTIONS = {"/GoTo", "/Named", "/Thread", "/Hide", "/SetOCGState", "/Trans"}
PAGE_TURNS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
# A link to a web page or an e-mail address, followed when clicked, is part of many CVs; the
# reader asks first. Opened by itself (OpenAction, AA) it is refused like any other action.
LINK_SCHEMES = ("http://", "https://", "mailto:")
ACTION_REASONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToE": "embedded_file",
    "/RichMediaExecute": "rich_media",
}
# Keys and names that are active content wherever they appear.
JAVASCRIPT_KEYS = {"/JS", "/JavaScript"}
EMBEDDED_KEYS = {"/EmbeddedFile", "/EmbeddedFiles", "/EF"}
RICH_MEDIA_NAMES = {"/RichMedia", "/Movie", "/Sound", "/Screen", "/3D", "/RichMediaExecute"}
EMBEDDED_NAMES = {"/EmbeddedFile", "/FileAttachment", "/EmbeddedFiles"}
MAX_IMAGE_PIXELS = 40_000_000
DECODE_CHUNK = 1 << 20


class Refused(Exception):
    """The document is refused; args[0] names why (a key of citizens.validators' messages)."""


def _name(value) -> str | None:
    return str(value) if isinstance(value, pikepdf.Name) else None


def _check_action(action, *, clicked: bool) -> None:
    """Refuse an action (and those chained after it) unless it only moves within the document."""
    for _ in range(100):
        if not isinstance(action, pikepdf.Dictionary):
            break
        kind = _name(action.get("/S"))
        if kind is None:
            break  # not an action: a tagged document's /A holds layout attributes
        if kind == "/URI" and clicked:
            target = str(action.get("/URI", "")).strip().lower()
            if not target.startswith(LINK_SCHEMES):
                raise Refused("uri")
        elif kind == "/Named" and _name(action.get("/N")) not in PAGE_TURNS:
            raise Refused("action")  # a named action can be any menu item of the reader
        elif kind not in HARMLESS_ACTIONS:
            raise Refused(ACTION_REASONS.get(kind, "action"))
        action = action.get("/Next")
        if isinstance(action, pikepdf.Array):
            for each in action:
                _check_action(each, clicked=clicked)
            break


def _check_dictionary(dictionary) -> None:
    """Refuse a dictionary that is, or holds directly, active content."""
    keys = set(dictionary.keys())
    if keys & JAVASCRIPT_KEYS:
        raise Refused("javascript")
    if keys & EMBEDDED_KEYS:
        raise Refused("embedded_file")
    if "/XFA" in keys:
        raise Refused("xfa")
    if "/AA" in keys and len(dictionary.get("/AA", {})) > 0:
        raise Refused("automatic_action")
    names = {_name(dictionary.get("/Type")), _name(dictionary.get("/Subtype"))}
    if names & EMBEDDED_NAMES:
        raise Refused("embedded_file")
    if names & RICH_MEDIA_NAMES or any(key.startswith("/RichMedia") for key in keys):
        raise Refused("rich_media")
    # A document may open at a page (a destination, or a GoTo action); nothing else.
    _check_action(dictionary.get("/OpenAction"), clicked=False)
    # An annotation's or outline item's /A runs when clicked; an action found on its own is
    # checked as clicked too, as what runs by itself is checked where it is referenced.
    if "/A" in keys:
        _check_action(dictionary.get("/A"), clicked=True)
    if _name(dictionary.get("/Type")) == "/Action":
        _check_action(dictionary, clicked=True)


def _walk(root) -> None:
    """Check a top-level object and every dictionary held directly inside it."""
    pending = [root]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Stream):
            current = current.stream_dict
        if isinstance(current, pikepdf.Dictionary):
            _check_dictionary(current)
            children = current.values()
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not child.is_indirect
        )


def _decoded_size(stream, budget: int) -> int:
    """How many bytes the stream expands to, counting no further than the budget allows."""
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    if not filters:
        return len(stream.read_raw_bytes())
    if [_name(each) for each in filters][:1] == ["/FlateDecode"]:
        # Inflated a chunk at a time and thrown away: a bomb is measured, never held.
        inflater, size = zlib.decompressobj(), 0
        data = stream.read_raw_bytes()
        while data and size <= budget:
            size += len(inflater.decompress(data, DECODE_CHUNK))
            data = inflater.unconsumed_tail
        return size
    try:
        return len(stream.read_bytes())
    except pikepdf.PdfError:
        return len(stream.read_raw_bytes())  # pictures (JPEG and the like) stay encoded


def _check_image(stream) -> None:
    if _name(stream.get("/Subtype")) == "/Image":
        width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
        if width * height > MAX_IMAGE_PIXELS:
            raise Refused("too_large_decoded")


def inspect(content: bytes, *, max_pages: int, max_objects: int, max_decoded: int) -> None:
    """Raise Refused unless the PDF is readable, plain and within the limits."""
    try:
        pdf = pikepdf.open(io.BytesIO(content), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except (pikepdf.PdfError, ValueError, RuntimeError):
        raise Refused("unreadable") from None
    with pdf:
        if pdf.is_encrypted:
            raise Refused("encrypted")
        if int(pdf.trailer.get("/Size", 0)) > max_objects:
            raise Refused("too_many_objects")
        if len(pdf.pages) > max_pages:
            raise Refused("too_many_pages")
        _walk(pdf.trailer)
        budget = max_decoded
        for count, item in enumerate(pdf.objects, start=1):
            if count > max_objects:
                raise Refused("too_many_objects")
            _walk(item)
            if isinstance(item, pikepdf.Stream):
                _check_image(item)
                budget -= _decoded_size(item, budget)
                if budget < 0:
                    raise Refused("too_large_decoded")


def main(arguments: list[str]) -> int:
    max_pages, max_objects, max_decoded = (int(value) for value in arguments)
    # Room for the interpreter, qpdf and the file on top of the decoded budget.
    memory = max_decoded + 512 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    content = sys.stdin.buffer.read()
    try:
        inspect(content, max_pages=max_pages, max_objects=max_objects, max_decoded=max_decoded)
        reason = None
    except Refused as refusal:
        reason = refusal.args[0]
    except MemoryError:
        reason = "too_large_decoded"
    except Exception:  # anything the parser chokes on is a file we cannot vouch for
        reason = "unreadable"
    print(json.dumps({"refused": reason}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
