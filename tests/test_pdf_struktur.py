"""The printed edition (issue 25, points 3 and 6): a main report of at most 30 A4 pages and its
bilagor as a second PDF with its own title page and contents; signals that tell apart in greyscale.

Both PDFs are read as the diarium gets them (written by `build_pdf`, the function behind
`make pdf`) from the shipped data's 2026 edition. The greyscale test renders the pages with
Ghostscript in greyscale and measures the fill behind every signal word: on the old print style
(every pill white with a black rim) all four fills were the same and the test fails.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from test_publication import _outline, flat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

YEAR = 2026
CHROMIUM = Path("/usr/bin/chromium")
MAX_PAGES = 30
SIGNALS = {"Enligt plan": "✓", "Risk": "!", "Avvikelse": "✕", "Ej aktuell": "–"}


@pytest.fixture(scope="module")
def pdfs(request):
    """(layout, result, report reader, bilagor reader): the session's printed shipped book."""
    from pypdf import PdfReader

    from helpers.core.layout import bilagor_pdf_name, pdf_name

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} saknas (make browser)")
    layout, result = request.getfixturevalue("shipped_printed")
    edition = layout.edition(YEAR)
    return (layout, result, PdfReader(edition / pdf_name(YEAR)), PdfReader(edition / bilagor_pdf_name(YEAR)))


def _text(reader) -> str:
    return " ".join(flat(p.extract_text()) for p in reader.pages)


# --- two PDFs ------------------------------------------------------------------------------------

def test_the_main_report_of_the_shipped_2026_data_is_at_most_30_a4_pages(pdfs):
    _, result, report, bilagor = pdfs
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in report.pages}
    assert sizes <= {(595, 842), (842, 595)}, sizes
    assert len(report.pages) == result.pages <= MAX_PAGES, f"{len(report.pages)} pages in the main report"
    assert len(bilagor.pages) == result.appendix_pages[0] > 10


def test_both_pdfs_are_in_the_edition_beside_the_html_in_the_manifest_and_pdfa(pdfs):
    from helpers.evidence import pdfa
    from helpers.evidence.manifest import verify

    layout, result, _, _ = pdfs
    manifest = json.loads((layout.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    for path in (result.paths[0], *result.appendices):
        copy = layout.html(YEAR) / path.name
        assert path.read_bytes() == copy.read_bytes(), path.name
        assert manifest["filer"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert manifest["html"][path.name] == hashlib.sha256(copy.read_bytes()).hexdigest()
        assert pdfa.check(path.read_bytes()) == [], path.name
    assert manifest["pdf"]["bilagor"]["fil"] == f"uppfoljningsrapport-{YEAR}-bilagor.pdf"
    assert manifest["pdf"]["bilagor"]["sidor"] == result.appendix_pages[0]
    assert verify(layout.edition(YEAR)) == []


def test_the_main_report_has_the_decision_parts_and_no_appendix(pdfs):
    _, _, report, _ = pdfs
    top = [t for level, t, _ in _outline(report) if level == 0]
    assert top[:2] == ["Titelsida", "Innehåll"]
    assert "Samlad analys" in top and all(f"Målområde {n}" in top for n in range(1, 7)), top
    assert "Bilagor" not in top and "Om rapporten" not in top
    titles = [t for _, t, _ in _outline(report)]
    for heading in ("Sammanfattande bedömning", "Alla åtgärder", "Till kommunstyrelsen", "Det här händer närmast",
                    "Företagsklimatet", "Resultat enligt ansvarig", "Behov av justering"):
        assert any(t.startswith(heading) for t in titles), heading
    text = _text(report)
    assert "Antal erbjudna sommarjobb" in text and "412 (2025)" in text and "398 (2026)" in text
    assert re.search(r"31 december 2026 .{0,80}4\.4", text), "4.4's deadline is not in Det här händer närmast"
    # What moved to the bilagor is not printed twice.
    for moved in ("Åtgärden enligt handlingsplanen", "Mål och syfte", "Utveckling över tid", "Historik: publicerade"):
        assert moved not in text, moved
    assert "bilagan för målområde 1" in text


def test_the_bilagor_have_their_own_title_page_contents_and_every_appendix(pdfs):
    layout, _, _, bilagor = pdfs
    first = flat(bilagor.pages[0].extract_text())
    assert f"Bilagor till uppföljningsrapport {YEAR}" in first and "Norrtälje kommun" in first
    assert "Exempeldata" in first and "Sida 1" not in first
    assert "Innehåll" in flat(bilagor.pages[1].extract_text())
    outline = _outline(bilagor)
    assert [t for level, t, _ in outline if level == 0][:3] == ["Titelsida", "Innehåll", "Bilagor"]
    chapters = [t for level, t, _ in outline if level == 1]
    for n in range(1, 7):
        assert any(t.startswith(f"Bilaga: målområde {n}.") for t in chapters), (n, chapters)
    for needed in ("Bilaga: företagsklimatet", "Om rapporten", "Planens ord och rapportens tolkningar"):
        assert needed in chapters, (needed, chapters)
    assert bilagor.metadata.title.startswith(f"Bilagor till uppföljningsrapport {YEAR}")
    n = len(bilagor.pages)
    assert all(f"Sida {i} av {n}" in bilagor.pages[i - 1].extract_text() for i in range(2, n + 1))
    text = _text(bilagor)
    for needed in ("Åtgärden enligt handlingsplanen", "Mål och syfte", "Utveckling över tid",
                   "Liknande kommuner, övergripande: NKI totalt mätår", "Sammanhang för strategin"):
        assert needed in text, needed
    # A chart only where a series has three points; the others are named in words.
    assert "Diagram visas först när en serie har minst tre jämförbara värden" in text


def test_a_fastställd_edition_gets_neither_pdf(pdfs, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from helpers.core.errors import RunError
    from helpers.evidence import faststallande
    from helpers.publish.pdf import build_pdf

    layout, _, _, _ = pdfs
    before = {p.name: p.read_bytes() for p in layout.edition(YEAR).glob("*.pdf")}
    assert len(before) == 2
    archived = SimpleNamespace(pending=False, folder=tmp_path / "arkiv", version=1, manifest_sha256="0" * 64)
    monkeypatch.setattr(faststallande, "status", lambda *_: archived)
    with pytest.raises(RunError, match="fastställd"):
        build_pdf(YEAR, layout, log=lambda *_: None)
    assert {p.name: p.read_bytes() for p in layout.edition(YEAR).glob("*.pdf")} == before


# --- greyscale -----------------------------------------------------------------------------------

def _raster(pdf: Path, page: int, dpi: int = 72):
    """One page in 8-bit greyscale, one pixel per point at 72 dpi (Ghostscript, as a printer sees it)."""
    import numpy as np

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "sida.pgm"
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pgmraw", f"-r{dpi}",
                        f"-dFirstPage={page}", f"-dLastPage={page}", f"-sOutputFile={out}", str(pdf)], check=True)
        data = out.read_bytes()
    header = [line for line in data.split(b"\n")[:4] if not line.startswith(b"#")]
    w, h = map(int, header[1].split())
    return np.frombuffer(data[-w * h:], dtype=np.uint8).reshape(h, w)


def _signal_words(page) -> list[tuple[str, float, float, float]]:
    """(signal word, x, baseline y, font size) of every text run that is a signal's word, in points."""
    out = []

    def visit(text, cm, tm, font, size):
        word = text.strip()
        if word in SIGNALS:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((word, x, y, size * abs(tm[3] * cm[3]) if tm[3] else size))
    page.extract_text(visitor_text=visit)
    return out


def test_signals_tell_apart_in_greyscale_by_symbol_word_and_fill(pdfs):
    import numpy as np

    assert shutil.which("gs"), "Ghostscript (gs) saknas: make pdfa-validator installerar den"

    layout, result, report, _ = pdfs
    fills: dict[str, list[int]] = {}
    for number, page in enumerate(report.pages, 1):
        words = _signal_words(page)
        if not words:
            continue
        text = flat(page.extract_text())
        for word, _x, _y, _s in words:
            assert re.search(re.escape(SIGNALS[word]) + r"\s*" + re.escape(word), text), (number, word)
        grey = _raster(result.paths[0], number)
        height = float(page.mediabox.height)
        for word, x, y, size in words:
            box = grey[int(height - y - 0.7 * size):int(height - y), int(x):int(x + 0.5 * size * len(word))]
            fills.setdefault(word, []).append(int(np.median(box)))  # the glyphs cover less than half the box
    assert set(fills) == set(SIGNALS), f"signals found in the report: {sorted(fills)}"
    typical = {}
    for word, values in fills.items():
        assert max(values) - min(values) <= 25, (word, values)  # the same signal looks the same everywhere
        typical[word] = float(np.median(values))
    names = sorted(typical, key=typical.get)
    gaps = [(a, b, typical[b] - typical[a]) for a, b in zip(names, names[1:])]
    assert all(gap >= 30 for _, _, gap in gaps), f"fills too alike in greyscale: {typical}"
    # Text on each fill stays readable: the darkest fill carries light text (tested by its lighter mean).
    assert typical["Avvikelse"] < 60 and typical["Enligt plan"] > 230, typical
