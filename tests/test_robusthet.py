"""Bad input and faults, tried systematically: a clear Swedish answer every time.

A corpus of malformed inputs – every file of data/, the register, the year argument, the
project's _config.yml and an edition's manifest – each run through the command a user would run
(`rapport`, `validera`, `verifiera`). Each case must answer in Swedish naming the file, row, column
and the bad value, exit with the documented code, show no traceback, and leave the inputs and
the published book byte for byte as they were.

The Excel mall, the run lock, leftovers of killed runs and the last-resort handler follow, then
property-based tests (hypothesis) of the CSV and Excel loaders. Runs that execute notebooks and
kills with SIGKILL are in test_robusthet_korning.py; the hostile register in a browser in
test_robusthet_webb.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, ROOT, make_project, read_rows, small_data, write_rows
from helpers import cli
from helpers.core import fs
from helpers.core.errors import InputError, Problem
from helpers.core.layout import Layout
from helpers.core.lock import LockBusy, RunLock, process_start
from helpers.core.text import md_literal, visible
from helpers.data.csvio import read_table
from helpers.data.excel import BLAD_INDIKATORER, BLAD_STATUS, import_workbook, write_template
from helpers.data.schema import Col, TableSpec, load_table, parse_number
from helpers.evidence.manifest import MANIFEST
from helpers.evidence.provenance import sha256
from helpers.publish.site import write_landing
from helpers.run.guard import LOCK_NAME

NBSP = "\u00a0"
YEAR = 2026


# --- a project with a published edition to protect ------------------------------------------------

def tree_digest(folder: Path) -> dict[str, str]:
    """Every file (and link) under `folder` with its sha256: 'byte-identical' made checkable."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "->" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def fake_publish(layout: Layout, year: int) -> None:
    """What a good run left: an edition with a manifest that verifies, its HTML and the landing page."""
    edition = layout.edition(year)
    (edition / "indata").mkdir(parents=True)
    (edition / "samlad_analys.ipynb").write_text('{"cells": []}\n', encoding="utf-8")
    (edition / "indata" / "status.csv").write_text("atgard_id\n1.1\n", encoding="utf-8")
    files = {str(p.relative_to(edition)): sha256(p) for p in edition.rglob("*") if p.is_file()}
    manifest = {"ar": year, "byggd": f"{year + 1}-01-15T10:00:00+00:00", "exempeldata": True, "filer": files}
    (edition / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    html = layout.html(year)
    html.mkdir(parents=True)
    (html / "index.html").write_text(f"<!DOCTYPE html><title>Uppföljningsrapport {year}</title>", encoding="utf-8")
    write_landing(layout, log=lambda *_: None)


def published_project(base: Path, **small) -> Layout:
    """A small project with two good editions already published (made without running anything)."""
    layout = make_project(base / "projekt", small_data(base / "src", **small))
    fake_publish(layout, YEAR)
    fake_publish(layout, YEAR - 1)
    return layout


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return published_project(tmp_path_factory.mktemp("robusthet")).root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Layout:
    root = tmp_path / "projekt"
    shutil.copytree(template, root, symlinks=True)
    return Layout.at(root)


def run_cli(capsys, layout: Layout, *args: str) -> tuple[int, str, str]:
    """The CLI in this process (fast); argparse's own exits are caught like a shell would see them."""
    try:
        code = cli.main(["--rot", str(layout.root), *args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# --- the corpus of malformed inputs ---------------------------------------------------------------

Mutation = Callable[[Path], dict]  # changes the project's files; returns values for the expectations


def cell(rel: str, key: tuple[str, str] | int, column: str, value: str) -> Mutation:
    """Set one cell of data/<rel>: the row whose `key[0]` is `key[1]`, or data row number `key`."""
    def mutate(root: Path) -> dict:
        path = root / "data" / rel
        rows = read_rows(path)
        index = key - 2 if isinstance(key, int) else next(i for i, r in enumerate(rows) if r[key[0]] == key[1])
        rows[index][column] = value
        write_rows(path, rows, list(rows[0].keys()))
        return {"rad": index + 2}
    return mutate


def text_edit(rel: str, edit: Callable[[str], str]) -> Mutation:
    def mutate(root: Path) -> dict:
        path = root / rel
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
        return {}
    return mutate


def bytes_edit(rel: str, edit: Callable[[bytes], bytes]) -> Mutation:
    def mutate(root: Path) -> dict:
        path = root / rel
        path.write_bytes(edit(path.read_bytes()))
        return {}
    return mutate


def append_line(rel: str, line: str) -> Mutation:
    def mutate(root: Path) -> dict:
        path = root / "data" / rel
        text = path.read_text(encoding="utf-8")
        path.write_text(text + line + "\n", encoding="utf-8", newline="")
        return {"rad": text.count("\n") + 1}
    return mutate


def folder_instead(rel: str) -> Mutation:
    def mutate(root: Path) -> dict:
        (root / "data" / rel).unlink()
        (root / "data" / rel).mkdir()
        return {}
    return mutate


def copy_to(rel: str, new_rel: str) -> Mutation:
    def mutate(root: Path) -> dict:
        shutil.copy(root / "data" / rel, root / "data" / new_rel)
        return {}
    return mutate


def first_line_after(needle: str, replacement: str, rel: str) -> Mutation:
    return text_edit(f"data/{rel}", lambda t: t.replace(needle, replacement, 1))


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation | None
    expect: tuple[str, ...]
    code: int = 2
    args: tuple[str, ...] = ("rapport", "--ar", str(YEAR))
    stream: str = "err"


ST = "2026/status.exempeldata.csv"
IV = "2026/indikatorvarden.exempeldata.csv"
LD = "2026/lardomar.exempeldata.csv"
VALIDERA = ("validera", "--ar", str(YEAR))
ZWSP = "\u200b"

CORPUS = [
    # the register, data/plan/
    Case("atgarder-titel-tom", cell("plan/atgarder.csv", 2, "titel", ""),
         ("atgarder.csv, rad 2, kolumn 'titel': tomt värde", "får inte vara tomt")),
    Case("atgarder-id-nollbredd", cell("plan/atgarder.csv", 3, "atgard_id", f"1.2{ZWSP}"),
         ("atgarder.csv, rad 3, kolumn 'atgard_id': värdet '1.2⟨U+200B⟩'", "osynliga tecken")),
    Case("atgarder-datum-utan-streck", cell("plan/atgarder.csv", 2, "planerat_klart", "20251231"),
         ("atgarder.csv, rad 2, kolumn 'planerat_klart': värdet '20251231'", "ÅÅÅÅ-MM-DD",
          "menar du 2025-12-31?")),
    Case("atgarder-citattecken-stangs-inte",
         first_line_after(";Fortsatt utveckling", ';"Fortsatt utveckling', "plan/atgarder.csv"),
         ("atgarder.csv, rad 2, kolumn 'titel'", "öppnas här men stängs aldrig", "citattecken parvis")),
    Case("malomraden-id-tusental", cell("plan/malomraden.csv", 2, "malomrade_id", "1.000"),
         ("malomraden.csv, rad 2, kolumn 'malomrade_id': värdet '1.000'", "kan betyda både 1000 och 1")),
    Case("malomraden-utf16", bytes_edit("data/plan/malomraden.csv", lambda b: b.decode("utf-8").encode("utf-16")),
         ("malomraden.csv", "UTF-16", "Unicode-text", "teckenkodning UTF-8")),
    Case("malomraden-windows-1252", bytes_edit("data/plan/malomraden.csv", lambda b: b.decode("utf-8").encode("cp1252")),
         ("malomraden.csv, rad 2", "Windows-1252", "teckenkodning UTF-8")),
    Case("indikatorer-okand-typ", cell("plan/indikatorer.csv", ("indikator_id", "1.1-1"), "typ", "räknat"),
         ("indikatorer.csv, rad {rad}, kolumn 'typ': värdet 'räknat'", "'antal'")),
    Case("indikatorer-malvarde-tusental", cell("plan/indikatorer.csv", ("indikator_id", "5.1-1"), "malvarde", "1,000"),
         ("indikatorer.csv, rad {rad}, kolumn 'malvarde': värdet '1,000'", "kan betyda både 1000 och 1")),
    Case("indikatorer-datum-med-snedstreck", cell("plan/indikatorer.csv", ("indikator_id", "6.1-2"), "deadline", "31/12/2027"),
         ("indikatorer.csv, rad {rad}, kolumn 'deadline': värdet '31/12/2027'", "menar du 2027-12-31?")),
    Case("kopplingar-okand-kolumn", text_edit("data/plan/kopplingar.csv",
                                               lambda t: "\n".join(x + ";extra" if x else x for x in t.split("\n"))),
         ("kopplingar.csv, rad 1, kolumn 'extra': värdet 'okänd kolumn'",)),
    Case("kopplingar-kolumn-saknas", text_edit("data/plan/kopplingar.csv",
                                                lambda t: "\n".join(x.rsplit(";", 1)[0] if x else x for x in t.split("\n"))),
         ("kopplingar.csv, rad 1, kolumn 'beskrivning': värdet 'kolumn saknas'",)),
    Case("kopplingar-text-efter-citattecken", first_line_after(";nki-fråga;", ';"nki-fråga"x;', "plan/kopplingar.csv"),
         ("kopplingar.csv, rad 2, kolumn 'typ'", "direkt efter ett avslutande citattecken")),
    # a year's follow-up, data/<år>/
    Case("status-okand-status", cell(ST, 2, "status", "klar"),
         ("status.exempeldata.csv, rad 2, kolumn 'status': värdet 'klar'", "'pågående'")),
    Case("status-datum-utan-streck", cell(ST, 2, "period_till", "20261031"),
         ("status.exempeldata.csv, rad 2, kolumn 'period_till': värdet '20261031'", "menar du 2026-10-31?")),
    Case("status-nulltecken", cell(ST, 3, "kommentar", "Bra\x00år"),
         ("status.exempeldata.csv, rad 3, kolumn 'kommentar': värdet 'Bra⟨U+0000⟩år'", "styrtecken")),
    Case("status-jattecell", cell(ST, 4, "kommentar", "x" * 200_000),
         ("status.exempeldata.csv, rad 4, kolumn 'kommentar'", f"(200{NBSP}000 tecken)", f"högst 20{NBSP}000 tecken")),
    Case("status-for-fa-falt", append_line(ST, "1.1;2026-01-01"),
         ("status.exempeldata.csv, rad {rad}: värdet '2 fält'", "13 fält")),
    Case("status-dubbel-atgard", cell(ST, 3, "atgard_id", "1.1"),
         ("status.exempeldata.csv, rad 3, kolumn 'atgard_id': värdet '1.1'", "unikt värde")),
    Case("status-datum-omojligt", cell(ST, 2, "period_fran", "2026-02-30"),
         ("status.exempeldata.csv, rad 2, kolumn 'period_fran': värdet '2026-02-30'", "ÅÅÅÅ-MM-DD")),
    Case("varden-antal-punkt-tusental", cell(IV, ("indikator_id", "1.1-1"), "varde", "1.000"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'varde': värdet '1.000'", "kan betyda både 1000 och 1")),
    Case("varden-antal-komma-tusental", cell(IV, ("indikator_id", "5.1-2"), "varde", "1,000"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'varde': värdet '1,000'", "kan betyda både 1000 och 1")),
    Case("varden-antal-ej-heltal", cell(IV, ("indikator_id", "5.1-2"), "varde", "12.500"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'varde'", "ett heltal som är minst 0 (antal)")),
    Case("varden-text-som-tal", cell(IV, ("indikator_id", "1.1-2"), "varde", "ca 80"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'varde': värdet 'ca 80'", "ett tal")),
    Case("varden-felaktigt-datum", cell(IV, ("indikator_id", "1.1-1"), "uppnatt_datum", "2026-13-01"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'uppnatt_datum': värdet '2026-13-01'", "ÅÅÅÅ-MM-DD")),
    Case("varden-id-nollbredd", cell(IV, ("indikator_id", "1.2-3"), "indikator_id", f"1.2{ZWSP}-3"),
         ("indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'indikator_id': värdet '1.2⟨U+200B⟩-3'", "osynliga")),
    Case("lardomar-okand-typ", append_line(LD, "lärdomar;1.1;Ett förslag"),
         ("lardomar.exempeldata.csv, rad 2, kolumn 'typ': värdet 'lärdomar'", "'förslag'")),
    Case("lardomar-tom-fil", bytes_edit(f"data/{LD}", lambda b: b""),
         ("lardomar.exempeldata.csv: värdet 'filen är tom'", "en rubrikrad")),
    Case("lardomar-excelfil", bytes_edit(f"data/{LD}", lambda b: b"PK\x03\x04" + b"\x00" * 60),
         ("lardomar.exempeldata.csv: värdet 'filen är en Excelarbetsbok (.xlsx), inte CSV'", "importera")),
    Case("lardomar-ar-en-mapp", folder_instead(LD),
         ("lardomar.exempeldata.csv: värdet 'det är en mapp, inte en fil'",)),
    Case("status-bara-vagnretur", text_edit(f"data/{ST}", lambda t: t.replace("\n", "\r")), ("giltiga",), code=0,
         args=VALIDERA, stream="out"),
    Case("historiskt-ar-felaktigt-varde", cell("2025/indikatorvarden.exempeldata.csv", ("indikator_id", "1.1-2"),
                                               "varde", "hög"),
         ("2025/indikatorvarden.exempeldata.csv, rad {rad}, kolumn 'varde': värdet 'hög'",)),
    Case("status-bara-rubrikrad", text_edit(f"data/{ST}", lambda t: t.split("\n", 1)[0] + "\n"),
         ("Varning: ", "status.exempeldata.csv: värdet 'filen har bara rubrikraden'", "uppgift saknas"),
         code=0, args=VALIDERA),
    Case("status-atgard-saknas", text_edit(f"data/{ST}", lambda t: "\n".join(x for x in t.split("\n")
                                                                             if not x.startswith("5.1;"))),
         ("Varning: ", "status.exempeldata.csv, kolumn 'atgard_id': värdet 'rader saknas för 5.1'"),
         code=0, args=VALIDERA),
    # the business climate, data/foretagsklimat/
    Case("insikt-antal-svar-tusental", cell("foretagsklimat/insikt.exempeldata.csv", 2, "antal_svar", "1.000"),
         ("insikt.exempeldata.csv, rad 2, kolumn 'antal_svar': värdet '1.000'", "kan betyda både 1000 och 1")),
    Case("insikt-nki-over-100", cell("foretagsklimat/insikt.exempeldata.csv", 2, "varde", "120"),
         ("insikt.exempeldata.csv, rad 2, kolumn 'varde': värdet '120'", "från 0 till 100")),
    Case("insikt-publicerat-harledd", cell("foretagsklimat/insikt_publicerat.csv", 2, "harledd", "kanske"),
         ("insikt_publicerat.csv, rad 2, kolumn 'harledd': värdet 'kanske'", "'ja' eller 'nej'")),
    Case("insikt-svar-utanfor-skalan", cell("foretagsklimat/insikt_svar.exempeldata.csv", 2, "q_nojd", "11"),
         ("insikt_svar.exempeldata.csv, rad 2, kolumn 'q_nojd': värdet '11'",)),
    Case("ranking-placering-tusental", cell("foretagsklimat/ranking.exempeldata.csv", 2, "varde", "1,000"),
         ("ranking.exempeldata.csv, rad 2, kolumn 'varde': värdet '1,000'", "kan betyda både 1000 och 1")),
    Case("ranking-ar-tusental", cell("foretagsklimat/ranking_publicerat.csv", 2, "ar", "2.017"),
         ("ranking_publicerat.csv, rad 2, kolumn 'ar': värdet '2.017'", "kan betyda både 2017")),
    Case("insikt-bade-verklig-och-exempel", copy_to("foretagsklimat/insikt.exempeldata.csv", "foretagsklimat/insikt.csv"),
         ("insikt.csv eller insikt.exempeldata.csv, inte båda",)),
    # the project's _config.yml
    Case("config-trasig-yaml", text_edit("_config.yml", lambda t: t + "title: [Uppföljning\n"),
         ("_config.yml, rad", "en lista [ … ] stängs aldrig", "giltig YAML")),
    Case("config-kolon", text_edit("_config.yml", lambda t: t.replace("\nauthor: ", "\nauthor: x: ", 1)),
         ("_config.yml, rad", "ett kolon där det inte får stå")),
    Case("config-tom", text_edit("_config.yml", lambda t: ""), ("_config.yml: värdet 'filen är tom'",)),
    # the year argument
    Case("ar-tomt", None, ("argumentet --ar: tomt värde är inget år", "fyra siffror"), args=("rapport", "--ar", "")),
    Case("ar-skalkommando", None, ("argumentet --ar: '2026;touch x' är inget år",),
         args=("rapport", "--ar", "2026;touch x")),
    Case("ar-utanfor-planen", None, ("2031 ligger utanför handlingsplanens år", "från 2025 till 2030"),
         args=("rapport", "--ar", "2031")),
    Case("ar-breda-siffror", None, ("'２０２６' är inget år",), args=("rapport", "--ar", "２０２６")),
    Case("ar-utan-varde", None, ("argumentet --ar: ett värde krävs efter flaggan",), args=("rapport", "--ar")),
    Case("ar-saknar-mapp", None, ("data/2029", "mappen saknas"), args=("validera", "--ar", "2029")),
    Case("jobb-noll", None, ("argumentet --jobb", "från 1 till 16"), args=("rapport", "--ar", "2026", "--jobb", "0")),
    # an edition's manifest
    Case("manifest-avkortat", bytes_edit("book/2026/manifest.json", lambda b: b[: len(b) // 2]),
         ("manifest.json är skadat eller ofullständigt", "fel på rad"), code=1, args=("verifiera", "--ar", "2026")),
    Case("manifest-utan-filer", text_edit("book/2026/manifest.json", lambda t: '{"ar": 2026}'),
         ("saknar fält eller har fel typ i fälten", "filer"), code=1, args=("verifiera", "--ar", "2026")),
    Case("manifest-lista", text_edit("book/2026/manifest.json", lambda t: "[1, 2]"),
         ("manifest.json har fel form",), code=1, args=("verifiera", "--ar", "2026")),
    Case("manifest-saknas", None, ("manifest.json saknas",), code=1, args=("verifiera", "--ar", "2027")),
    Case("manifest-pekar-utanfor", text_edit("book/2026/manifest.json",
                                             lambda t: t.replace('"indata/status.csv"', '"../../data/plan/atgarder.csv"')),
         ("../../data/plan/atgarder.csv: sökvägen pekar utanför utgåvan",), code=1, args=("verifiera", "--ar", "2026")),
    Case("manifest-fil-andrad", text_edit("book/2026/samlad_analys.ipynb", lambda t: t + " "),
         ("samlad_analys.ipynb: innehållet har ändrats",), code=1, args=("verifiera", "--ar", "2026")),
]


def test_the_corpus_is_large_and_covers_every_input_file():
    assert len(CORPUS) >= 40
    assert len({c.id for c in CORPUS}) == len(CORPUS)
    text = " ".join(" ".join(c.expect) for c in CORPUS)
    for name in ("malomraden.csv", "atgarder.csv", "indikatorer.csv", "kopplingar.csv", "status.exempeldata.csv",
                 "indikatorvarden.exempeldata.csv", "lardomar.exempeldata.csv", "insikt.exempeldata.csv",
                 "insikt_publicerat.csv", "insikt_svar.exempeldata.csv", "ranking.exempeldata.csv",
                 "ranking_publicerat.csv", "_config.yml", "manifest.json", "--ar"):
        assert name in text, name


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_malformed_input_gets_a_clear_swedish_answer_and_changes_nothing(case: Case, project: Layout, capsys):
    values = case.mutate(project.root) if case.mutate else {}
    before = tree_digest(project.root)
    cwd_before = sorted(os.listdir())
    code, out, err = run_cli(capsys, project, *case.args)
    assert code == case.code, err
    shown = out if case.stream == "out" else err
    for expected in case.expect:
        assert expected.format(**values) in shown, f"{expected!r} saknas i:\n{shown}"
    assert "Traceback" not in out + err
    # Inputs, the published editions and the landing page are exactly as before; no lock is left.
    assert tree_digest(project.root) == before
    assert not (project.data / LOCK_NAME).exists()
    assert sorted(os.listdir()) == cwd_before  # nothing was created where the command ran (e.g. 'x')


def test_a_file_with_60000_bad_rows_is_summarised_not_printed(project: Layout, capsys):
    path = project.data / IV
    lines = path.read_text(encoding="utf-8").splitlines()
    blanks = ";" * (lines[0].count(";") - 1)  # every column after indikator_id and varde left empty
    path.write_text("\n".join(lines + [f"1.1-1;ca {i}{blanks}" for i in range(60_000)]) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, project, *VALIDERA)
    assert code == 2
    # Each added row repeats the id of row 2 and has no number: 2 problems per row, plus row 2 itself.
    assert f"Indata innehåller 120{NBSP}001 fel" in err
    assert err.count("  • ") == 40
    assert re.search(r"… och 59\xa09\d\d fel till av samma slag: .*kolumn 'varde'", err)
    assert "kolumn 'varde' – förväntat: ett tal" in err
    assert len(err) < 20_000  # not 21 MB


# --- the Makefile hands values to the shell only as quoted variables -------------------------------

def make_project_with_fake_venv(tmp_path: Path) -> Path:
    """The Makefile with the project's files and a '.venv' that is this interpreter (nothing installed)."""
    proj = tmp_path / "p"
    shutil.copytree(DATA, proj / "data")
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "_config.yml"):
        shutil.copy(ROOT / name, proj / name)
    (proj / "notebooks").mkdir()
    venv_bin = proj / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT / "src"}" exec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    (proj / ".venv" / ".installerad").touch()  # newer than pyproject.toml: make installs nothing
    return proj


@pytest.mark.slow
def test_make_never_runs_text_from_a_variable(tmp_path: Path):
    """`make report YEAR='2026;touch x'` checks the year and refuses it; nothing else runs."""
    proj = make_project_with_fake_venv(tmp_path)
    # ('$$' is make's own escape: the shell would see '2026$(touch y)'.)
    for year in ("2026;touch x", "2026$$(touch y)", "`touch z`", "2026' ; touch w ; '", "2026\"; touch v; \"", ""):
        proc = subprocess.run(["make", "-s", "report", f"YEAR={year}"], cwd=proj, capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert "inget år" in proc.stderr and "Traceback" not in proc.stderr
        assert not any((proj / f).exists() for f in "xyzwv")
    proc = subprocess.run(["make", "-s", "validate", "YEAR=2031"], cwd=proj, capture_output=True, text=True)
    assert proc.returncode == 2 and "utanför handlingsplanens år" in proc.stderr


def test_make_names_the_commands_own_exit_code_so_a_build_failure_is_told_from_an_input_error(tmp_path: Path):
    """GNU make always ends with 2 when a command fails; the line before its own says the command's code."""
    proj = make_project_with_fake_venv(tmp_path)
    bad_input = subprocess.run(["make", "-s", "validate", "YEAR=2031"], cwd=proj, capture_output=True, text=True)
    assert "Kommandots kod: 2 (fel i indata eller i anropet)" in bad_input.stderr, bad_input.stderr
    failed = subprocess.run(["make", "-s", "verify", "YEAR=2026"], cwd=proj, capture_output=True, text=True)
    assert "Kommandots kod: 1 (körningen misslyckades)" in failed.stderr, failed.stderr
    assert bad_input.returncode == failed.returncode == 2  # make's own rule, documented in the README
    good = subprocess.run(["make", "-s", "validate", "YEAR=2026"], cwd=proj, capture_output=True, text=True)
    assert good.returncode == 0 and "Kommandots kod" not in good.stderr, good.stderr


# --- the Excel mall ---------------------------------------------------------------------------------

@pytest.fixture
def mall_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA / "plan", data / "plan")
    return data


def filled_mall(data: Path, target: Path, edit=None, year: int = YEAR) -> Path:
    """The mall for `year` with every status filled in, then `edit(wb)` as a unit would in Excel."""
    template = write_template(data, year, target.with_name("mall.xlsx"))
    wb = openpyxl.load_workbook(template)
    ws = wb[BLAD_STATUS]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=col["status"], value="pågående")
        ws.cell(row=r, column=col["behov_av_justering"], value="nej")
    if edit:
        edit(wb)
    wb.save(target)
    return target


def _set(wb, sheet: str, ident: str, column: str, value) -> int:
    ws = wb[sheet]
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == ident)
    ws.cell(row=row, column=col[column], value=value)
    return row


def _import_fails(path: Path, data: Path) -> str:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputError) as exc:
        import_workbook(path, data, YEAR)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the workbook is only read
    assert sorted(p.name for p in data.iterdir()) == ["plan"]  # nothing written, no work folder left
    return str(exc.value)


def test_a_formula_without_a_saved_value_is_refused_not_read_as_missing(mall_data: Path, tmp_path: Path):
    """openpyxl, like other programs that do not calculate, saves formulas without their results."""
    rows = {}

    def edit(wb):
        rows["varde"] = _set(wb, BLAD_INDIKATORER, "1.1-1", "varde", "=40+18")
        rows["kommentar"] = _set(wb, BLAD_STATUS, "1.2", "kommentar", '=CONCAT("Bra ";"år")')

    message = _import_fails(filled_mall(mall_data, tmp_path / "ifylld.xlsx", edit), mall_data)
    assert f"blad Indikatorer, rad {rows['varde']}, kolumn 'varde': värdet '=40+18'" in message
    assert f"blad Status, rad {rows['kommentar']}, kolumn 'kommentar'" in message
    assert "formel men inget uträknat värde" in message and "spara den igen" in message


def test_a_count_typed_with_a_thousands_separator_in_the_mall_is_refused(mall_data: Path, tmp_path: Path):
    message = _import_fails(filled_mall(mall_data, tmp_path / "ifylld.xlsx",
                                        lambda wb: _set(wb, BLAD_INDIKATORER, "1.1-1", "varde", "1.000")), mall_data)
    assert "kolumn 'varde': värdet '1.000'" in message and "kan betyda både 1000 och 1" in message


def test_a_damaged_workbook_is_refused_in_swedish(mall_data: Path, tmp_path: Path):
    good = filled_mall(mall_data, tmp_path / "ifylld.xlsx")
    half = tmp_path / "avbruten.xlsx"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "kan inte läsas som Excel" in _import_fails(half, mall_data)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.com","Klicka här")', "+46 176 710 00", "-1", "@SUMMA(A1)",
                                  "#N/A", "=1+1"])
def test_register_text_is_written_to_the_mall_as_text_never_as_a_formula(mall_data: Path, tmp_path: Path, text: str):
    path = mall_data / "plan" / "atgarder.csv"
    rows = read_rows(path)
    rows[0]["titel"] = text
    rows[1]["ansvarig"] = text
    write_rows(path, rows)
    mall = write_template(mall_data, YEAR, tmp_path / "mall.xlsx")
    with zipfile.ZipFile(mall) as z:
        sheets = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
    assert not any("<f>" in x or "<f " in x for x in sheets.values())  # no formula anywhere in the mall
    assert not any('t="e"' in x for x in sheets.values())  # and no error values
    ws = openpyxl.load_workbook(mall)[BLAD_STATUS]
    for r, c in ((2, 2), (3, 3)):
        assert ws.cell(row=r, column=c).value == text
        assert ws.cell(row=r, column=c).data_type == "s"
    if text[0] in "=+-@":
        assert ws.cell(row=2, column=2).quotePrefix  # Excel keeps it text even when the cell is edited


# --- the run lock -----------------------------------------------------------------------------------

def _lock_file(layout: Layout, pid: int, start, when: str = "2026-11-30T08:00:00") -> Path:
    path = layout.data / LOCK_NAME
    path.write_text(json.dumps({"pid": pid, "start": start, "host": os.uname().nodename,
                                "kommando": "rapport --ar 2026", "startad": when}), encoding="utf-8")
    return path


def _break_data(layout: Layout) -> None:
    cell(ST, 2, "status", "klar")(layout.root)


def test_a_second_run_is_refused_naming_the_running_one(project: Layout, capsys):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock = _lock_file(project, sleeper.pid, process_start(sleeper.pid))
        held = lock.read_bytes()
        before = tree_digest(project.root)
        code, out, err = run_cli(capsys, project, "rapport", "--ar", "2026")
        assert code == 1
        assert "En annan körning pågår redan" in err and f"process {sleeper.pid}" in err
        assert "'rapport --ar 2026'" in err and "startad 2026-11-30 08:00:00" in err
        assert "Traceback" not in err
        assert lock.read_bytes() == held and tree_digest(project.root) == before
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("how", ["dod-process", "ateranvant-pid", "trasig-fil"])
def test_a_stale_lock_is_taken_over_and_released(project: Layout, capsys, how: str):
    if how == "dod-process":
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        lock = _lock_file(project, gone.pid, "1")
    elif how == "ateranvant-pid":  # the id now belongs to another process (this one), started later
        lock = _lock_file(project, os.getpid(), "1")
    else:
        lock = project.data / LOCK_NAME
        lock.write_text("{trasig", encoding="utf-8")
        old = time.time() - 3600
        os.utime(lock, (old, old))
    _break_data(project)  # so the run stops right after taking the lock
    code, out, err = run_cli(capsys, project, "rapport", "--ar", "2026")
    assert code == 2, err
    assert "Tar över låset från en körning som avbröts" in err
    assert not lock.exists()


def test_a_lock_being_written_is_respected(project: Layout, capsys):
    (project.data / LOCK_NAME).write_text("", encoding="utf-8")  # just created, not yet written
    code, out, err = run_cli(capsys, project, "rapport", "--ar", "2026")
    assert code == 1 and "En annan körning pågår redan" in err


def test_of_many_contenders_exactly_one_gets_the_lock(tmp_path: Path):
    results: list[str] = []
    barrier = threading.Barrier(8)
    locks = []

    def contend(i):
        barrier.wait()
        lock = RunLock(tmp_path / "lås", f"rapport {i}")
        try:
            lock.acquire()
            locks.append(lock)
            results.append("fick")
        except LockBusy:
            results.append("upptaget")

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["fick"] + ["upptaget"] * 7
    locks[0].release()
    assert not (tmp_path / "lås").exists()


# --- leftovers and atomic publishing ------------------------------------------------------------------

def test_the_next_run_cleans_up_after_killed_runs_and_imports(project: Layout, capsys):
    (project.build / "staging" / "2026" / ".mallar").mkdir(parents=True)
    (project.build / "staging" / "2026.html").mkdir()
    (project.data / ".import-2026-1a2b3c4d" / "forsta" / "2026").mkdir(parents=True)
    (project.data / ".import-2026-1a2b3c4d" / "forsta" / "2026" / "status.csv").write_text("x", encoding="utf-8")
    (project.book / ".2026.gammal-5e6f7a8b").mkdir()
    (project.build / "html" / ".index.html.0badc0de.tmp").write_text("halv", encoding="utf-8")
    # A kill between the two renames of the fallback swap: only the aside copy of 2025 remains.
    os.replace(project.html(2025), project.build / "html" / ".2025.gammal-0f0f0f0f")
    kept = tree_digest(project.build / "html" / ".2025.gammal-0f0f0f0f")
    _break_data(project)
    code, out, err = run_cli(capsys, project, "rapport", "--ar", "2026")
    assert code == 2
    assert "Städat efter en avbruten körning" in err
    assert tree_digest(project.html(2025)) == kept  # put back, not lost
    assert list((project.build / "staging").iterdir()) == []
    assert not list(project.data.glob(".import-*"))
    assert not list(project.book.glob(".*")) and not list((project.build / "html").glob(".*"))


def test_a_swap_never_leaves_a_moment_without_the_folder(tmp_path: Path):
    target = tmp_path / "2026"
    target.mkdir()
    (target / "index.html").write_text("0", encoding="utf-8")
    missing = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not (target / "index.html").exists():
                missing.append(time.perf_counter())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for i in range(1, 150):
            new = tmp_path / f"ny-{i}"
            new.mkdir()
            (new / "index.html").write_text(str(i), encoding="utf-8")
            fs.swap_into_place(new, target)
            assert not new.exists()
    finally:
        stop.set()
        watcher.join()
    assert (target / "index.html").read_text(encoding="utf-8") == "149"
    assert missing == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026"]


def test_without_an_atomic_exchange_a_kill_between_renames_is_repaired_by_the_next_run(tmp_path: Path, monkeypatch):
    target = tmp_path / "2026"
    target.mkdir()
    (target / "index.html").write_text("gammal", encoding="utf-8")
    new = tmp_path / "ny"
    new.mkdir()
    (new / "index.html").write_text("ny", encoding="utf-8")
    real_replace = os.replace

    def killed_after_first_rename(src, dst):
        real_replace(src, dst)
        if Path(src) == target:
            raise KeyboardInterrupt  # stands for the kill: nothing after this line runs in the real case

    monkeypatch.setattr(fs.os, "replace", killed_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        fs.swap_into_place(new, target, allow_exchange=False)
    monkeypatch.undo()
    assert not target.exists()  # the instant the fallback cannot avoid
    done = fs.recover(tmp_path)
    assert (target / "index.html").read_text(encoding="utf-8") == "gammal" and done


# --- the last resort: never a traceback ----------------------------------------------------------------

@pytest.mark.parametrize("exc, expected, code", [
    (ValueError("något oväntat"), "Oväntat fel: ValueError: något oväntat", 1),
    (KeyboardInterrupt(), "Avbrutet", 130),
])
def test_an_unexpected_error_becomes_a_swedish_message_and_a_log(project: Layout, capsys, monkeypatch, exc, expected, code):
    from helpers.compute import analysis

    def boom(*_a, **_k):
        raise exc

    monkeypatch.setattr(analysis, "analyse", boom)
    got, out, err = run_cli(capsys, project, "validera", "--ar", "2026")
    assert got == code
    assert expected in err and "Traceback" not in err
    if code == 1:
        log = Path(re.search(r"finns i (\S+?\.txt)", err).group(1))
        assert log.parent == project.build / "logg"
        text = log.read_text(encoding="utf-8")
        assert "Traceback" in text and type(exc).__name__ in text and "validera --ar 2026" in text


@pytest.mark.parametrize("exc, expected", [
    (PermissionError(13, "Permission denied", "/srv/data/2026"), "Saknar behörighet: användaren får inte läsa eller "
                                                                 "skriva i /srv/data (filen 2026)"),
    (OSError(28, "No space left on device"), "Disken är full: det finns inte plats kvar att skriva i"),
    (OSError(30, "Read-only file system", "/srv/data/x.csv"), "Skrivskyddat filsystem: /srv/data (filen x.csv)"),
])
def test_the_machines_limits_are_named_in_swedish_without_a_crash_log(project: Layout, capsys, monkeypatch, exc,
                                                                      expected):
    """Known limits, not bugs: said plainly with the folder, exit 1, and no crash log to send anyone."""
    from helpers.compute import analysis

    def boom(*_a, **_k):
        raise exc

    monkeypatch.setattr(analysis, "analyse", boom)
    got, out, err = run_cli(capsys, project, "validera", "--ar", "2026")
    assert got == 1 and expected in err and "Traceback" not in err and "Errno" not in err, err
    assert "Oväntat fel" not in err and not list((project.build / "logg").glob("fel-*.txt"))


def test_no_traceback_reaches_the_terminal_even_from_a_real_process(tmp_path: Path):
    proj = tmp_path / "p"
    make_project(proj, small_data(tmp_path / "src"))
    (proj / "book" / "2026").mkdir()
    (proj / "book" / "2026" / "manifest.json").write_text('{"ar": 2026, "fil', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "helpers", "verifiera", "--ar", "2026"], cwd=proj,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "skadat eller ofullständigt" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


def test_another_years_damaged_manifest_does_not_stop_the_landing_page(project: Layout):
    (project.edition(2025) / "manifest.json").write_text('{"ar": 2025, "filer": {', encoding="utf-8")
    said = []
    write_landing(project, log=said.append)
    landing = (project.build / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/index.html"' in landing and 'href="2025/index.html"' in landing
    assert "manifestet är skadat" in landing
    assert any("verifiera --ar 2025" in s for s in said)


# --- messages: invisible characters, capping, Markdown ---------------------------------------------

def test_invisible_characters_are_named_where_they_are():
    assert visible("1.1\u200b") == "1.1⟨U+200B⟩"
    assert visible("a\u00a0b\tc\ufeff") == "a⟨hårt blanksteg⟩b⟨tabb⟩c⟨U+FEFF⟩"
    assert visible("Företagslots 1.1 – klar") == "Företagslots 1.1 – klar"
    assert "⟨U+200D⟩" in str(Problem("f.csv", "x", row=2, column="a", value="a\u200db"))


def test_the_summary_counts_every_problem_left_out():
    problems = [Problem("f.csv", "ett tal", row=i, column="varde", value="x") for i in range(2, 1002)]
    problems += [Problem("f.csv", "ett datum", row=i, column="datum", value="y") for i in range(2, 12)]
    text = InputError(problems).message()
    assert text.startswith(f"Indata innehåller 1{NBSP}010 fel:")
    assert "… och 960 fel till av samma slag: f.csv, kolumn 'varde' – förväntat: ett tal" in text
    assert "… och 10 fel till av samma slag: f.csv, kolumn 'datum' – förväntat: ett datum" in text


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "**fet** _kursiv_",
                                  "[länk](javascript:alert(1))", "{{ hemlig }}", "$x^2$", "`kod`", "a\n```{raw} html\n<b>x",
                                  "Titel #", "A & B &lt;", "{eval-rst}`x`", "| a | b |", "~~bort~~", "\\<b>"])
def test_text_from_data_is_literal_markdown(text: str):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md_literal(text))
    assert "<img" not in rendered and "<script" not in rendered and "<b>" not in rendered
    assert "<em>" not in rendered and "<strong>" not in rendered and "<a " not in rendered and "<code>" not in rendered
    assert "<s>" not in rendered and "<table" not in rendered
    assert "\n" not in md_literal(text)


# --- properties of the loaders (hypothesis) --------------------------------------------------------------

SPEC = TableSpec((Col("id", "int", required=True), Col("namn"), Col("varde", "decimal"), Col("datum", "date")))
# No example database: the runs leave no .hypothesis folder in the project.
_PROPS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_PROPS
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_either_load_or_give_a_swedish_input_error(tmp_path: Path, raw: bytes):
    path = tmp_path / "fil.csv"
    path.write_bytes(raw)
    try:
        frame = load_table(path, SPEC)
    except InputError as exc:
        message = exc.message()
        assert message.startswith("Indata innehåller") and "fil.csv" in message
        assert "Error" not in message and "expected" not in message
    else:
        assert list(frame.columns) == SPEC.names
    assert path.read_bytes() == raw  # read, never rewritten


_cell_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40).map(str.strip)


@_PROPS
@given(st.lists(st.tuples(_cell_text, _cell_text), min_size=1, max_size=8))
def test_any_text_written_as_excel_writes_csv_is_read_back_exactly(tmp_path: Path, rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["id", "namn", "text"])
    for i, (a, b) in enumerate(rows):
        writer.writerow([str(i), a, b])
    path = tmp_path / "fil.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))  # 'CSV UTF-8' has a BOM
    frame = read_table(path, ["id", "namn", "text"])
    got = [(r["namn"], r["text"]) for _, r in frame.iterrows()]
    assert got == rows


@_PROPS
@given(st.integers(min_value=0, max_value=10**9))
def test_counts_with_spaces_parse_and_with_a_dot_or_comma_are_never_guessed(tmp_path: Path, n: int):
    spaced = f"{n:,}".replace(",", " ")
    assert parse_number(spaced) == n
    for sep in (".", ","):
        grouped = f"{n:,}".replace(",", sep)
        path = tmp_path / "fil.csv"
        path.write_text(f"id;namn;varde;datum\n{grouped};a;;\n", encoding="utf-8")
        if sep in grouped:
            if grouped.count(sep) == 1:
                with pytest.raises(InputError, match="kan betyda både"):
                    load_table(path, SPEC)
            else:
                with pytest.raises(InputError):
                    load_table(path, SPEC)
        else:
            assert int(load_table(path, SPEC)["id"].iloc[0]) == n


_TRICKY = ["=1+1", "=SUMMA(A1:A3)", "1.000", "1 000", "2026-13-01", "ja", "#N/A", "+1"]
_excel_value = st.one_of(
    st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),  # what a cell can hold
    st.sampled_from(_TRICKY),
)


@pytest.fixture(scope="module")
def excel_base(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("excel")
    data = base / "data"
    shutil.copytree(small_data(base / "src") / "plan", data / "plan")
    mall = filled_mall(data, base / "ifylld.xlsx")
    return data, mall


@pytest.mark.slow
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["varde", "uppnatt_datum", "text", "kommentar"]), _excel_value),
                min_size=1, max_size=6))
def test_any_cell_values_either_import_or_give_a_swedish_input_error(excel_base, tmp_path_factory, edits):
    data_src, mall = excel_base
    work = tmp_path_factory.mktemp("import")
    data = work / "data"
    shutil.copytree(data_src, data)
    wb = openpyxl.load_workbook(mall)
    ws = wb[BLAD_INDIKATORER]
    col = {c.value: c.column for c in ws[1]}
    for i, (column, value) in enumerate(edits):
        ws.cell(row=2 + i % (ws.max_row - 1), column=col[column], value=value)
    path = work / "ifylld.xlsx"
    wb.save(path)
    raw = path.read_bytes()
    try:
        import_workbook(path, data, YEAR)
    except InputError as exc:
        assert "ifylld.xlsx" in exc.message()
        assert sorted(p.name for p in data.iterdir()) == ["plan"]
    else:
        assert sorted(p.name for p in (data / str(YEAR)).iterdir()) == ["indikatorvarden.csv", "lardomar.csv",
                                                                        "status.csv"]
    assert path.read_bytes() == raw
    assert not list(data.glob(".import-*"))


@pytest.mark.slow
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).map(str.strip)
       .filter(bool))
def test_any_register_text_reaches_the_mall_as_the_same_string(tmp_path_factory, text: str):
    data = tmp_path_factory.mktemp("mall") / "data"
    shutil.copytree(DATA / "plan", data / "plan")
    path = data / "plan" / "atgarder.csv"
    rows = read_rows(path)
    rows[0]["titel"] = text
    write_rows(path, rows)
    mall = write_template(data, YEAR, data.parent / "mall.xlsx")
    got = openpyxl.load_workbook(mall)[BLAD_STATUS].cell(row=2, column=2)
    assert got.value == text and got.data_type == "s"
