"""Faults during a run: SIGKILL at several moments, two runs at once, a killed import.

What must hold at every instant: the published edition and HTML of every year are either the old
ones, byte for byte, or the complete new ones – never missing, never half-written – and the inputs
are untouched. The next run takes over the dead run's lock, cleans up what it left and succeeds.

The moments around publishing are hit exactly by a run in a forked process whose notebook
execution and book build are replaced by quick fakes (the real ones take a minute) and that
kills itself with SIGKILL at the chosen step. Kills during real notebook execution and during the real
Jupyter Book build, and a second run started meanwhile, use the real thing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from helpers import cli
from helpers.core import fs
from helpers.core.layout import Layout
from helpers.evidence.manifest import verify
from helpers.run.guard import LOCK_NAME
from test_robusthet import filled_mall, published_project, tree_digest

pytestmark = pytest.mark.slow

YEAR = 2026
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def session_processes(sid: int) -> list[str]:
    """Processes still alive in the session a run was started in (its workers, kernels, the build)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[-1].split()
            if int(stat[3]) == sid and stat[0] != "Z":
                out.append((d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120])
        except (OSError, IndexError, ValueError):
            continue
    return out


def wait_for(condition, timeout: float, what: str, poll: float = 0.05) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")


def start(root: Path, *args: str, script: str | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-c", script, str(root), *args] if script else [sys.executable, "-m", "helpers", *args]
    return subprocess.Popen(cmd, cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def kill_run(proc: subprocess.Popen) -> None:
    """SIGKILL the run's own process only, as a crash or the OOM killer would; then check that
    nothing it started lives on (workers and the book build die with it)."""
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    try:
        wait_for(lambda: not session_processes(proc.pid), 20, "the run's children to die with it", poll=0.2)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # never leave strays behind, even when the check fails
        except ProcessLookupError:
            pass


def published(layout: Layout) -> dict:
    return {"book": tree_digest(layout.book), "html": tree_digest(layout.build / "html")}


# --- moments around publishing, hit exactly ----------------------------------------------------------

def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def fake_steps(moment: str) -> dict:
    """Replacements for the slow steps of a run, and a kill at `moment`."""
    from helpers.publish import pipeline

    def fake_execute(pages, layout, staging, jobs=None, **_):
        for p in pages:
            nb = nbformat.v4.new_notebook()
            nb.cells.append(nbformat.v4.new_markdown_cell("# ny"))
            nb.metadata["papermill"] = {"parameters": p.parameters}  # what the manifest checks
            nbformat.write(nb, staging / f"{p.name}.ipynb")
        if moment == "notebooks":
            die()
        return {p.name: 0.1 for p in pages}

    def fake_build(staging, *_, **__):
        html = staging / "_build" / "html"
        html.mkdir(parents=True)
        for p in [*staging.glob("*.ipynb"), staging / "index.md", staging / "om_rapporten.md"]:
            (html / f"{p.stem}.html").write_text("ny " + p.stem)
        if moment == "bok":
            die()
        return True

    real_swap = pipeline.swap_into_place
    swaps = []

    def swap(new, target, **kw):
        swaps.append(target)
        if moment == "fore-utgava" and len(swaps) == 1:
            die()
        if moment == "mellan-utgava-och-html" and len(swaps) == 2:
            die()
        if moment == "inne-i-html-bytet" and len(swaps) == 2:
            real_replace = os.replace

            def replace(src, dst):
                real_replace(src, dst)
                if Path(src) == Path(target):
                    die()  # between the two renames of a system without an atomic exchange

            fs.os.replace = replace
            return real_swap(new, target, allow_exchange=False)
        return real_swap(new, target, **kw)

    steps = {"execute_all": fake_execute, "build_html": fake_build, "swap_into_place": swap,
             "finish_notebooks": lambda staging, pages, *_: {}}  # the fake notebooks have no record cells
    if moment == "startsida":
        steps["write_landing"] = lambda layout, log=None: die()
    return steps


def forked_run(layout: Layout, moment: str) -> int:
    """`rapport` in a forked copy of this process (everything already imported: fast), with the
    slow steps faked and a SIGKILL at `moment`. Returns the wait status as Popen would."""
    from helpers.publish import pipeline

    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            for name, fn in fake_steps(moment).items():
                setattr(pipeline, name, fn)
            code = cli.main(["--rot", str(layout.root), "rapport", "--ar", str(YEAR)])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


@pytest.fixture(scope="module")
def fake_project(tmp_path_factory) -> Layout:
    base = tmp_path_factory.mktemp("dodad")
    layout = published_project(base)
    shutil.copytree(layout.book, base / "orig" / "book", symlinks=True)
    shutil.copytree(layout.build / "html", base / "orig" / "html", symlinks=True)
    return layout


def restore(layout: Layout) -> None:
    """The old published state again, for the next moment."""
    orig = layout.root.parent / "orig"
    shutil.rmtree(layout.book)
    shutil.rmtree(layout.build / "html")
    shutil.copytree(orig / "book", layout.book, symlinks=True)
    shutil.copytree(orig / "html", layout.build / "html", symlinks=True)


def _complete_new(layout: Layout) -> bool:
    html = layout.html(YEAR)
    return (html / "index.html").read_text(encoding="utf-8") == "ny index" and verify(layout.edition(YEAR)) == []


@pytest.mark.parametrize("moment", ["notebooks", "bok", "fore-utgava", "mellan-utgava-och-html", "inne-i-html-bytet",
                                    "startsida"])
def test_a_kill_at_any_moment_leaves_old_or_new_never_broken_and_the_next_run_recovers(fake_project: Layout, moment,
                                                                                     monkeypatch, capsys):
    layout = fake_project
    old = published(layout)
    old_2025 = {k: v for k, v in old["html"].items() if k.startswith("2025/")}
    inputs = tree_digest(layout.data)
    assert forked_run(layout, moment) == -signal.SIGKILL
    now = published(layout)
    assert tree_digest(layout.data) == {**inputs, LOCK_NAME: tree_digest(layout.data)[LOCK_NAME]}
    assert {k: v for k, v in now["html"].items() if k.startswith("2025/")} == old_2025
    edition_old = {k: v for k, v in now["book"].items() if k.startswith("2026/")} == \
        {k: v for k, v in old["book"].items() if k.startswith("2026/")}
    html_old = {k: v for k, v in now["html"].items() if k.startswith("2026/")} == \
        {k: v for k, v in old["html"].items() if k.startswith("2026/")}
    if moment in ("notebooks", "bok", "fore-utgava"):
        assert edition_old and html_old and now == old  # nothing was published yet
    elif moment == "mellan-utgava-och-html":
        assert verify(layout.edition(YEAR)) == [] and html_old  # the new edition, the old HTML
    elif moment == "startsida":
        assert _complete_new(layout)
    else:  # killed inside a two-rename swap: only here may the year be missing, until the next run
        assert not layout.html(YEAR).exists()
    # The next run (here with the same quick fakes) takes over, cleans up and publishes.
    from helpers.publish import pipeline

    for name, fn in fake_steps("ingen").items():
        monkeypatch.setattr(pipeline, name, fn)
    assert cli.main(["--rot", str(layout.root), "rapport", "--ar", str(YEAR)]) == 0
    err = capsys.readouterr().err
    assert "Tar över låset" in err and "Traceback" not in err
    assert _complete_new(layout)
    assert list((layout.build / "staging").iterdir()) == []
    assert not [p for p in (*layout.book.iterdir(), *(layout.build / "html").iterdir()) if p.name.startswith(".")]
    assert not (layout.data / LOCK_NAME).exists()
    assert {k: v for k, v in published(layout)["html"].items() if k.startswith("2025/")} == old_2025
    assert tree_digest(layout.data) == inputs
    restore(layout)


# --- real runs: two at once, kills during notebooks and during the book build -------------------------

@pytest.fixture(scope="module")
def real_project(tmp_path_factory) -> Layout:
    """One åtgärd (four notebooks) keeps the real runs short; what they must not touch is published."""
    base = tmp_path_factory.mktemp("riktig")
    return published_project(base, atgarder=("1.1",))


def test_two_runs_at_once_and_kills_in_a_real_run_never_damage_the_book(real_project: Layout):
    layout = real_project
    before = published(layout)
    inputs = tree_digest(layout.data)
    staging = layout.build / "staging" / str(YEAR)

    first = start(layout.root, "rapport", "--ar", str(YEAR))
    try:
        wait_for(lambda: any(staging.glob("*.ipynb")) or (staging / ".mallar").is_dir(), 120, "notebooks to run")
        second = subprocess.run([sys.executable, "-m", "helpers", "rapport", "--ar", str(YEAR)], cwd=layout.root,
                                env=ENV, capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        assert "En annan körning pågår redan" in second.stderr and f"process {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
        time.sleep(1.0)  # well into executing notebooks
    finally:
        kill_run(first)
    assert published(layout) == before
    assert (layout.data / LOCK_NAME).exists()  # a dead run's lock: stale, for the next run to take over

    third = start(layout.root, "rapport", "--ar", str(YEAR))
    try:
        # The book is built incrementally in _build/bok/<år> (Sphinx writes its _build there first).
        workdir = layout.build / "bok" / str(YEAR) / "_build"
        wait_for(lambda: workdir.is_dir() or (staging / "_build").is_dir(), 300, "the book build to start")
        time.sleep(0.5)
    finally:
        kill_run(third)
    assert published(layout) == before
    assert tree_digest(layout.data) == {**inputs, LOCK_NAME: tree_digest(layout.data)[LOCK_NAME]}

    last = subprocess.run([sys.executable, "-m", "helpers", "rapport", "--ar", str(YEAR)], cwd=layout.root, env=ENV,
                          capture_output=True, text=True, timeout=600)
    assert last.returncode == 0, last.stderr
    assert "Tar över låset" in last.stderr and "Städat efter en avbruten körning" in last.stderr
    assert verify(layout.edition(YEAR)) == []
    assert list((layout.build / "staging").iterdir()) == []
    assert not (layout.data / LOCK_NAME).exists()
    assert tree_digest(layout.data) == inputs


# --- a killed import -----------------------------------------------------------------------------------

KILLED_IMPORT = textwrap.dedent('''
    import os, signal, sys
    from pathlib import Path

    from helpers.data.excel import importer

    root, workbook = Path(sys.argv[1]), sys.argv[2]
    importer._publish = lambda new, target: os.kill(os.getpid(), signal.SIGKILL)

    from helpers.cli import main

    sys.exit(main(["--rot", str(root), "importera", workbook, "--ar", "2027"]))
''')


def test_a_killed_import_leaves_no_work_folders_after_the_next_one(fake_project: Layout, tmp_path: Path):
    layout = fake_project
    workbook = filled_mall(layout.data, tmp_path / "ifylld.xlsx", year=2027)
    (tmp_path / "mall.xlsx").unlink()
    killed = start(layout.root, str(workbook), script=KILLED_IMPORT)
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert list(layout.data.glob(".import-*")) and not (layout.data / "2027").exists()
    proc = subprocess.run([sys.executable, "-m", "helpers", "importera", str(workbook), "--ar", "2027"],
                          cwd=layout.root, env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Städat efter en avbruten körning" in proc.stderr and ".import-2027-" in proc.stderr
    assert not list(layout.data.glob(".import-*")) and not (layout.data / LOCK_NAME).exists()
    assert sorted(p.name for p in (layout.data / "2027").iterdir()) == ["indikatorvarden.csv", "lardomar.csv",
                                                                        "status.csv"]
