"""Shared fixtures: temporary project copies, small fixture data, one full build of the shipped data and one
build of the small project, each made once per session and copied by the tests that change them."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from helpers.core.layout import Layout
from helpers.publish.pipeline import run_year
from helpers.run.pages import FIXED_PAGES

ROOT = Path(__file__).resolve().parents[1]
# The tests run on fixture plans, never on what data/ holds (a second kommun replaces it): a frozen copy of
# the shipped Norrtälje register and years with its plan: block, and Granlunda (tests/fixtures/granlunda),
# a plan of another shape. tests/test_levererad_data.py checks the shipped data/ itself.
NORRTALJE = ROOT / "tests" / "fixtures" / "norrtalje"
DATA = NORRTALJE / "data"
SHIPPED = ROOT / "data"
_PLAN_BLOCK = re.compile(r"^plan:\n(?:[ #].*\n|\n)*?(?=^\S)", re.M)


def write_config(dest: Path, config: Path | None = None) -> Path:
    """`dest` (a _config.yml): a fixture's whole config, or the project's with the fixture's plan: block
    (default: Norrtälje's), so book settings come from the project and the kommun from the fixture."""
    config = config or NORRTALJE / "_config.yml"
    text = config.read_text(encoding="utf-8")
    if re.search(r"^publicering:", text, re.M) is None:  # a plan: block alone
        block = _PLAN_BLOCK.search(text + "\n~").group(0)
        project = (ROOT / "_config.yml").read_text(encoding="utf-8")
        text = _PLAN_BLOCK.sub(lambda _m: block.rstrip("\n") + "\n\n", project, count=1)
    dest.write_text(text, encoding="utf-8")
    return dest
SEED = ROOT.parent / "shared" / "seeds" / "004_626aa45858646d08.txt"


def make_project(dest: Path, data: Path | None = None, config: Path | None = None) -> Layout:
    """A throwaway project with the real templates and book assets, the given (or the real) config and data."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    (dest / "book").mkdir()
    for fixed in ("_static", "_templates", "_locale"):
        shutil.copytree(ROOT / "book" / fixed, dest / "book" / fixed)
    for name in FIXED_PAGES:
        shutil.copy(ROOT / "book" / f"{name}.md", dest / "book" / f"{name}.md")
    write_config(dest / "_config.yml", config)
    shutil.copytree(data or DATA, dest / "data")
    return Layout.at(dest)


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def write_rows(path: Path, rows: list[dict], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0].keys())
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames, delimiter=";", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@contextmanager
def template_with(template: Path, cell_id: str, cell) -> Iterator[None]:
    """The template with `cell` appended while the block runs; its exact bytes back afterwards."""
    original = template.read_bytes()
    nb = nbformat.read(template, as_version=4)
    cell["id"] = cell_id
    nb.cells.append(cell)
    try:
        nbformat.write(nb, template)
        yield
    finally:
        template.write_bytes(original)


def small_data(dest: Path, atgarder=("1.1", "1.2", "5.1", "6.1")) -> Path:
    """Fixture data: the real register cut to a few åtgärder (and their målområden), with both years.

    Small enough to execute in seconds, but it keeps every indicator kind the cut contains, the
    links between the kept åtgärder and the företagsklimat series.
    """
    data = dest / "data"
    (data / "plan").mkdir(parents=True)
    at = [r for r in read_rows(DATA / "plan" / "atgarder.csv") if r["atgard_id"] in atgarder]
    mo_ids = {r["malomrade_id"] for r in at}
    write_rows(data / "plan" / "atgarder.csv", at)
    write_rows(data / "plan" / "malomraden.csv",
               [r for r in read_rows(DATA / "plan" / "malomraden.csv") if r["malomrade_id"] in mo_ids])
    ind = [r for r in read_rows(DATA / "plan" / "indikatorer.csv")
           if r["atgard_id"] in atgarder or (not r["atgard_id"] and r["malomrade_id"] in mo_ids)]
    write_rows(data / "plan" / "indikatorer.csv", ind)
    ko = [r for r in read_rows(DATA / "plan" / "kopplingar.csv")
          if r["fran_atgard"] in atgarder and (not r["till_atgard"] or r["till_atgard"] in atgarder)]
    write_rows(data / "plan" / "kopplingar.csv", ko, list(read_rows(DATA / "plan" / "kopplingar.csv")[0].keys()))
    ids = {r["indikator_id"] for r in ind}
    readings = read_rows(DATA / "plan" / "tolkningar.csv")
    write_rows(data / "plan" / "tolkningar.csv", [r for r in readings if r["id"] in ids | set(atgarder)],
               list(readings[0].keys()))
    for year in (2025, 2026):
        src, dst = DATA / str(year), data / str(year)
        dst.mkdir()
        for name, key, keep in (("status", "atgard_id", set(atgarder)), ("indikatorvarden", "indikator_id", ids),
                                ("lardomar", "atgard_id", set(atgarder) | {""})):
            f = src / f"{name}.exempeldata.csv"
            rows = read_rows(f)
            header = list(rows[0].keys())
            write_rows(dst / f.name, [r for r in rows if r[key] in keep], header)
    shutil.copytree(DATA / "foretagsklimat", data / "foretagsklimat")
    shutil.copy(NORRTALJE / "_config.yml", dest / "_config.yml")  # the data's own plan: block
    return data


@pytest.fixture
def small_project(tmp_path) -> Layout:
    data = small_data(tmp_path / "src")
    return make_project(tmp_path / "projekt", data)


@pytest.fixture(scope="session")
def shipped_book(tmp_path_factory):
    """The shipped data built once for the whole session, exactly as `make report` builds it."""
    layout = make_project(tmp_path_factory.mktemp("shipped") / "projekt")
    result = run_year(2026, layout, jobs=2, log=lambda *_: None)
    return layout, result


@pytest.fixture(scope="session")
def shipped_printed(shipped_book):
    """The shipped book with its report and bilagor PDFs (`build_pdf`, as `make pdf` writes them), printed
    once in place for every module that reads them. No test changes them: copy the project to change anything."""
    from helpers.publish.pdf import build_pdf

    layout, _ = shipped_book
    return layout, build_pdf(2026, layout, log=lambda *_: None)


SMALL = ("1.1", "1.2", "5.1", "6.1")  # the small project's åtgärder: one or two per målområde, every template
EPOCH = "1790000000"  # 2026-09-21: a reproducible build names its own time (SOURCE_DATE_EPOCH)
LOCKS = ("constraints.txt", "pyproject.toml", "environment.yml", "requirements.lock")  # recorded in the manifest


@contextmanager
def source_date_epoch(value: str = EPOCH) -> Iterator[None]:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@dataclasses.dataclass(frozen=True)
class SmallBook:
    layout: Layout
    result: object  # helpers.publish.pipeline.Result
    inputs: dict[str, str]  # the data folder's digest taken before the run


@pytest.fixture(scope="session")
def small_book(tmp_path_factory) -> SmallBook:
    """The small project (SMALL) with its 2026 edition, built once for the session as `make report` builds it,
    reproducibly (SOURCE_DATE_EPOCH) and with the lock files its manifest records. No test changes it: a
    module that builds on it works on its own copy (copy_small_book)."""
    base = tmp_path_factory.mktemp("small")
    layout = make_project(base / "projekt", small_data(base / "src", SMALL))
    for lock in LOCKS:
        shutil.copy(ROOT / lock, layout.root / lock)
    inputs = tree_digest(layout.data)
    with source_date_epoch():
        result = run_year(2026, layout, jobs=2, log=lambda *_: None)
    return SmallBook(layout, result, inputs)


def copy_small_book(book: SmallBook, dest: Path) -> SmallBook:
    """A copy of the session's small project in `dest` (its result's paths pointing into the copy)."""
    shutil.copytree(book.layout.root, dest, symlinks=True)
    layout = Layout.at(dest)
    year = book.result.year
    result = dataclasses.replace(book.result, html_index=layout.html(year) / "index.html", edition=layout.edition(year))
    return SmallBook(layout, result, book.inputs)


@pytest.fixture(scope="session")
def small_printed(small_book, tmp_path_factory) -> SmallBook:
    """The small project with its 2026 PDFs (report, bilagor, tjänsteskrivelse: `write_pdfs`, the function
    `make pdf` runs), printed once for the session in a copy of small_book. No test changes it: copy it
    (copy_small_book) to change anything."""
    from helpers.publish.utskrift import write_pdfs

    book = copy_small_book(small_book, tmp_path_factory.mktemp("small-pdf") / "projekt")
    with source_date_epoch():
        write_pdfs(book.result.year, book.layout, log=lambda *_: None)
    return book


def _norrtalje_config():
    from helpers.data import config

    return config.use(config.load_config(NORRTALJE / "_config.yml"))


_norrtalje_config()  # before any fixture of any scope: loose data folders are Norrtälje's, not the project's


@pytest.fixture(autouse=True)
def _fresh_plan_config():
    """Each test starts from the Norrtälje fixture's plan: block (never from whatever _config.yml the project
    holds), whatever an earlier test made active; a test that analyses another plan's data gets that plan's."""
    _norrtalje_config()
    yield
    _norrtalje_config()
