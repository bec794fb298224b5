"""Reruns end to end on small fixture data: what runs again, what comes from the cache, and that
the incremental book is the book a clean build gives."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, make_project, read_rows, small_data, template_with, write_rows
from helpers.publish.pipeline import run_year

pytestmark = pytest.mark.slow

ATGARDER = ("1.1", "1.2", "5.1", "6.1")
PAGES = {"samlad_analys", "foretagsklimat", "malomrade_1", "malomrade_5", "malomrade_6",
         "atgard_1_1", "atgard_1_2", "atgard_5_1", "atgard_6_1",
         "bilaga_malomrade_1", "bilaga_malomrade_5", "bilaga_malomrade_6", "bilaga_foretagsklimat"}


def digests(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(pattern)) if p.is_file()}


def book_pages(layout, year: int = 2026) -> dict[str, str]:
    """The HTML book without the notebooks offered for download (they carry papermill's run times)."""
    return {k: v for k, v in digests(layout.html(year)).items() if not (k.startswith("_sources/") and k.endswith(".ipynb"))}


def downloads_match_the_edition(layout, year: int = 2026) -> bool:
    """What readers can download matches the edition: no notebooks (they stay in the edition's
    archive), and a PDF only if it is the edition's own."""
    html, edition = layout.html(year), layout.edition(year)
    if (html / "_sources").exists():
        return False
    return all((edition / p.name).is_file() and (edition / p.name).read_bytes() == p.read_bytes()
               for p in html.glob("*.pdf"))


def notebooks(layout, year: int = 2026) -> dict[str, str]:
    return {Path(k).stem: v for k, v in digests(layout.edition(year), "*.ipynb").items()}


def rerun(layout, **kw) -> tuple[set[str], list[str]]:
    """Run the year; return the pages executed again (their notebooks changed) and the log."""
    before = notebooks(layout)
    lines: list[str] = []
    run_year(2026, layout, jobs=2, log=lines.append, **kw)
    after = notebooks(layout)
    return {n for n in after if before.get(n) != after[n]}, lines


def set_value(layout, indicator: str, value: str) -> None:
    f = layout.data / "2026" / "indikatorvarden.exempeldata.csv"
    rows = read_rows(f)
    for r in rows:
        if r["indikator_id"] == indicator:
            r["varde"] = value
    write_rows(f, rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("omkorning")
    layout = make_project(base / "projekt", small_data(base / "src", ATGARDER))
    run_year(2026, layout, jobs=2, log=lambda *_: None)
    return layout


def test_the_kernels_took_the_pipelines_analysis_and_never_analysed_the_year_themselves(built):
    # Runs first on the fixture's cold run. A kernel that analysed would have rewritten the shared
    # entry while its first page ran; the pipeline wrote it before any page started.
    import datetime as dt

    entries = list((built.build / "cache" / "analys").glob("karna-*.pickle"))
    assert len(entries) == 1
    starts = [dt.datetime.fromisoformat(nbformat.read(p, as_version=4).metadata.papermill.start_time)
              for p in built.edition(2026).glob("*.ipynb")]
    starts = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in starts]  # papermill writes UTC
    assert len(starts) == len(PAGES)
    assert entries[0].stat().st_mtime < min(starts).timestamp()


def test_a_rerun_with_nothing_changed_executes_nothing_and_rebuilds_nothing(built):
    html = digests(built.html(2026))
    ran, log = rerun(built)
    assert ran == set()
    assert "Boken är oförändrad: inget behövde byggas om." in log
    assert digests(built.html(2026)) == html  # the identical book is published again


def test_a_cache_entry_cut_short_is_run_again_and_the_run_succeeds(built):
    """A full disk or a crash can leave a stored page truncated: a cache miss, never a failed run."""
    entry = sorted((built.build / "cache" / "2026").glob("*.ipynb"))[0]
    raw = entry.read_bytes()
    entry.write_bytes(raw[: len(raw) // 3])
    ran, log = rerun(built)
    assert len(ran) == 1, ran
    assert any("skadad" in line and entry.name in line and "körs om" in line for line in log), log
    assert nbformat.read(entry, as_version=4).cells  # stored again, whole


def test_one_corrected_value_reruns_its_chapter_and_the_aggregates_only(built):
    set_value(built, "1.1-1", "61")
    ran, log = rerun(built)
    assert ran == {"atgard_1_1", "bilaga_malomrade_1", "malomrade_1", "samlad_analys"}
    assert "Boken är oförändrad: inget behövde byggas om." not in log
    page = (built.html(2026) / "bilaga_malomrade_1.html").read_text(encoding="utf-8")
    assert re.search(r'<td class="num">61\b', page), "the corrected value is not in the bilaga's indicator table"
    assert downloads_match_the_edition(built)


def test_the_incremental_book_equals_a_clean_build_and_utan_cache_runs_everything(built):
    html = book_pages(built)
    outputs = {p.name: [c.get("outputs") for c in nbformat.read(p, as_version=4).cells]
               for p in built.edition(2026).glob("*.ipynb")}
    ran, _ = rerun(built, use_cache=False)
    assert ran == PAGES  # every page executed again
    assert {p.name: [c.get("outputs") for c in nbformat.read(p, as_version=4).cells]
            for p in built.edition(2026).glob("*.ipynb")} == outputs
    assert book_pages(built) == html  # built from scratch: byte for byte the incremental book
    assert downloads_match_the_edition(built)


def test_a_template_change_reruns_the_pages_made_from_it(built):
    cell = nbformat.v4.new_markdown_cell("## Testrubrik från en ändrad mall")
    with template_with(built.notebooks / "atgard.ipynb", "testrubrik", cell):
        ran, _ = rerun(built)
        assert ran == {"atgard_1_1", "atgard_1_2", "atgard_5_1", "atgard_6_1"}
        assert "Testrubrik från en ändrad mall" in (built.html(2026) / "atgard_5_1.html").read_text(encoding="utf-8")
    ran, _ = rerun(built)
    assert ran == {"atgard_1_1", "atgard_1_2", "atgard_5_1", "atgard_6_1"}
    assert "Testrubrik" not in (built.html(2026) / "atgard_5_1.html").read_text(encoding="utf-8")


def test_a_changed_environment_lock_reruns_every_page(built):
    lock = built.root / "constraints.txt"
    lock.write_text((ROOT / "constraints.txt").read_text(encoding="utf-8"), encoding="utf-8")
    ran, _ = rerun(built)
    assert ran == PAGES  # (a changed line in the lock: see test_cache.py, at the key)


def test_a_changed_helper_source_file_reruns_the_pages_that_show_it(tmp_path):
    """The helpers package is copied and run from the copy (as `make report` would, in a
    subprocess); a changed label in the åtgärd view must reach every åtgärd page."""
    import helpers

    src = tmp_path / "src"
    shutil.copytree(Path(helpers.__file__).parent, src / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    layout = make_project(tmp_path / "projekt", small_data(tmp_path / "data", ("5.1",)))
    env = {**os.environ, "PYTHONPATH": str(src), "CI": "1"}
    cmd = [sys.executable, "-m", "helpers", "--rot", str(layout.root), "rapport", "--ar", "2026", "--jobb", "2"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "från cache" not in first.stderr.replace("0 från cache", "")
    view = src / "helpers" / "present" / "atgard.py"
    view.write_text(view.read_text(encoding="utf-8").replace('("Mål och syfte"', '("Mål och syfte enligt planen"'),
                    encoding="utf-8")
    second = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert "bilaga_malomrade_5: kördes" in second.stderr  # the plain progress lines (not a terminal)
    # The plan's text is in the målområde's bilaga (the åtgärd chapter links to it).
    assert "Mål och syfte enligt planen" in (layout.html(2026) / "bilaga_malomrade_5.html").read_text(encoding="utf-8")
