"""The tjänsteskrivelse's PDF (issue 25 point 1, issue 23 point 4), read as the diarium gets it:
`python -m helpers rapport --dnr …` then `python -m helpers pdf` on a fixture project, exactly as
`make report` and `make pdf` run them."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from helpers.compute.analysis import analyse

pytestmark = [pytest.mark.browser, pytest.mark.slow]
YEAR = 2026
DNR = "KS 2026/0123"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=900)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium (make browser).")
    layout = make_project(tmp_path_factory.mktemp("tj") / "projekt")
    out = run_cli("rapport", "--ar", str(YEAR), "--jobb", "2", "--dnr", DNR, "--datum", "2026-12-10", cwd=layout.root)
    assert out.returncode == 0, out.stderr
    out = run_cli("pdf", "--ar", str(YEAR), cwd=layout.root)
    assert out.returncode == 0, out.stderr
    return layout, out


@pytest.fixture(scope="module")
def reader(built):
    from pypdf import PdfReader

    layout, _ = built
    return PdfReader(layout.edition(YEAR) / f"tjansteskrivelse-{YEAR}.pdf")


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def text(reader) -> str:
    return flat(" ".join(p.extract_text() or "" for p in reader.pages))


def test_both_pdfs_are_written_and_recorded_in_the_manifest(built, reader):
    from helpers.evidence.manifest import verify

    layout, out = built
    edition, html = layout.edition(YEAR), layout.html(YEAR)
    for name in (f"uppfoljningsrapport-{YEAR}.pdf", f"tjansteskrivelse-{YEAR}.pdf"):
        assert (edition / name).read_bytes() == (html / name).read_bytes()
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    path = edition / f"tjansteskrivelse-{YEAR}.pdf"
    assert manifest["filer"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["tjansteskrivelse"]["sidor"] == len(reader.pages)
    assert manifest["tjansteskrivelse"]["diarienummer"] == DNR
    assert verify(edition) == []
    assert f"tjänsteskrivelsen, {len(reader.pages)} sidor A4" in out.stdout


def test_at_most_four_a4_pages(reader):
    assert 1 <= len(reader.pages) <= 4
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2


def test_the_headings_in_order_and_as_bookmarks(reader, text):
    from helpers.present.tjansteskrivelse import HEADINGS

    positions = [text.find(h) for h in HEADINGS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    outline = reader.outline
    assert flat(outline[0].title) == f"Tjänsteskrivelse: uppföljning {YEAR}"
    assert [flat(o.title) for o in outline[1]] == list(HEADINGS)


def test_the_arende_given_on_the_command_line_is_on_the_page_and_in_the_pdf(built, text):
    layout, _ = built
    assert f"Diarienummer {DNR}" in text and "Datum 10 december 2026" in text
    assert "Handläggare anges av ansvarig enhet" in text  # not given: said plainly
    page = (layout.html(YEAR) / "tjansteskrivelse.html").read_text(encoding="utf-8")
    assert DNR in page


def test_forslag_till_beslut_has_the_fixed_point_and_one_point_per_board_proposal(built, text):
    layout, _ = built
    an = analyse(YEAR, layout.data)
    part = text.split("Förslag till beslut")[1].split("Beskrivning av ärendet")[0]
    numbers = [int(n) for n in re.findall(r"(?:^|\s)(\d)\. (?=[A-ZÅÄÖ])", part)]
    assert numbers == list(range(1, 2 + len(an.oversikt.forslag))) == [1, 2, 3, 4, 5]
    assert part.strip().startswith("1. Kommunstyrelsen godkänner uppföljningen av handlingsplanen")
    for p in an.oversikt.forslag:
        assert f"åtgärd {p.atgard_id} ”" in part.lower() or f"Åtgärd {p.atgard_id} ”" in part
    assert "4.4" not in part
    assert "350 000 kronor" in text.split("Ekonomiska konsekvenser")[1]


def test_the_tjansteskrivelse_is_pdfa_2u(built):
    from helpers.evidence.pdfa import validate

    layout, _ = built
    verdict = validate((layout.edition(YEAR) / f"tjansteskrivelse-{YEAR}.pdf").read_bytes())
    assert verdict.ok, verdict.problems
    import pikepdf

    with pikepdf.open(io.BytesIO((layout.edition(YEAR) / f"tjansteskrivelse-{YEAR}.pdf").read_bytes())) as pdf:
        xmp = str(pdf.Root.Metadata.read_bytes(), "utf-8")
    assert DNR in xmp


def test_an_option_that_differs_from_the_built_page_is_refused_before_anything_is_written(built):
    layout, _ = built
    path = layout.edition(YEAR) / f"tjansteskrivelse-{YEAR}.pdf"
    before = path.read_bytes()
    out = run_cli("pdf", "--ar", str(YEAR), "--dnr", "KS 2026/9999", cwd=layout.root)
    assert out.returncode == 2, out.stderr
    assert "--dnr" in out.stderr and "KS 2026/9999" in out.stderr and "rapport --ar 2026 --dnr" in out.stderr
    assert "Traceback" not in out.stderr
    assert path.read_bytes() == before
