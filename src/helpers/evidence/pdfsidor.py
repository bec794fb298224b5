"""What readers saw in print, compared: an archived PDF against the same PDF printed again.

`reproducera` rebuilds the web pages from the re-executed notebooks (helpers.evidence.sidor);
the publishing layer then prints the edition's PDFs again from those pages, with the same
command that printed them (helpers.publish.omtryck), and this module reads both PDFs back and
compares what a reader of the print meets: the number of pages, the outline (the bookmarks are
the chapters' and sections' headings, each with the page it opens), and the text of every page.
A passage reworded in the archived PDF (and re-hashed into the manifest), a page more or less,
or a heading moved to another page is named with the file and the page.

Text extraction in pypdf is slow (about half a second a page for pages with vector charts), so a
page's text is extracted only when the page can differ: a page whose content streams, resources
(fonts with their character maps, embedded forms) and page box are the same bytes in both files
has the same text by construction, and is not read (pikepdf reads the objects). A forger who
changes only a font's character map (the glyphs say "före", the text says "efter") changes the
page's resources, so that page is read and compared.

What is normalised, and why nothing else is:
- Runs of white space (spaces, line breaks, no-break spaces) become one space. Text extraction
  places line breaks and spaces from glyph positions; a reader sees the same words either way.
- Nothing on the pages is a run-time value. The title page's "Utgåvan byggd" date and the period
  come from the edition's manifest and inputs, which the reprint reads from the archive, and the
  page footers carry only page numbers. The values that do change with every print (creation
  and modification dates, the XMP packet's dates and document id, the Producer naming the
  Chromium and pypdf versions) are metadata, not page text, and are not compared; the PDF/A
  check and the manifest's checksum cover the file as a whole.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from helpers.evidence.sidor import passage

MAX_PER_PDF = 12


@dataclass(frozen=True)
class PdfContent:
    """A PDF as a reader of the print meets it."""

    pages: tuple[str, ...]  # the text of each page, white space normalised
    outline: tuple[tuple[int, str, int], ...]  # (level, heading, page number 1-based)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _page_text(reader, number: int) -> str:
    return _one_line(reader.pages[number - 1].extract_text() or "")


def _outline(reader) -> tuple[tuple[int, str, int], ...]:
    outline: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                outline.append((level, _one_line(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return tuple(outline)


def read_pdf(data: bytes) -> PdfContent:
    """Page texts and the outline of a whole PDF (slow for a long one: every page is read)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return PdfContent(tuple(_page_text(reader, n) for n in range(1, len(reader.pages) + 1)), _outline(reader))


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _outline_differences(name: str, old: tuple, new: tuple) -> list[str]:
    out = []
    for i, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            out.append(f"{name}: bokmärke {i}: arkivet '{a[1]}' (nivå {a[0]}) på sidan {a[2]}, "
                       f"nu '{b[1]}' (nivå {b[0]}) på sidan {b[2]}")
    for level, title, page in old[len(new):]:
        out.append(f"{name}: bokmärket '{title}' (nivå {level}, sidan {page}) finns bara i arkivet")
    for level, title, page in new[len(old):]:
        out.append(f"{name}: bokmärket '{title}' (nivå {level}, sidan {page}) finns bara i den ombyggda PDF:en")
    return out


_PAGE_KEYS = ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/UserUnit")


def _object_digest(obj, memo: dict) -> bytes:
    """A digest of an object and everything it refers to (streams by their raw bytes and dictionary)."""
    import pikepdf

    key = obj.objgen if getattr(obj, "is_indirect", False) else None
    if key is not None and key in memo:
        return memo[key]
    if key is not None:
        memo[key] = b"cycle:" + repr(key).encode()  # a reference back into itself ends here
    h = hashlib.sha256()
    if isinstance(obj, pikepdf.Stream):
        h.update(b"stream" + _object_digest(obj.stream_dict, memo) + hashlib.sha256(obj.read_raw_bytes()).digest())
    elif isinstance(obj, pikepdf.Dictionary):
        for k in sorted(obj.keys()):
            if k != "/Parent":
                h.update(b"key" + k.encode() + _object_digest(obj[k], memo))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            h.update(b"item" + _object_digest(item, memo))
    else:
        h.update(b"value" + repr(obj).encode())
    out = h.digest()
    if key is not None:
        memo[key] = out
    return out


def page_digests(data: bytes) -> list[bytes]:
    """Per page, a digest of everything its text is drawn from (see the module's note)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        memo: dict = {}
        return [hashlib.sha256(b"".join(k.encode() + _object_digest(page.obj[k], memo)
                                        for k in _PAGE_KEYS if k in page.obj)).digest() for page in pdf.pages]


def compare_pdfs(name: str, archived: bytes, rebuilt: bytes) -> list[str]:
    """Every difference a reader of the print would see, named by file and page (at most MAX_PER_PDF)."""
    from pypdf import PdfReader

    readers, digests, outlines = [], [], []
    for which, data in (("arkivets PDF", archived), ("den ombyggda PDF:en", rebuilt)):
        try:
            reader = PdfReader(io.BytesIO(data))
            digests.append(page_digests(data))
            outlines.append(_outline(reader))
        except Exception as exc:  # noqa: BLE001 - any damage to the file is a finding, named, not a traceback
            return [f"{name}: {which} kan inte läsas ({str(exc) or type(exc).__name__})"]
        readers.append(reader)
    old, new = readers
    n_old, n_new = len(old.pages), len(new.pages)
    out = []
    if n_old != n_new:
        out.append(f"{name}: {n_old} sidor i arkivet, {n_new} i den ombyggda")
    out += _outline_differences(name, outlines[0], outlines[1])
    for number, (da, db) in enumerate(zip(*digests), start=1):
        if da != db:
            a, b = _page_text(old, number), _page_text(new, number)
            if a != b:
                out.append(f"{name}, sidan {number}: texten skiljer sig: {passage(a, b)}")
    for number in range(n_new + 1, n_old + 1):
        out.append(f"{name}, sidan {number}: finns bara i arkivet: '{_page_text(old, number)[:80]}…'")
    for number in range(n_old + 1, n_new + 1):
        out.append(f"{name}, sidan {number}: finns bara i den ombyggda: '{_page_text(new, number)[:80]}…'")
    if len(out) > MAX_PER_PDF:
        return [*out[:MAX_PER_PDF], f"{name}: {len(out) - MAX_PER_PDF} skillnader till"]
    return out
