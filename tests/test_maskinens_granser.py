"""The machine's limits, said in Swedish: a full disk, a quota, a read-only folder, another file system.

Each is named as such with the folder, exit 1, no traceback and no crash log (these are known
cases, not bugs). The full and read-only file systems are real: small tmpfs mounts, which need
root (CI runs as root); where mounting is not allowed the tests are skipped and say why.
`rapport` runs with its slow steps faked (tests/test_robusthet_korning.py).
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import cli
from helpers.core.crash import machine_limit
from helpers.core.layout import Layout
from helpers.evidence.manifest import verify
from helpers.run.jupyterbook import without_tracebacks
from test_robusthet import filled_mall, published_project

YEAR = 2026


@contextmanager
def tmpfs(where: Path, size: str, *options: str):
    """A small file system of its own at `where`; skips the test where mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    opts = ",".join([f"size={size}", *options])
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def move_to(folder: Path, disk: Path) -> Path:
    """Move a project folder onto `disk` and leave a symlink to it where it was."""
    target = disk / folder.name
    shutil.copytree(folder, target, symlinks=True)
    shutil.rmtree(folder)
    folder.symlink_to(target)
    return target


def fake_rapport(layout: Layout, monkeypatch, capsys) -> tuple[int, str]:
    from helpers.publish import pipeline
    from test_robusthet_korning import fake_steps

    for name, fn in fake_steps("ingen").items():
        monkeypatch.setattr(pipeline, name, fn)
    code = cli.main(["--rot", str(layout.root), "rapport", "--ar", str(YEAR)])
    return code, capsys.readouterr().err


def crash_logs(layout: Layout) -> set[Path]:
    return {*Path(tempfile.gettempdir()).glob("fel-*.txt"), *(layout.build / "logg").glob("fel-*.txt")}


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    return published_project(tmp_path)


def test_publishing_works_when_build_is_on_another_file_system(project: Layout, tmp_path: Path, monkeypatch, capsys):
    """A separate disk for _build, reached through a symlink: the edition is copied then renamed."""
    with tmpfs(tmp_path / "annan-disk", "64m") as disk:
        move_to(project.build, disk)
        code, err = fake_rapport(project, monkeypatch, capsys)
        assert code == 0, err
        assert verify(project.edition(YEAR), project.html(YEAR), year=YEAR) == []
        assert not [p for p in project.book.iterdir() if p.name.startswith(".")]


def test_a_full_disk_under_build_is_named_in_swedish_with_exit_1_and_no_crash_log(project: Layout, tmp_path: Path,
                                                                                  monkeypatch, capsys):
    with tmpfs(tmp_path / "liten-disk", "2m") as disk:
        build = move_to(project.build, disk)
        filler = disk / "fyllnad"
        with open(filler, "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        before = crash_logs(project)
        code, err = fake_rapport(project, monkeypatch, capsys)
        assert code == 1, err
        assert "Disken är full" in err and (str(build) in err or str(project.build) in err), err
        assert "Traceback" not in err and "Oväntat fel" not in err and "Errno" not in err, err
        assert crash_logs(project) == before


def test_a_read_only_data_folder_is_named_as_such(project: Layout, tmp_path: Path, capsys):
    workbook = filled_mall(project.data, tmp_path / "ifylld.xlsx", year=2027)
    with tmpfs(tmp_path / "skrivskyddad", "32m") as disk:
        data = move_to(project.data, disk)
        proc = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot remount read-only: {proc.stderr.strip()}")
        before = crash_logs(project)
        code = cli.main(["--rot", str(project.root), "importera", str(workbook), "--ar", "2027"])
        err = capsys.readouterr().err
        assert code == 1, err
        assert "Skrivskyddat filsystem" in err and (str(project.data) in err or str(data) in err), err
        assert "Traceback" not in err and "Oväntat fel" not in err, err
        assert crash_logs(project) == before


def test_a_quota_is_named_as_such(project: Layout, monkeypatch, capsys):
    """A used-up quota cannot be made here without quota tools: the error the system gives is raised."""
    from helpers.publish import pipeline

    target = project.build / "staging" / str(YEAR) / "indata" / "status.csv"

    def over_quota(*_, **__):
        raise OSError(errno.EDQUOT, "Disk quota exceeded", str(target))

    monkeypatch.setattr(pipeline, "snapshot_inputs", over_quota)
    before = crash_logs(project)
    code = cli.main(["--rot", str(project.root), "rapport", "--ar", str(YEAR)])
    err = capsys.readouterr().err
    assert code == 1 and "Diskkvoten är slut" in err and str(target.parent) in err and "Traceback" not in err, err
    assert crash_logs(project) == before


def test_an_english_report_of_a_full_disk_from_another_program_gets_a_swedish_cause():
    from helpers.core.errors import RunError

    exc = RunError("Bokbygget misslyckades (jupyter-book, kod 1).\nOSError: [Errno 28] No space left on device")
    assert machine_limit(exc).startswith("Disken är full")
    assert machine_limit(RunError("Bokbygget saknar sidor: index")) is None


def test_tool_output_in_a_message_never_shows_a_traceback():
    output = ("Running Jupyter-Book v1.0.4\nTraceback (most recent call last):\n  File \"click/core.py\", line 1, in main\n"
              "    rv = self.invoke(ctx)\n\nOSError: [Errno 28] No space left on device\nbyggt 0 sidor\n")
    shown = without_tracebacks(output)
    assert "Traceback" not in shown and "File \"" not in shown
    assert "OSError: [Errno 28] No space left on device" in shown and "byggt 0 sidor" in shown
