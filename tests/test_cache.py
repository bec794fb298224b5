"""The run cache: a page is reused only when nothing it depends on changed, and never when
something did. Staleness is the one unforgivable bug, so every kind of input is changed here."""

from __future__ import annotations

import ast
import dataclasses
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import make_project, read_rows, small_data, write_rows
from helpers.compute.analysis import analyse
from helpers.run import cache as runcache
from helpers.run import deps
from helpers.run import pages as book
from helpers.run.digests import tree_digest
from helpers.run.execute import prepared_bytes

ATGARDER = ("1.1", "1.2", "5.1", "6.1")


def keys(layout, year: int = 2026) -> dict[str, str]:
    an = analyse(year, layout.data)
    fp = runcache.Fingerprint(layout, runcache.read_files(an, layout))
    return {p.name: fp.key(p, prepared_bytes(layout, p)) for p in book.pages(an.plan, year, "data")}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after.get(name)}


def set_cell(path: Path, key_col: str, key: str, col: str, value: str) -> None:
    rows = read_rows(path)
    for r in rows:
        if r[key_col] == key:
            r[col] = value
    write_rows(path, rows)


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "projekt", small_data(tmp_path / "src", ATGARDER))


# --- the key follows every kind of input --------------------------------------------------------------

def test_one_corrected_value_changes_its_chapter_and_the_pages_that_aggregate_it(project):
    before = keys(project)
    set_cell(project.data / "2026" / "indikatorvarden.exempeldata.csv", "indikator_id", "1.1-1", "varde", "59")
    assert changed(before, keys(project)) == {"atgard_1_1", "bilaga_malomrade_1", "malomrade_1", "samlad_analys"}


def test_a_corrected_value_of_an_earlier_year_changes_the_same_pages(project):
    before = keys(project)
    set_cell(project.data / "2025" / "indikatorvarden.exempeldata.csv", "indikator_id", "5.1-1", "varde", "3")
    assert changed(before, keys(project)) == {"atgard_5_1", "bilaga_malomrade_5", "malomrade_5", "samlad_analys"}


def test_a_status_change_reaches_the_pages_that_show_that_status(project):
    before = keys(project)
    set_cell(project.data / "2026" / "status.exempeldata.csv", "atgard_id", "1.1", "kommentar", "Ny kommentar.")
    # 1.2 reads 1.1's status among its links (its bilaga shows it); målområde 5 and 6 never show 1.1
    assert changed(before, keys(project)) == {"atgard_1_1", "atgard_1_2", "bilaga_malomrade_1", "malomrade_1",
                                              "samlad_analys"}


def test_a_lardom_changes_only_the_samlad_analys(project):
    before = keys(project)
    f = project.data / "2026" / "lardomar.exempeldata.csv"
    rows = read_rows(f) + [{"typ": "lärdom", "atgard_id": "1.1", "text": "En ny lärdom om 1.1."}]
    write_rows(f, rows, ["typ", "atgard_id", "text"])
    assert changed(before, keys(project)) == {"samlad_analys"}


def test_register_and_business_climate_files_change_every_page(project):
    before = keys(project)
    set_cell(project.data / "plan" / "atgarder.csv", "atgard_id", "5.1", "tidplan", "2027")
    after_plan = keys(project)
    assert changed(before, after_plan) == set(before)
    f = project.data / "foretagsklimat" / "ranking.exempeldata.csv"
    f.write_bytes(f.read_bytes().replace(b"176", b"175", 1))
    assert changed(after_plan, keys(project)) == set(before)


def test_a_template_change_changes_the_pages_made_from_it(project):
    before = keys(project)
    template = project.notebooks / "atgard.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## Ny rubrik"))
    nbformat.write(nb, template)
    assert changed(before, keys(project)) == {f"atgard_{a.replace('.', '_')}" for a in ATGARDER}


def test_a_parameter_or_title_change_changes_the_key(project):
    an = analyse(2026, project.data)
    fp = runcache.Fingerprint(project, runcache.read_files(an, project))
    page = next(p for p in book.pages(an.plan, 2026, "data") if p.name == "atgard_5_1")
    key = fp.key(page, prepared_bytes(project, page))
    other = dataclasses.replace(page, parameters={**page.parameters, "data_dir": "annan_data"})
    assert fp.key(other, prepared_bytes(project, other)) != key
    retitled = dataclasses.replace(page, title="5.1 Ny titel")
    assert fp.key(retitled, prepared_bytes(project, retitled)) != key


def test_the_environment_lock_python_and_installed_versions_change_every_page(project, monkeypatch):
    before = keys(project)
    (project.root / "constraints.txt").write_text("pandas==3.1.1\n", encoding="utf-8")
    with_lock = keys(project)
    assert changed(before, with_lock) == set(before)
    (project.root / "constraints.txt").write_text("pandas==3.1.2\n", encoding="utf-8")
    relocked = keys(project)
    assert changed(with_lock, relocked) == set(before)
    monkeypatch.setattr(sys, "version", sys.version + " (annan)")
    assert changed(relocked, keys(project)) == set(before)


def test_helper_code_is_part_of_every_key(project, monkeypatch):
    before = keys(project)
    monkeypatch.setattr(runcache, "code_digest", lambda: "annan kod")
    assert changed(before, keys(project)) == set(before)


def test_the_code_digest_sees_any_changed_source_file(tmp_path):
    import helpers

    copy = tmp_path / "helpers"
    shutil.copytree(Path(helpers.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(copy)
    f = copy / "present" / "atgard.py"
    f.write_text(f.read_text(encoding="utf-8") + "\n# ändrad\n", encoding="utf-8")
    assert tree_digest(copy) != before


def test_renaming_exempeldata_to_real_data_changes_every_page(project):
    before = keys(project)
    f = project.data / "2025" / "status.exempeldata.csv"
    f.rename(f.with_name("status.csv"))
    assert changed(before, keys(project)) == set(before)


def test_files_the_year_does_not_read_change_nothing(project):
    before = keys(project)
    shutil.copytree(project.data / "2026", project.data / "2027")  # a later year is not read for 2026
    (project.data / "LASMIG.txt").write_text("anteckningar", encoding="utf-8")
    assert keys(project) == before


# --- the declared reads are complete ------------------------------------------------------------------

def render(template: Path, params: dict) -> list[str]:
    """A page as readers get it: the rich output of every code cell, executed in this process.

    The hidden record cells are left out: they name the file and line of every row used, which
    differ in a cut copy of the data by design; the cache key covers them (see the next test)."""
    ns: dict = {}
    out = []
    for cell in nbformat.read(template, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            exec(cell.source, ns)
            ns.update(params)
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), ns)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
            if cell.get("id", "").startswith("underlag"):
                continue  # the record: run, but its file and line names are not the page's content
            out.append(value._repr_html_() if hasattr(value, "_repr_html_") else repr(value))
    return out


def variant(data: Path, dest: Path, reads: deps.Reads, how: str) -> Path:
    """A copy of the data where every year-file row the page does not declare is removed
    ('bort') or has its status, value and texts changed ('andrad')."""
    shutil.copytree(data, dest)
    for f in sorted(dest.glob("[0-9][0-9][0-9][0-9]/*.csv")):
        stem = f.name.split(".")[0]
        wanted = reads.rows(stem)
        if wanted is None:
            continue
        col = deps.KEY_COLUMNS[stem]
        rows = read_rows(f)
        header = list(rows[0].keys()) if rows else None
        if how == "bort":
            rows = [r for r in rows if r[col] in wanted]
        else:
            for r in rows:
                if r[col] in wanted:
                    continue
                for text_col in ("kommentar", "uppgiftslamnare", "text"):
                    if r.get(text_col):
                        r[text_col] = "ÄNDRAD UTANFÖR SIDANS RADER"
                if stem == "status":
                    r["status"] = "avslutad"
                if stem == "indikatorvarden" and r["varde"]:
                    r["varde"] = "1"
        if header:
            write_rows(f, rows, header)
    return dest


def _declared(layout, names):
    an = analyse(2026, layout.data)
    return [p for p in book.pages(an.plan, 2026, "data") if p.name in names]


# Every page kind, with links between åtgärder (1.1–1.2), a repeated measure (4.1: varde_fran),
# a målområde's own indicator (M4-1) and indicators that follow a business-climate series.
CHECKED = ("atgard_1_1", "atgard_1_2", "atgard_4_1", "atgard_5_1", "malomrade_1", "malomrade_4", "foretagsklimat",
           "bilaga_malomrade_1", "bilaga_malomrade_4")


@pytest.fixture
def wide_project(tmp_path):
    return make_project(tmp_path / "bred", small_data(tmp_path / "bred-src", (*ATGARDER, "4.1")))


@pytest.mark.slow
@pytest.mark.parametrize("how", ["bort", "andrad"])
def test_a_page_rendered_from_only_its_declared_rows_is_the_same_page(wide_project, tmp_path, how):
    """If a page showed anything from a row it does not declare, this would differ: the cache
    would then miss a change that matters."""
    project = wide_project
    pages = _declared(project, CHECKED)
    assert {p.name for p in pages} == set(CHECKED)
    for page in pages:
        template = project.notebooks / page.template
        full = render(template, {**page.parameters, "data_dir": str(project.data)})
        cut = variant(project.data, tmp_path / f"{page.name}-{how}" / "data", page.inputs, how)
        assert render(template, {**page.parameters, "data_dir": str(cut)}) == full, page.name


def test_a_row_that_moves_in_its_file_changes_the_key_of_the_pages_that_show_it(tmp_path):
    """The record names each row's line: a row above that is inserted or removed moves it."""
    layout = make_project(tmp_path / "p", small_data(tmp_path / "src", ATGARDER))
    page = _declared(layout, ("atgard_5_1",))[0]
    an = analyse(2026, layout.data)
    before = runcache.Fingerprint(layout, runcache.read_files(an, layout)).key(page, b"nb")
    f = layout.data / "2026" / "status.exempeldata.csv"
    rows = read_rows(f)
    write_rows(f, list(reversed(rows)), list(rows[0].keys()))  # same rows, other lines
    after = runcache.Fingerprint(layout, runcache.read_files(an, layout)).key(page, b"nb")
    assert before != after


@pytest.mark.slow
def test_the_completeness_check_catches_an_undeclared_row(project, tmp_path):
    """The check above can fail: målområde 5's bilaga shows the status of 6.1, which 5.1 links to, so
    leaving 6.1 out is caught."""
    page = _declared(project, ("bilaga_malomrade_5",))[0]
    assert "6.1" in page.inputs.status
    too_narrow = dataclasses.replace(page.inputs, status=page.inputs.status - {"6.1"})
    template = project.notebooks / page.template
    full = render(template, {**page.parameters, "data_dir": str(project.data)})
    cut = variant(project.data, tmp_path / "smal" / "data", too_narrow, "andrad")
    assert render(template, {**page.parameters, "data_dir": str(cut)}) != full


# --- the cache store ------------------------------------------------------------------------------------

def test_the_store_keeps_what_the_last_good_run_used_per_year(tmp_path):
    layout = make_project(tmp_path / "p", small_data(tmp_path / "src", ATGARDER))
    nb = tmp_path / "x.ipynb"
    nb.write_text(EMPTY_NOTEBOOK, encoding="utf-8")
    c26, c25 = runcache.PageCache(layout, 2026), runcache.PageCache(layout, 2025)
    for k in ("a", "b"):
        c26.put(k, nb)
    c25.put("c", nb)
    c25.record({"sida": "x"})  # another year's run never removes this year's entries
    c26.record({"sida": "a"})
    assert c26.get("a") == c26.path("a") and c26.get("b") is None and c25.get("c") is None
    assert c26.path("a").read_text(encoding="utf-8") == EMPTY_NOTEBOOK
    assert runcache.PageCache(layout, 2026, read=False).get("a") is None  # --utan-cache reads nothing


EMPTY_NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook())


@pytest.mark.parametrize("damage", ["cut", "zero", "not-a-notebook"])
def test_a_damaged_cache_entry_is_a_miss_removed_and_logged_and_the_page_runs_again(tmp_path, damage):
    """A full disk or a crash can leave a stored page cut short; it must never fail every later run."""
    layout = make_project(tmp_path / "p", small_data(tmp_path / "src", ATGARDER))
    nb = tmp_path / "x.ipynb"
    good = nbformat.v4.new_notebook()
    good.cells.append(nbformat.v4.new_markdown_cell("# Åtgärd 1.1 " + "text " * 200))
    nb.write_text(nbformat.writes(good), encoding="utf-8")
    logged: list[str] = []
    store = runcache.PageCache(layout, 2026, log=logged.append)
    store.put("a", nb)
    assert store.get("a") == store.path("a") and logged == []
    raw = store.path("a").read_bytes()
    store.path("a").write_bytes({"cut": raw[: len(raw) // 2], "zero": b"\0" * len(raw),
                                 "not-a-notebook": b'{"cells": 3}'}[damage])
    assert store.get("a") is None
    assert not store.path("a").exists() and store.discarded == ["a.ipynb"]
    assert len(logged) == 1 and "skadad" in logged[0] and "körs om" in logged[0]


def test_the_year_is_analysed_again_whenever_a_data_byte_code_or_environment_changed(project, monkeypatch):
    from helpers.compute import analysis as module
    from helpers.core.errors import InputError

    calls = []
    real = module.analyse
    monkeypatch.setattr(module, "analyse", lambda year, data: calls.append(year) or real(year, data))
    first = runcache.analysis(2026, project)
    again = runcache.analysis(2026, project)
    assert calls == [2026] and again.plan.order == first.plan.order  # stored: not analysed twice
    runcache.analysis(2026, project, reuse=False)  # --utan-cache
    runcache.analysis(2026, project, code="annan kod")
    runcache.analysis(2026, project, environment="annan miljö")
    assert calls == [2026] * 4
    set_cell(project.data / "2025" / "indikatorvarden.exempeldata.csv", "indikator_id", "5.1-1", "varde", "3")
    v = runcache.analysis(2026, project).values
    assert v[(v["indikator_id"] == "5.1-1") & (v["ar"] == 2025)]["varde"].iloc[0] == 3 and len(calls) == 5
    set_cell(project.data / "2026" / "indikatorvarden.exempeldata.csv", "indikator_id", "5.1-1", "varde", "-1")
    with pytest.raises(InputError):
        runcache.analysis(2026, project)
    with pytest.raises(InputError):  # bad data is never stored as checked
        runcache.analysis(2026, project)


def test_the_stored_analysis_is_used_by_every_run_though_each_run_writes_its_own_lock_in_data(project, monkeypatch):
    from helpers.compute import analysis as module
    from helpers.run.guard import project_lock

    calls = []
    real = module.analyse
    monkeypatch.setattr(module, "analyse", lambda year, data: calls.append(year) or real(year, data))
    runcache.analysis(2026, project)
    for command in ("rapport --ar 2026", "rapport --ar 2026 --jobb 1"):  # two runs, two different lock files
        with project_lock(project, command):
            runcache.analysis(2026, project)
    assert calls == [2026]
    (project.data / "2026" / "anteckning.txt").write_text("inte en indatafil, men en byte till\n", encoding="utf-8")
    try:
        runcache.analysis(2026, project)
    finally:
        (project.data / "2026" / "anteckning.txt").unlink()
    assert calls == [2026, 2026]  # any other file in data/ still counts


def test_the_snapshots_analysis_is_stored_with_its_derived_tables_and_follows_its_bytes(project, tmp_path, monkeypatch):
    from helpers.compute import analysis as module

    snapshot = tmp_path / "indata"
    shutil.copytree(project.data, snapshot)
    calls = []
    real = module.analyse
    monkeypatch.setattr(module, "analyse", lambda year, data: calls.append((year, str(data))) or real(year, data))
    first = runcache.analysis(2026, project, folder=snapshot, derived=True)
    assert "oversikt" in vars(first) and first.plan.folder.parent == snapshot  # derived, and of the copy
    assert first.forra is not None  # last year's verdict, derived with it from the same copy
    runcache.analysis(2026, project, folder=snapshot, derived=True)
    assert calls == [(2026, str(snapshot)), (2025, str(snapshot))]  # stored
    runcache.analysis(2026, project)  # the data folder has its own entry
    assert calls[2:] == [(2026, str(project.data))]
    set_cell(snapshot / "2026" / "indikatorvarden.exempeldata.csv", "indikator_id", "5.1-1", "varde", "7")
    again = runcache.analysis(2026, project, folder=snapshot, derived=True)
    assert len(calls) == 5 and again.changes["5.1-1"].varde == 7


def test_pages_are_not_stored_when_the_data_changed_while_they_ran(project, tmp_path):
    from helpers.run.execute import _store

    an = analyse(2026, project.data)
    page_list = book.pages(an.plan, 2026, "data")
    fp = runcache.Fingerprint(project, runcache.read_files(an, project))
    keys_ = {p.name: fp.key(p, prepared_bytes(project, p)) for p in page_list}
    staging = tmp_path / "staging"
    staging.mkdir()
    for p in page_list:
        (staging / f"{p.name}.ipynb").write_text(EMPTY_NOTEBOOK, encoding="utf-8")
    store = runcache.PageCache(project, 2026)
    names = [p.name for p in page_list]
    (project.data / "2026" / "lardomar.csv").write_text("typ;atgard_id;text\n", encoding="utf-8")  # appears mid-run
    _store(page_list, project, staging, names, keys_, fp, store)
    assert not any(store.get(k) for k in keys_.values())
    (project.data / "2026" / "lardomar.csv").unlink()
    _store(page_list, project, staging, names, keys_, fp, store)  # unchanged after all: stored
    assert all(store.get(k) for k in keys_.values())


def test_a_project_without_the_optional_readings_file_still_runs_from_cache(tmp_path):
    """tolkningar.csv is optional: a register without it is read and fingerprinted without it."""
    from conftest import make_project, small_data
    from helpers.compute.analysis import analyse

    data = small_data(tmp_path / "src", ("1.1",))
    (data / "plan" / "tolkningar.csv").unlink()
    layout = make_project(tmp_path / "projekt", data)
    an = analyse(2026, layout.data)
    files = runcache.read_files(an, layout)
    assert not any(p.name == "tolkningar.csv" for p in files)
    runcache.Fingerprint(layout, files)  # reads every listed file
