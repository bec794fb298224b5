"""A second kommun's plan: Granlunda (fictional, exempeldata, tests/fixtures/granlunda), 2024–2027, 4 målområden,
9 åtgärder, 27 indicators, ids like 1.10, 2.1.1 and A1, open sources, a 'topp 100' ceiling, a kommun under
50 000 invånare. Only data/ and _config.yml differ from the shipped project."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project, read_rows, write_rows
from helpers.compute.analysis import analyse
from helpers.core.errors import InputError
from helpers.core.layout import Layout
from helpers.data import config

GRANLUNDA = ROOT / "tests" / "fixtures" / "granlunda"
TRACES = re.compile(r"Norrtälje|Norrtelje|0188|2025–2030")


def granlunda_project(dest: Path) -> Layout:
    """The shipped project with Granlunda's data/ and _config.yml in place of Norrtälje's."""
    return make_project(dest, GRANLUNDA / "data", GRANLUNDA / "_config.yml")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=600)


@pytest.fixture()
def project(tmp_path: Path) -> Layout:
    return granlunda_project(tmp_path / "granlunda")


def test_the_plan_block_names_the_kommun_its_period_and_size_class(project):
    cfg = config.load_config(project.config)
    assert (cfg.kommun, cfg.kortnamn, cfg.kommunkod, cfg.period) == ("Granlunda kommun", "Granlunda", "9901", "2024–2027")
    assert (cfg.enkater, cfg.ranking_felmarginal) == (200, 0.3)
    assert list(cfg.ar) == [2024, 2025, 2026, 2027]


def test_its_own_insikt_figures_are_used_not_dropped(project):
    an = analyse(2025, project.data)
    own = an.klimat.kommun_insikt
    assert set(own["kommun"]) == {"Granlunda"} and sorted(own["ar"].unique()) == [2021, 2022, 2023, 2024]
    nki = an.values[an.values["indikator_id"] == "1.1-2"]
    assert dict(zip(nki["ar"], nki["varde"])) == {2021: 66.0, 2022: 68.0, 2023: 71.0, 2024: 73.0}
    assert an.judgements.loc["1.1-2", "detalj"] != "uppgift saknas"


def test_ids_of_other_shapes_are_read_and_ordered_naturally(project):
    an = analyse(2025, project.data)
    assert an.plan.order == ["1.1", "1.2", "1.10", "2.1", "2.1.1", "4.1", "4.2", "A1", "A2"]
    assert {"Bolagsverket", "SCB och Tillväxtverket"} <= set(an.plan.indikatorer["kalla"])


def test_ceilings_are_judged_as_they_read(project):
    an = analyse(2025, project.data)
    # 'topp 100' in the ranking: plats 97 in 2025; handläggningstid högst 30 dagar: 28
    for iid, text in (("1.10-3", "97 – målet är högst 100."), ("1.2-1", "28,0 – målet är högst 30,0.")):
        assert an.judgements.loc[iid, "utfall"] == "uppfyllt", an.judgements.loc[iid, "forklaring"]
        assert an.judgements.loc[iid, "forklaring"] == text


def test_an_insikt_row_of_another_kommun_is_refused_with_file_row_and_value(project):
    path = project.data / "foretagsklimat" / "insikt.exempeldata.csv"
    rows = read_rows(path)
    rows[1]["kommun"] = "Norrtälje"
    write_rows(path, rows)
    with pytest.raises(InputError) as exc:
        analyse(2025, project.data)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "kommun", "Norrtälje")
    assert "'Granlunda'" in problem.expected and "'Riket'" in problem.expected


@pytest.mark.parametrize("year, code", [("2024", 0), ("2027", 2), ("2023", 2), ("2028", 2)])
def test_ar_honours_the_plans_period(project, year, code):
    out = run_cli("validera", "--ar", year, cwd=project.root)
    assert out.returncode == code, out.stderr
    if year in ("2023", "2028"):
        assert "ett uppföljningsår från 2024 till 2027" in out.stderr
    if year == "2027":  # in the period, but no data/2027 yet: a data message, not a range one
        assert "från 2024 till 2027" not in out.stderr


def test_the_help_names_this_plan():
    out = run_cli("--help", cwd=GRANLUNDA)
    assert out.returncode == 0
    assert "Granlunda kommuns näringslivsprogram 2024–2027" in out.stdout and not TRACES.search(out.stdout)


@pytest.mark.slow
def test_granlunda_builds_its_report_pdf_and_mall_without_a_trace_of_norrtalje(project):
    for args in (("rapport", "--ar", "2025", "--jobb", "2"), ("pdf", "--ar", "2025"),
                 ("mall", "--ar", "2025", "--fil", str(project.root / "mall.xlsx"))):
        out = run_cli(*args, cwd=project.root)
        assert out.returncode == 0, out.stderr
    html = project.build / "html"
    pages = sorted(html.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not TRACES.search(text), (page, TRACES.search(text).group(0))
    climate = (html / "2025" / "foretagsklimat.html").read_text(encoding="utf-8")
    assert "Det finns inga uppgifter om företagsklimatet" not in climate and "Granlunda" in climate
    assert "±0,3" in climate
    index = (html / "2025" / "index.html").read_text(encoding="utf-8")
    assert "Näringslivsstrategin för Granlunda kommun" not in index  # its own rubrik: none given, so the plan's name
    assert "Handlingsplan för Granlunda kommuns näringslivsprogram 2024–2027" in index
    about = (html / "2025" / "om_rapporten.html").read_text(encoding="utf-8")
    assert "fyra strategiska områden" in about and "högst" in about

    from openpyxl import load_workbook
    from pypdf import PdfReader

    pdf = PdfReader(project.edition(2025) / "uppfoljningsrapport-2025.pdf")
    bilagor = PdfReader(project.edition(2025) / "uppfoljningsrapport-2025-bilagor.pdf")
    text = "".join(p.extract_text() or "" for p in (*pdf.pages, *bilagor.pages))
    text += " ".join(str(v) for r in (pdf, bilagor) for v in r.metadata.values())
    assert "Granlunda" in text and not TRACES.search(text)
    wb = load_workbook(project.root / "mall.xlsx")
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    cells += [wb.properties.subject or "", wb.properties.title or ""]
    assert not any(TRACES.search(c) for c in cells)
    assert wb["Instruktioner"]["A1"].value == "Uppföljningsmall 2025 – Handlingsplan för Granlunda kommuns näringslivsprogram 2024–2027"
    assert any("skicka den till Näringslivskontoret" in c for c in cells)


# --- python -m helpers ny: a new kommun's project -------------------------------------------------------------

def test_ny_writes_a_project_that_validates_as_it_stands_and_names_no_other_kommun(tmp_path):
    target = tmp_path / "exempelby"
    out = run_cli("ny", str(target), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    cfg = config.load_config(target / "_config.yml")
    assert (cfg.kommun, cfg.period) == ("Exempelby kommun", "2027–2030")
    assert not TRACES.search((target / "_config.yml").read_text(encoding="utf-8"))
    for stem in ("malomraden", "atgarder", "indikatorer", "kopplingar"):
        rows = read_rows(target / "data" / "plan" / f"{stem}.csv")
        assert len(rows) == 1, stem  # the right headers and one example row
    assert sorted(p.name for p in (target / "data" / "2027").iterdir()) == [
        "indikatorvarden.exempeldata.csv", "lardomar.exempeldata.csv", "status.exempeldata.csv"]
    out = run_cli("--rot", str(target), "validera", "--ar", "2027", cwd=ROOT)
    assert out.returncode == 0, out.stderr


def test_ny_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "finns.txt").write_text("x", encoding="utf-8")
    out = run_cli("ny", str(tmp_path), cwd=ROOT)
    assert out.returncode == 2 and "en ny eller tom mapp" in out.stderr and "Traceback" not in out.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["finns.txt"]
