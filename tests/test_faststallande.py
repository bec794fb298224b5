"""Fastställande is atomic and exclusive, and nothing changes after it unless forced with a reason.

The kills are real: `arkivera`, `rapport` and `pdf` run as subprocesses with
`UPPF_TEST_PAUS_VID=<moment>` (helpers.core.pause), wait at that named moment, and get SIGKILL
there. After each kill the year is either in its old state or in its new one, never without its
mark; the next command that takes the project lock finishes or rolls back and removes every work
file. `rapport` is run with its slow steps (notebooks, book build) replaced by quick fakes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from helpers.core.errors import RunError
from helpers.core.layout import Layout
from helpers.evidence import faststallande
from helpers.evidence import package as archive
from helpers.evidence.manifest import verify
from test_robusthet import published_project, tree_digest

pytestmark = pytest.mark.slow

YEAR = 2026
TESTS = Path(__file__).resolve().parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(TESTS), os.environ.get("PYTHONPATH", "")])}
# `rapport` with the notebooks and the book build faked (tests/test_robusthet_korning.py).
FAKE_RAPPORT = """
import sys
from test_robusthet_korning import fake_steps
from helpers.publish import pipeline
for name, fn in fake_steps("ingen").items():
    setattr(pipeline, name, fn)

def build_html(staging, *_, **__):  # pages with an article, so that `pdf` can print them
    html = staging / "_build" / "html"
    html.mkdir(parents=True)
    for p in [*staging.glob("*.ipynb"), *staging.glob("*.md")]:
        # A page written as Markdown keeps its raw HTML (the tjänsteskrivelse's ärende, which `pdf` reads).
        own = p.read_text(encoding="utf-8") if p.stem == "tjansteskrivelse" else ""
        html.joinpath(f"{p.stem}.html").write_text(
            f'<!DOCTYPE html><html lang="sv"><head><title>{p.stem}</title></head><body>'
            f'<article class="bd-article"><h1>{p.stem}</h1><p>Text om {p.stem}.</p>{own}</article></body></html>')
    return True

pipeline.build_html = build_html
from helpers.cli import main
sys.exit(main(["--rot", sys.argv[1], *sys.argv[2:]]))
"""
ARKIV_MOMENTS = ["arkiv-arbetsfiler", "arkiv-paket-klart", "arkiv-journal", "arkiv-tidigare-undan", "arkiv-mapp-inne",
                 "arkiv-zip-inne", "arkiv-markerad"]
BEFORE_JOURNAL = {"arkiv-arbetsfiler", "arkiv-paket-klart"}


def fake_rapport(root: Path, *args: str, pause: str | None = None, flags: Path | None = None) -> subprocess.Popen:
    args = args or ("rapport", "--ar", str(YEAR))
    return _start([sys.executable, "-c", FAKE_RAPPORT, str(root), *args], root, pause, flags)


def command(root: Path, *args: str, pause: str | None = None, flags: Path | None = None) -> subprocess.Popen:
    return _start([sys.executable, "-m", "helpers", *args], root, pause, flags)


def _start(cmd: list[str], root: Path, pause: str | None, flags: Path | None) -> subprocess.Popen:
    env = dict(ENV)
    if pause:
        env |= {"UPPF_TEST_PAUS_VID": pause, "UPPF_TEST_PAUS_MAPP": str(flags)}
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def run(root: Path, *args: str, fake: bool = False) -> subprocess.CompletedProcess:
    proc = fake_rapport(root, *args) if fake else command(root, *args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_at(flags: Path, moment: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    flag = flags / f"{moment}.paus"
    end = time.monotonic() + timeout
    while not flag.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"{moment} was never reached (exit {proc.returncode}): {out}\n{err}")
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {moment}")
        time.sleep(0.05)


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def hidden(layout: Layout) -> list[str]:
    """Work files anywhere a command publishes or archives (the lock is not one)."""
    places = [layout.root / "arkiv", layout.book, layout.build / "html", layout.edition(YEAR), layout.html(YEAR)]
    return sorted(p.name for d in places if d.is_dir() for p in d.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project whose 2026 edition was made by `rapport` (fast fakes), so it verifies and archives."""
    base = tmp_path_factory.mktemp("faststall")
    layout = published_project(base)
    proc = run(layout.root, fake=True)
    assert proc.returncode == 0, proc.stderr
    assert verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []
    return layout.root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Layout:
    root = tmp_path / "projekt"
    shutil.copytree(built, root, symlinks=True)
    return Layout.at(root)


@pytest.fixture
def archived_project(built: Path, tmp_path_factory) -> Layout:
    """The project with 2026 archived once (version 1)."""
    root = tmp_path_factory.mktemp("arkiverad") / "projekt"
    shutil.copytree(built, root, symlinks=True)
    layout = Layout.at(root)
    archive.archive_year(layout, YEAR)
    return layout


def state(layout: Layout) -> dict:
    return {"book": tree_digest(layout.book), "html": tree_digest(layout.build / "html"),
            "arkiv": tree_digest(layout.root / "arkiv") if (layout.root / "arkiv").exists() else {}}


# --- a kill at every moment of arkivera and arkivera --tvinga -------------------------------------

@pytest.mark.parametrize("forced", [False, True], ids=["forsta", "tvinga"])
@pytest.mark.parametrize("moment", ARKIV_MOMENTS)
def test_a_kill_at_any_moment_of_arkivera_leaves_the_old_state_or_the_new_never_a_year_without_its_mark(
        project: Layout, tmp_path: Path, moment: str, forced: bool):
    layout = project
    if forced:
        archive.archive_year(layout, YEAR)
    elif moment == "arkiv-tidigare-undan":
        pytest.skip("there is no earlier version to move aside the first time")
    before = state(layout)
    flags = tmp_path / "flaggor"
    flags.mkdir()
    args = ["arkivera", "--ar", str(YEAR)] + (["--tvinga", "--orsak", "nytt beslut i KS"] if forced else [])
    proc = command(layout.root, *args, pause=moment, flags=flags)
    wait_at(flags, moment, proc)
    kill(proc)

    # Right after the kill: a year that was fastställd still is, and nothing may rebuild it.
    info = archive.archived(layout, YEAR)
    if forced or moment not in BEFORE_JOURNAL:
        assert info is not None
        with pytest.raises(RunError, match="fastställd"):
            archive.guard(layout, YEAR, force=False)
    else:
        assert info is None and not (layout.root / "arkiv" / str(YEAR)).exists()
    assert state(layout)["book"] == before["book"] and state(layout)["html"] == before["html"]
    assert faststallande.journal_path(layout, YEAR).exists() == (moment not in BEFORE_JOURNAL)
    if moment not in BEFORE_JOURNAL:  # verifiera, which takes no lock, says the archiving was cut short
        check = run(layout.root, "verifiera", "--ar", str(YEAR))
        assert check.returncode == 1 and "avbröts" in check.stderr, check.stderr

    # The next command that takes the lock (here a plain arkivera) finishes or rolls back.
    again = run(layout.root, "arkivera", "--ar", str(YEAR))
    assert "Traceback" not in again.stderr
    new_state = moment not in BEFORE_JOURNAL
    if forced:
        assert again.returncode == 1 and "redan arkiverad" in again.stderr, again.stderr
        expected = 2 if new_state else 1
    else:
        assert again.returncode == (1 if new_state else 0), again.stderr
        expected = 1
    if new_state:
        assert "slutfördes efter en avbruten körning" in again.stderr, again.stderr
    mark = json.loads(faststallande.mark_path(layout, YEAR).read_text(encoding="utf-8"))
    assert mark["version"] == expected
    root = layout.root / "arkiv"
    for package in (root / str(YEAR), root / f"{YEAR}.zip"):
        assert archive.verify_package(package) == [], package
        assert json.loads(archive.open_package(package).read("manifest.json"))["arkiv"]["version"] == expected
    if forced and new_state:
        assert archive.verify_package(root / f"{YEAR}.v1") == [] and archive.verify_package(root / f"{YEAR}.v1.zip") == []
        assert mark["tvingad"]["orsak"] == "nytt beslut i KS"
        # recorded once, whether the killed run or the one that finished its journal wrote it
        assert [c["orsak"] for c in faststallande.forced_changes(layout, YEAR)] == ["nytt beslut i KS"]
    assert hidden(layout) == []
    check = run(layout.root, "verifiera", "--ar", str(YEAR))
    assert check.returncode == 0 and "fastställt" in check.stdout, check.stdout + check.stderr


def test_a_package_left_without_its_mark_is_named_by_verifiera_and_finished_by_arkivera(archived_project: Layout):
    """The old failure: a folder without a zip that `verifiera` called complete and `arkivera` refused."""
    layout = archived_project
    root = layout.root / "arkiv"
    (root / f"{YEAR}.zip").unlink()
    faststallande.mark_path(layout, YEAR).unlink()
    with pytest.raises(RunError, match="fastställd"):
        archive.guard(layout, YEAR, force=False)  # on a doubt the year counts as fastställd
    check = run(layout.root, "verifiera", "--ar", str(YEAR))
    assert check.returncode == 1 and "inte registrerat" in check.stderr and f"{YEAR}.zip: arkivets zip-fil saknas" in check.stderr
    fixed = run(layout.root, "arkivera", "--ar", str(YEAR))
    assert fixed.returncode == 0, fixed.stderr
    assert run(layout.root, "verifiera", "--ar", str(YEAR)).returncode == 0
    assert (root / f"{YEAR}.v1").is_dir()  # the incomplete package is kept, as a numbered version


# --- exclusive: arkivera and rapport never race ---------------------------------------------------

def test_arkivera_waits_for_a_running_rapport_and_the_mark_is_checked_again_before_publishing(project: Layout,
                                                                                              tmp_path: Path):
    layout = project
    flags = tmp_path / "flaggor"
    flags.mkdir()
    before = state(layout)
    report = fake_rapport(layout.root, pause="publicera", flags=flags)
    try:
        wait_at(flags, "publicera", report)
        other = run(layout.root, "arkivera", "--ar", str(YEAR))
        assert other.returncode == 1 and "En annan körning pågår redan" in other.stderr, other.stderr
        assert not (layout.root / "arkiv").exists()
        # Past the lock (as if someone removed it by hand), the year is archived meanwhile:
        archive.archive_year(layout, YEAR)
    finally:
        (flags / "publicera.paus").unlink(missing_ok=True)
    out, err = report.communicate(timeout=120)
    assert report.returncode == 1 and "fastställd" in err and "Traceback" not in err, err
    assert state(layout)["book"] == before["book"] and state(layout)["html"] == before["html"]


def test_a_killed_rapport_at_publishing_leaves_the_edition_verifying(project: Layout, tmp_path: Path):
    layout = project
    flags = tmp_path / "flaggor"
    flags.mkdir()
    before = state(layout)
    report = fake_rapport(layout.root, pause="publicera", flags=flags)
    wait_at(flags, "publicera", report)
    kill(report)
    assert state(layout)["book"] == before["book"] and verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []


# --- nothing changes after fastställande unless forced: a test per command that writes --------------

@pytest.mark.parametrize("args", [("rapport",), ("pdf",), ("arkivera",)], ids=lambda a: a[0])
def test_every_command_that_writes_into_an_edition_refuses_a_fastställd_year_before_writing(archived_project: Layout,
                                                                                           args):
    layout = archived_project
    before = state(layout)
    proc = run(layout.root, *args, "--ar", str(YEAR), fake=args[0] == "rapport")
    assert proc.returncode == 1 and "fastställd" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert state(layout) == before
    forced = run(layout.root, *args, "--ar", str(YEAR), "--tvinga", fake=args[0] == "rapport")
    assert forced.returncode == 2 and "--tvinga kräver --orsak" in forced.stderr, forced.stderr
    assert state(layout) == before


def test_add_to_edition_refuses_a_fastställd_year_and_writes_nothing(archived_project: Layout):
    """Anything added to an edition later goes through add_to_edition, which checks the mark too."""
    layout = archived_project
    extra = layout.edition(YEAR) / "tabeller" / "ny.csv"
    before = state(layout)
    with pytest.raises(RunError, match="fastställd"):
        archive.add_to_edition(layout, YEAR, [extra])
    assert state(layout) == before


def test_a_forced_rebuild_records_who_when_and_why(archived_project: Layout):
    layout = archived_project
    proc = run(layout.root, "rapport", "--ar", str(YEAR), "--tvinga", "--orsak", "rättelse av 1.2", fake=True)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((layout.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    rebuilt = manifest["ombyggd_efter_arkivering"]
    assert rebuilt["orsak"] == "rättelse av 1.2" and rebuilt["version"] == 1 and "@" in rebuilt["av"] and rebuilt["tid"]
    changes = faststallande.forced_changes(layout, YEAR)
    assert [c["orsak"] for c in changes] == ["rättelse av 1.2"] and changes[0]["kommando"].startswith("rapport")
    assert archive.verify_package(layout.root / "arkiv" / f"{YEAR}.zip") == []  # the archive is untouched


# --- a killed pdf leaves the edition verifying ------------------------------------------------------

@pytest.mark.parametrize("moment", ["pdf-rendering", "pdf-inflyttning"])
def test_a_killed_pdf_leaves_no_work_file_in_the_edition_which_still_verifies(project: Layout, tmp_path: Path,
                                                                               moment: str):
    layout = project
    flags = tmp_path / "flaggor"
    flags.mkdir()
    before = state(layout)
    proc = command(layout.root, "pdf", "--ar", str(YEAR), pause=moment, flags=flags)
    wait_at(flags, moment, proc)
    kill(proc)
    assert verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []
    assert state(layout)["html"].keys() >= {k for k in before["html"] if k.startswith(f"{YEAR}/")}
    for folder in (layout.edition(YEAR), layout.html(YEAR)):
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]
    check = run(layout.root, "verifiera", "--ar", str(YEAR))
    assert check.returncode == 0, check.stderr
    done = run(layout.root, "pdf", "--ar", str(YEAR))
    assert done.returncode == 0, done.stderr
    if moment == "pdf-inflyttning":
        assert "Städat efter en avbruten körning" in done.stderr
    assert hidden(layout) == [] and not list((layout.build / "staging").iterdir())
    assert verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []
    assert (layout.edition(YEAR) / f"uppfoljningsrapport-{YEAR}.pdf").is_file()


def test_a_forced_pdf_of_a_fastställd_year_records_who_when_and_why(archived_project: Layout):
    layout = archived_project
    archived_zip = (layout.root / "arkiv" / f"{YEAR}.zip").read_bytes()
    proc = run(layout.root, "pdf", "--ar", str(YEAR), "--tvinga", "--orsak", "PDF till diariet saknades")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((layout.edition(YEAR) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdf"]["tvingad"]["orsak"] == "PDF till diariet saknades" and "@" in manifest["pdf"]["tvingad"]["av"]
    assert manifest["tjansteskrivelse"]["tvingad"]["orsak"] == "PDF till diariet saknades"  # both PDFs, one record
    assert [c["kommando"] for c in faststallande.forced_changes(layout, YEAR)] == [f"pdf --ar {YEAR} --tvinga"]
    assert verify(layout.edition(YEAR), layout.html(YEAR), year=YEAR) == []
    assert (layout.root / "arkiv" / f"{YEAR}.zip").read_bytes() == archived_zip
