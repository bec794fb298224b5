"""Issue 23, point 3 (the print): `reproducera` prints the edition's PDFs again from the rebuilt pages
and compares what a reader of the print meets: page count, bookmarks (headings and their pages)
and the text of every page, naming the file and the page that differ.

The fast tests read two PDFs made here with pypdf; the slow ones print the session's small project
(conftest.small_printed) once, and each works on its own copy. That an edition without a PDF says so
and reproduces is shown in test_arkiv (test_the_archive_reproduces_byte_for_byte).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import EPOCH, copy_small_book
from helpers.core.layout import Layout, pdf_name
from helpers.evidence.manifest import MANIFEST, verify
from helpers.evidence.pdfsidor import compare_pdfs, page_count, read_pdf
from helpers.evidence.reproduce import reproduce

YEAR = 2026
PDF = pdf_name(YEAR)


def _pdf(pages: list[str], outline: list[tuple[str, int]] | None = None) -> bytes:
    """A small PDF with one line of text per page (Helvetica) and top-level bookmarks."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    for text in pages:
        page = writer.add_blank_page(595, 842)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({
            NameObject("/F1"): font})})
    for title, number in outline or []:
        writer.add_outline_item(title=title, page_number=number - 1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- fast: the comparison ---------------------------------------------------------------------------

def test_the_same_pages_bookmarks_and_text_are_no_difference():
    pages = ["Uppföljningsrapport 2026", "Åtgärd 1.1 Ligger efter planen", "Åtgärd 1.2 Enligt plan"]
    a = _pdf(pages, [("Titelsida", 1), ("Åtgärd 1.1", 2)])
    assert read_pdf(a).pages[1] == "Åtgärd 1.1 Ligger efter planen"
    assert read_pdf(a).outline == ((1, "Titelsida", 1), (1, "Åtgärd 1.1", 2))
    assert compare_pdfs(PDF, a, _pdf(pages, [("Titelsida", 1), ("Åtgärd 1.1", 2)])) == []


def test_a_reworded_passage_is_named_with_its_page_and_both_wordings():
    a = _pdf(["Titel", "Åtgärd 1.1 Ligger efter planen"])
    b = _pdf(["Titel", "Åtgärd 1.1 Ligger före planen"])
    [d] = compare_pdfs(PDF, a, b)
    assert d.startswith(f"{PDF}, sidan 2: texten skiljer sig") and "efter planen" in d and "före planen" in d


def test_a_page_more_and_a_bookmark_on_another_page_are_named():
    a = _pdf(["Titel", "Kapitel", "Tillagd sida"], [("Kapitel", 2)])
    b = _pdf(["Titel", "Kapitel"], [("Kapitel", 1)])
    found = compare_pdfs(PDF, a, b)
    assert f"{PDF}: 3 sidor i arkivet, 2 i den ombyggda" in found
    assert f"{PDF}: bokmärke 1: arkivet 'Kapitel' (nivå 1) på sidan 2, nu 'Kapitel' (nivå 1) på sidan 1" in found
    assert any(d.startswith(f"{PDF}, sidan 3: finns bara i arkivet: 'Tillagd sida") for d in found), found


def test_a_pdf_that_cannot_be_read_is_named_not_a_traceback():
    [d] = compare_pdfs(PDF, b"%PDF-1.7 avbruten", _pdf(["Titel"]))
    assert d.startswith(f"{PDF}: arkivets PDF kan inte läsas")


# --- slow: the whole command on a built edition with its PDF ----------------------------------------

def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


@pytest.fixture
def printed(small_printed, tmp_path) -> Layout:
    """This test's own copy of the session's small project with its PDF (conftest.small_printed)."""
    return copy_small_book(small_printed, tmp_path / "projekt").layout


def _rehash(layout: Layout, pdf: bytes) -> None:
    """The changed PDF written into the edition and beside the HTML, re-hashed as a careful forger would."""
    digest = hashlib.sha256(pdf).hexdigest()
    path = layout.edition(YEAR) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key, folder in (("filer", layout.edition(YEAR)), ("html", layout.html(YEAR))):
        (folder / PDF).write_bytes(pdf)
        manifest[key][PDF] = digest
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []  # verifiera passes …


def _text(pdf: bytes, page: int) -> str:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).pages[page - 1].extract_text()


def _reproduce(layout: Layout):
    from helpers.publish.omtryck import reprint

    return reproduce(layout.edition(YEAR), html=layout.html(YEAR), year=YEAR, jobs=1, only=["atgard_1_1"],
                     log=lambda *_: None, reprint=lambda *a: reprint(*a, log=lambda *_: None))


def _swap_letters(pdf: bytes, page_number: int) -> bytes:
    """A passage on one page reworded in place: the glyphs two neighbouring text operators show are swapped."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[page_number - 1]
        ops = pikepdf.parse_content_stream(page)
        shown = [i for i, (_operands, op) in enumerate(ops) if str(op) == "Tj"]
        shown = shown[len(shown) // 2:]  # in the running text, not the page's head
        for i, j in zip(shown, shown[1:]):
            a, b = ops[i], ops[j]
            if bytes(a.operands[0]) != bytes(b.operands[0]):
                ops[i] = pikepdf.ContentStreamInstruction(b.operands, a.operator)
                ops[j] = pikepdf.ContentStreamInstruction(a.operands, b.operator)
                page.Contents = doc.make_stream(pikepdf.unparse_content_stream(ops))
                out = io.BytesIO()
                doc.save(out)
                return out.getvalue()
    raise AssertionError(f"no text to reword on page {page_number}")


@pytest.mark.slow
def test_an_edition_and_its_archive_reproduce_with_the_pdf_and_no_differences(printed):
    layout = printed
    pdfs = sorted(p.name for p in layout.edition(YEAR).glob("*.pdf"))
    assert len(pdfs) == 3 and PDF in pdfs  # the report, its bilagor and the tjänsteskrivelse
    listed = ", ".join(f"{name} ({page_count((layout.edition(YEAR) / name).read_bytes())} sidor)" for name in pdfs)
    proc = _cli("arkivera", "--ar", str(YEAR), cwd=layout.root)
    assert proc.returncode == 0, proc.stderr
    proc = _cli("reproducera", "--ar", str(YEAR), "--sida", "atgard_1_1", "--jobb", "1", cwd=layout.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"PDF-filerna {listed} skrevs ut på nytt och har samma sidor, bokmärken och text" in proc.stdout, proc.stdout


@pytest.mark.slow
def test_a_reworded_passage_in_the_archived_pdf_is_caught_naming_the_page(printed):
    layout = printed
    original = (layout.edition(YEAR) / PDF).read_bytes()
    pages = page_count(original)
    page = pages - 1  # a chapter page near the end
    changed = _swap_letters(original, page)
    assert _text(changed, page) != _text(original, page)
    _rehash(layout, changed)
    report = _reproduce(layout)  # … but the PDF printed again from the rebuilt pages says otherwise
    assert report.pdfs[PDF] == pages and len(report.pdfs) == 3  # every PDF of the edition printed again
    assert [d for d in report.differences if d.startswith(PDF)] == \
        [d for d in report.differences if d.startswith(f"{PDF}, sidan {page}: texten skiljer sig")] != [], \
        report.differences


@pytest.mark.slow
def test_an_archived_pdf_with_a_page_more_is_caught(printed):
    from pypdf import PdfReader, PdfWriter

    layout = printed
    writer = PdfWriter(clone_from=PdfReader(layout.edition(YEAR) / PDF))
    n = len(writer.pages)
    writer.add_page(writer.pages[1])  # the table of contents once more at the end
    out = io.BytesIO()
    writer.write(out)
    _rehash(layout, out.getvalue())
    report = _reproduce(layout)
    assert f"{PDF}: {n + 1} sidor i arkivet, {n} i den ombyggda" in report.differences, report.differences
    assert any(d.startswith(f"{PDF}, sidan {n + 1}: finns bara i arkivet") for d in report.differences)
