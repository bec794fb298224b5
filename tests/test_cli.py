"""The command line: Swedish help and errors, exit codes, and the project it works on.

The project root is the folder the command runs in (or --rot), never the package's location: a
copied project (its .venv copied along) must read and write its own files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT, read_rows, small_data, write_config, write_rows
from helpers.data.plan import load_plan
from helpers.run import pages as book

ATGARDER = ("1.1", "1.2", "5.1", "6.1")


def test_toc_is_generated_from_the_register():
    plan = load_plan(DATA / "plan")
    toc = book.toc(plan, book.pages(plan, 2026, "data"))
    assert toc["root"] == "index"
    captions = [p["caption"] for p in toc["parts"]]
    assert captions == ["Ärendet", "Samlad analys", *(f"Målområde {i}" for i in range(1, 7)), "Bilagor"]
    assert [c["file"] for c in toc["parts"][-1]["chapters"]] == [
        *(f"bilaga_malomrade_{i}" for i in range(1, 7)), "bilaga_foretagsklimat", "om_rapporten", "metod",
        "tolkningar", "tillganglighet"]
    sections = [s["file"] for p in toc["parts"] for c in p["chapters"] for s in c.get("sections", [])]
    assert sections == [book.atgard_page(a) for a in plan.order] and len(sections) == 17


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_reports_bad_input_in_swedish_with_exit_code_2(tmp_path):
    data = small_data(tmp_path, ATGARDER)
    f = data / "2026" / "status.exempeldata.csv"
    rows = read_rows(f)
    rows[0]["status"] = "klar"
    rows[1]["behov_av_justering"] = "kanske"
    write_rows(f, rows)
    proc = _cli("--data", str(data), "validera", "--ar", "2026")
    assert proc.returncode == 2
    assert "Indata innehåller 2 fel" in proc.stderr
    assert "rad 2, kolumn 'status': värdet 'klar'" in proc.stderr
    assert "'ej påbörjad', 'pågående', 'genomförd', 'avslutad'" in proc.stderr
    assert "rad 3, kolumn 'behov_av_justering'" in proc.stderr
    assert "Inget har ändrats" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_missing_year_names_the_folder(tmp_path):
    data = small_data(tmp_path, ATGARDER)
    proc = _cli("--data", str(data), "validera", "--ar", "2029")
    assert proc.returncode == 2
    assert "2029" in proc.stderr and "mappen saknas" in proc.stderr


def test_cli_help_is_swedish():
    proc = _cli("--help")
    assert proc.returncode == 0
    for word in ("användning:", "kommandon", "rapport", "validera", "mall", "importera", "verifiera",
                 "visa den här hjälptexten"):
        assert word in proc.stdout
    proc = _cli("rapport")
    assert proc.returncode == 2 and "följande argument krävs: --ar" in proc.stderr


def _copy_project(dest: Path) -> Path:
    """A project folder as a user would copy it: config, templates, book sources and data."""
    dest.mkdir(parents=True)
    write_config(dest / "_config.yml")
    shutil.copytree(ROOT / "notebooks", dest / "notebooks")
    shutil.copytree(DATA, dest / "data")
    # Published editions are build products; the copy takes the book's sources only.
    shutil.copytree(ROOT / "book", dest / "book", ignore=shutil.ignore_patterns("[0-9][0-9][0-9][0-9]", ".*"))
    return dest


def test_the_project_is_the_folder_the_command_runs_in(tmp_path):
    copy = _copy_project(tmp_path / "kopia")
    # The copy's data is broken; the original's is not. Reading the original would pass.
    f = copy / "data" / "2026" / "status.exempeldata.csv"
    rows = read_rows(f)
    rows[0]["status"] = "klar"
    write_rows(f, rows)
    proc = _cli("validera", "--ar", "2026", cwd=copy)
    assert proc.returncode == 2, proc.stderr
    assert "'klar'" in proc.stderr and str(Path("data") / "2026" / "status.exempeldata.csv") in proc.stderr
    # Writing goes to the copy as well, never to the package's own folder.
    proc = _cli("mall", "--ar", "2027", cwd=copy)
    assert proc.returncode == 0, proc.stderr
    assert (copy / "uppfoljningsmall_2027.xlsx").is_file()
    assert not (ROOT / "uppfoljningsmall_2027.xlsx").exists()


def test_rot_names_the_project_explicitly(tmp_path):
    copy = _copy_project(tmp_path / "kopia")
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    proc = _cli("--rot", str(copy), "validera", "--ar", "2026", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert "giltiga" in proc.stdout


def test_outside_a_project_the_command_refuses_in_swedish(tmp_path):
    proc = _cli("rapport", "--ar", "2026", cwd=tmp_path)
    assert proc.returncode == 2
    assert "ingen projektmapp" in proc.stderr and "--rot" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
