"""The run of a year, end to end on small fixture data: what is published, and what is never damaged."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import SMALL, copy_small_book, read_rows, template_with, tree_digest, write_rows
from helpers.core.errors import InputError, RunError
from helpers.evidence.manifest import verify
from helpers.publish.pipeline import run_year
from helpers.run import pages as book

pytestmark = pytest.mark.slow

ATGARDER = SMALL  # the session's small project (conftest.small_book)


def outputs_only(nb_path: Path) -> list:
    """Cell sources and outputs: what a re-execution must reproduce (timings excluded)."""
    nb = nbformat.read(nb_path, as_version=4)
    return [(c.cell_type, c.source, c.get("outputs", [])) for c in nb.cells]


@pytest.fixture(scope="module")
def built(small_book, tmp_path_factory):
    """This module's own copy of the session's small project (built once, from SMALL = ATGARDER): its tests
    change it (a broken template, another year). The inputs' digest is the one taken before that build."""
    book = copy_small_book(small_book, tmp_path_factory.mktemp("pipeline") / "projekt")
    return book.layout, book.result, book.inputs


def test_report_publishes_one_page_per_atgard_and_the_overview(built):
    layout, result, _ = built
    html = layout.html(2026)
    assert result.html_index == html / "index.html" and result.html_index.exists()
    for aid in ATGARDER:
        assert (html / f"{book.atgard_page(aid)}.html").exists()
    for page in ("samlad_analys", "foretagsklimat", "malomrade_1", "malomrade_5", "malomrade_6", "om_rapporten",
                 "metod", "tolkningar"):
        assert (html / f"{page}.html").exists(), page
    assert (layout.build / "html" / "index.html").read_text(encoding="utf-8").count('href="2026/index.html"') == 1


def test_atgard_page_is_headed_with_number_and_title_and_shows_the_parts_the_plan_asks_for(built):
    layout, _, _ = built
    page = (layout.html(2026) / "atgard_1_1.html").read_text(encoding="utf-8")
    assert "1.1 Fortsatt utveckling av företagslotsen" in page
    for part in ("Status 2026", "Resultat enligt ansvarig", "Behov av justering", "Exempeldata",
                 'href="bilaga_malomrade_1.html#bilaga-1-1"'):
        assert part in page, part
    # The full indicator table, the series, the links and the plan's text are in the målområde's bilaga.
    bilaga = (layout.html(2026) / "bilaga_malomrade_1.html").read_text(encoding="utf-8")
    for part in ('id="bilaga-1-1"', 'id="bilaga-1-2"', "Indikatorer och måluppfyllelse", "uppf-indikatorer",
                 "Samverkan med andra åtgärder", "Åtgärden enligt handlingsplanen", "Exempeldata"):
        assert part in bilaga, part
    for moved in ("uppf-indikatorer", "Åtgärden enligt handlingsplanen"):
        assert moved not in page, moved
    # 1.2 names 1.1 (the företagslots working group): the link shows in both åtgärder's bilaga sections
    assert 'href="atgard_1_1.html"' in bilaga and 'href="atgard_1_2.html"' in bilaga


def test_readers_see_no_code_and_no_parameters(built):
    layout, _, _ = built
    for page in layout.html(2026).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "analyse(year" not in text, page.name
        assert "atgard_id = " not in text, page.name


def test_executed_notebooks_carry_parameters_title_and_hidden_code(built):
    layout, _, _ = built
    nb = nbformat.read(layout.edition(2026) / "atgard_5_1.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters == {"year": 2026, "data_dir": "indata", "atgard_id": "5.1"}
    assert nb.cells[0].source.startswith("# 5.1 Etablera bransch/klusterträffar")
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.tags)
        if tags & {"parameters", "injected-parameters"}:
            assert "remove-cell" in tags
        else:
            assert "remove-input" in tags
        assert all(o.get("name") != "stderr" and o["output_type"] != "error" for o in cell.outputs)


def test_inputs_are_never_rewritten(built):
    layout, _, before = built
    assert tree_digest(layout.data) == before


def test_edition_archives_inputs_with_a_manifest_that_verifies(built):
    layout, _, _ = built
    edition = layout.edition(2026)
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ar"] == 2026 and manifest["exempeldata"] is True
    assert "indata/2026/status.exempeldata.csv" in manifest["filer"]
    assert "atgard_1_1.ipynb" in manifest["filer"]
    assert verify(edition) == []


def test_verify_detects_a_changed_file(tmp_path, built):
    layout, _, _ = built
    copy = tmp_path / "2026"
    import shutil

    shutil.copytree(layout.edition(2026), copy)
    nb = copy / "atgard_1_1.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Fortsatt", "Ändrad"), encoding="utf-8")
    (copy / "extra.txt").write_text("x", encoding="utf-8")
    problems = verify(copy)
    assert any("atgard_1_1.ipynb" in p and "ändrats" in p for p in problems)
    assert any("extra.txt" in p for p in problems)


def test_bad_input_stops_before_anything_runs_and_leaves_the_last_good_book(built):
    layout, _, _ = built
    html_before = tree_digest(layout.html(2026))
    edition_before = tree_digest(layout.edition(2026))
    f = layout.data / "2026" / "indikatorvarden.exempeldata.csv"
    original = f.read_bytes()
    rows = read_rows(f)
    for r in rows:
        if r["indikator_id"] == "1.1-2":
            r["varde"] = "120"
    try:
        write_rows(f, rows)
        with pytest.raises(InputError) as exc:
            run_year(2026, layout, jobs=2, log=lambda *_: None)
        message = str(exc.value)
        assert "indikatorvarden.exempeldata.csv" in message and "kolumn 'varde'" in message and "'120'" in message
    finally:
        f.write_bytes(original)
    assert tree_digest(layout.html(2026)) == html_before
    assert tree_digest(layout.edition(2026)) == edition_before


def test_a_failing_notebook_publishes_nothing_and_keeps_the_last_good_book(tmp_path, built):
    layout, _, _ = built
    html_before = tree_digest(layout.html(2026))
    boom = nbformat.v4.new_code_cell("raise ValueError('trasig mall')")
    with template_with(layout.notebooks / "malomrade.ipynb", "boom", boom):
        with pytest.raises(RunError) as exc:
            run_year(2026, layout, jobs=2, log=lambda *_: None)
        assert "malomrade_1.ipynb" in str(exc.value) and "trasig mall" in str(exc.value)
    assert tree_digest(layout.html(2026)) == html_before
    assert verify(layout.edition(2026)) == []


def test_another_year_run_leaves_the_published_year_untouched_and_is_reproducible(built, monkeypatch):
    layout, _, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # a reproducible build: same inputs, same bytes
    html_2026 = tree_digest(layout.html(2026))
    edition_2026 = tree_digest(layout.edition(2026))
    run_year(2025, layout, jobs=2, log=lambda *_: None)
    assert tree_digest(layout.html(2026)) == html_2026
    assert tree_digest(layout.edition(2026)) == edition_2026
    landing = (layout.build / "html" / "index.html").read_text(encoding="utf-8")
    assert landing.index("2026/index.html") < landing.index("2025/index.html")
    # Re-running 2025 gives the same executed outputs: the notebooks are deterministic.
    first = {p.name: outputs_only(p) for p in layout.edition(2025).glob("*.ipynb")}
    first_edition, first_html = tree_digest(layout.edition(2025)), tree_digest(layout.html(2025))
    run_year(2025, layout, jobs=1, log=lambda *_: None)
    second = {p.name: outputs_only(p) for p in layout.edition(2025).glob("*.ipynb")}
    assert first == second
    # With SOURCE_DATE_EPOCH every file is the same bytes, but the run's record (run times).
    assert tree_digest(layout.html(2025)) == first_html
    run_record = {"manifest.json", "korning.json"}
    second_edition = tree_digest(layout.edition(2025))
    assert {k: v for k, v in second_edition.items() if k not in run_record} == \
        {k: v for k, v in first_edition.items() if k not in run_record}
