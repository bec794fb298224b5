"""PDF/A-2u: what to_pdfa adds to a tagged PDF, and that the check names every rule it breaks.

The shipped edition's own PDF is checked by both validators in test_publication.py (it needs
Chromium); these tests use small PDFs made with pikepdf and run in a second.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from helpers.evidence import pdfa

INFO = pdfa.PdfaInfo(kommun="Norrtälje kommun", year=2026, dnr="KS 2026/0042")


def tagged_pdf() -> bytes:
    """One A4 page with embedded-font-free text-less content, tagged, Swedish, with a link: Chromium's shape."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    doc.Root.StructTreeRoot = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    doc.Root.MarkInfo = Dictionary(Marked=True)
    doc.Root.Lang = String("sv-SE")
    doc.Root.Outlines = doc.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[10, 10, 50, 50], Border=[0, 0, 0],
                      A=Dictionary(S=Name.URI, URI=String("https://www.norrtalje.se")))
    doc.pages[0].obj.Annots = Array([doc.make_indirect(link)])
    doc.docinfo["/Title"] = "Uppföljningsrapport 2026 – Norrtälje kommun"
    doc.docinfo["/Author"] = "Norrtälje kommun, Näringslivsenheten"
    doc.docinfo["/Subject"] = "Uppföljning av handlingsplanen"
    doc.docinfo["/Keywords"] = "uppföljningsrapport, 2026, exempeldata"
    doc.docinfo["/Creator"] = "Uppföljningsboken"
    doc.docinfo["/Producer"] = "Chromium"
    doc.docinfo["/CreationDate"] = "D:20260921141320+00'00'"
    doc.docinfo["/ModDate"] = "D:20260921141320+00'00'"
    out = io.BytesIO()
    doc.save(out, min_version="1.3")
    return out.getvalue()


def _edit(pdf: bytes, change) -> bytes:
    doc = pikepdf.open(io.BytesIO(pdf))
    change(doc)
    out = io.BytesIO()
    doc.save(out, static_id=True)
    return out.getvalue()


def test_a_plain_pdf_is_not_pdfa_and_the_check_says_why():
    problems = pdfa.check(tagged_pdf())
    text = "\n".join(problems)
    for words in ("XMP-metadata saknas", "utdataavsikt", "Title", "inte utskrivbar"):
        assert words in text, (words, problems)


def test_to_pdfa_adds_xmp_output_intent_and_id_and_keeps_tags_language_links_and_bookmarks():
    out = pdfa.to_pdfa(tagged_pdf(), INFO)
    assert pdfa.check(out) == []
    doc = pikepdf.open(io.BytesIO(out))
    assert out.startswith(b"%PDF-1.7")
    assert "/StructTreeRoot" in doc.Root and bool(doc.Root.MarkInfo.Marked) and str(doc.Root.Lang) == "sv-SE"
    assert "/Outlines" in doc.Root and len(doc.pages[0].obj.Annots) == 1
    assert int(doc.pages[0].obj.Annots[0].F) & 4, "a link must be printable in PDF/A"
    intent = doc.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.read_bytes() == pdfa.ICC_PROFILE.read_bytes()
    xmp = doc.Root.Metadata.read_bytes().decode("utf-8")
    for text in ("<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>U</pdfaid:conformance>",
                 "KS 2026/0042", "Norrtälje kommun", "<dc:coverage>2026</dc:coverage>", "sv-SE",
                 "Uppföljningsrapport 2026 – Norrtälje kommun", "2026-09-21T14:13:20+00:00"):
        assert text in xmp, text
    assert len(doc.trailer.ID) == 2 and bytes(doc.trailer.ID[0])


def test_the_same_pdf_gives_the_same_pdfa_bytes_and_another_one_another_id():
    a, b = pdfa.to_pdfa(tagged_pdf(), INFO), pdfa.to_pdfa(tagged_pdf(), INFO)
    assert a == b
    other = pdfa.to_pdfa(_edit(tagged_pdf(), lambda d: d.docinfo.__setitem__("/Title", "Annan")), INFO)
    assert bytes(pikepdf.open(io.BytesIO(other)).trailer.ID[1]) != bytes(pikepdf.open(io.BytesIO(a)).trailer.ID[1])


@pytest.mark.parametrize("change, words", [
    (lambda d: d.docinfo.__setitem__("/Title", "Ändrad titel"), "Title"),
    (lambda d: d.docinfo.__setitem__("/ModDate", "D:20270101000000+00'00'"), "ModDate"),
    (lambda d: d.Root.__delitem__("/OutputIntents"), "utdataavsikt"),
    (lambda d: d.Root.__delitem__("/StructTreeRoot"), "taggarna saknas"),
    (lambda d: d.Root.__setitem__("/OpenAction", Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))),
     "JavaScript"),
    (lambda d: d.pages[0].obj.Annots[0].__setitem__("/F", 2), "inte utskrivbar"),
    (lambda d: d.pages[0].obj.Annots[0].__setitem__("/A", Dictionary(S=Name.Launch, F=String("calc.exe"))),
     "Launch"),
])
def test_a_broken_pdfa_rule_is_named(change, words):
    broken = _edit(pdfa.to_pdfa(tagged_pdf(), INFO), change)
    problems = pdfa.check(broken)
    assert any(words in p for p in problems), problems


def test_every_rule_the_check_covers_is_listed_for_the_documentation():
    assert len(pdfa.RULES) >= 12 and all(isinstance(r, str) and r for r in pdfa.RULES)


def test_preflight_findings_are_waived_only_for_rules_pdfa2_relaxed():
    assert pdfa._waived("4.1.2") and pdfa._waived("3.1.11") and pdfa._waived("7.11.2")
    assert pdfa._waived("3.1.1") is None and pdfa._waived("7.2") is None and pdfa._waived("1.4.1") is None


@pytest.mark.skipif(not pdfa.preflight_available(), reason="Preflight (Debian libpdfbox2-java) saknas: make pdfa-validator")
def test_preflight_fails_a_plain_pdf_and_passes_its_pdfa():
    plain = pdfa.validate(tagged_pdf())
    assert not plain.ok and any(p.startswith("Preflight 7.1") for p in plain.problems), plain.problems
    good = pdfa.validate(pdfa.to_pdfa(tagged_pdf(), INFO))
    assert good.ok, good.problems
    assert any("Preflight" in v for v in good.validators)
