"""Jupyter Book 1 on a staged edition: the executed notebooks become the static HTML book."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.core.errors import RunError
from helpers.core.lock import die_with_parent


def build_html(staging: Path) -> None:
    """Jupyter Book 1 on the staged edition; warnings are errors so a broken page cannot ship."""
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(staging), "--builder", "html", "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
                          preexec_fn=die_with_parent)  # a killed run does not leave the build running
    log = staging / "_build" / "bygglogg.txt"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise RunError(f"Bokbygget misslyckades (jupyter-book, kod {proc.returncode}). Logg: {log}\n{tail}")
